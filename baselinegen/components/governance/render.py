"""Governance (organisation profiles only): the organisation itself (trusted access and policy types), service
control policies at the organisation root and the delegated administration of the security services to the
security account. Placed in the management account."""

from __future__ import annotations

from dataclasses import dataclass

from ...profile.model import Profile
from ..base import Control, Import
from ...policy_presets import PRESETS
from ...policy_presets.quotas import QUOTAS
from ..trusted_access import ORGANIZATIONS, REGIONAL_DELEGATIONS, TrustedAccess
from .. import control_tower
from .policy_types import CONTROL_TOWER_TYPE

MODULE = "governance"
ORGANIZATION_ADDRESS = "aws_organizations_organization.this"  # in the module; imported by the management root
SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY"
# How each regional delegation names the account (resource type -> attribute).
REGIONAL_ADMIN_ATTRIBUTES = {"aws_guardduty_organization_admin_account": "admin_account_id",
                             "aws_securityhub_organization_admin_account": "admin_account_id",
                             "aws_inspector2_delegated_admin_account": "account_id"}
CHECKLIST_ITEM = (
    "AWS Organizations (management account, before its first apply): all features on. The management root imports "
    "the organisation (`imports.tf`) and from then on manages its trusted access and policy types, with "
    "`feature_set = \"ALL\"`: on an organisation with consolidated billing only, that first apply would call "
    "`EnableAllFeatures`, which needs every invited member account's approval and the management account's "
    "confirmation in the console, and Terraform shows the difference on every plan until then. Enable all features "
    "first, and list in `organization.keep_service_access` the trusted access other tools rely on (AWS Control Tower, "
    "IAM Identity Center, ...): the apply disables every principal the organisation resource does not list. Likewise "
    "for policy types: `aws organizations list-roots` shows those enabled on the root; list in "
    "`governance.keep_policy_types` the ones other tools use (tag, backup, RCPs of AWS Control Tower, ...), or the "
    "apply disables them and detaches all their policies.")


IAM_ROOT_ACCESS = TrustedAccess("iam.amazonaws.com", "centralised root access (governance.root_access) manages member "
                                                     "accounts' root credentials from the management account")
ROOT_FEATURES = ("RootCredentialsManagement", "RootSessions")
ROOT_ACCESS_CHECKLIST = (
    "Root users (governance.root_access: centralized): member accounts need no root password, access keys or MFA device "
    "of their own. Once, from the management account (IAM console, Root access management), delete the root credentials "
    "each existing member account still has; accounts created from now on have none. The management account's root "
    "user is not covered: it keeps its password, a hardware MFA device and no access keys, and its alarms.")


@dataclass(frozen=True)
class OrganizationSettings:
    """What the organisation resource lists, and why."""

    needed: tuple[TrustedAccess, ...]  # the baseline's services, registry order, each principal once
    kept: tuple[str, ...]  # organization.keep_service_access the baseline does not already need, sorted
    policy_types: tuple[str, ...]  # sorted
    kept_types: tuple[str, ...] = ()  # governance.keep_policy_types the baseline does not already enable, sorted

    @property
    def principals(self) -> tuple[str, ...]:
        return tuple(sorted({a.principal for a in self.needed} | set(self.kept)))

    def why(self, principal: str) -> str:
        return next((a.why for a in self.needed if a.principal == principal), "")


def needed_access(profile, sources) -> tuple[TrustedAccess, ...]:
    """The trusted access the components in ``sources`` need for ``profile``, each principal once."""
    found: dict[str, TrustedAccess] = {}
    for component in sources:
        for access in component.trusted_access(profile):
            found.setdefault(access.principal, access)
    return tuple(found.values())


def control_tower_access(needed, tower: bool) -> tuple[TrustedAccess, ...]:
    """Control Tower mode: the trusted access its landing zone relies on, which the baseline does not list already."""
    listed = {a.principal for a in needed}
    return tuple(a for a in control_tower.TRUSTED_ACCESS if a.principal not in listed) if tower else ()


def organization_settings(profile: Profile, sources) -> OrganizationSettings:
    needed = needed_access(profile, sources)
    if profile.governance.root_access and IAM_ROOT_ACCESS.principal not in {a.principal for a in needed}:
        needed += (IAM_ROOT_ACCESS,)
    needed += control_tower_access(needed, control_tower.on(profile))
    principals = {a.principal for a in needed}
    kept = tuple(sorted(p for p in set(profile.governance.keep_service_access) if p not in principals))
    # Service control policies stay enabled even when the profile renders none: disabling the type would detach every
    # SCP other tools (AWS Control Tower, a security team's own) attached to the root, OUs and accounts.
    used = {SERVICE_CONTROL_POLICY} | {policy.aws_type for policy in profile.governance.policies}
    if control_tower.on(profile):
        used.add(CONTROL_TOWER_TYPE)  # Control Tower's RCP-based controls
    kept_types = tuple(sorted(set(profile.governance.keep_policy_types) - used))
    return OrganizationSettings(needed, kept, tuple(sorted(used | set(kept_types))), kept_types)


def delegations(settings: OrganizationSettings, delegate_to) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(principals delegated through AWS Organizations, sorted; regional admin resource types, in a fixed order):
    what the security account administers. Nothing without a security account."""
    if not delegate_to:
        return (), ()
    on = {a.principal for a in settings.needed}
    return (tuple(sorted(a.principal for a in settings.needed if a.delegation == ORGANIZATIONS)),
            tuple(a.delegation for a in REGIONAL_DELEGATIONS if a.principal in on))


def organization_import(profile: Profile) -> Import:
    return Import(ORGANIZATION_ADDRESS, profile.organization.id,
                  "the organisation already exists (organization.id): Terraform adopts it and from then on manages its trusted "
                  "access and policy types")


ROOT_ACCESS_ADDRESS = "aws_iam_organizations_features.this"


def root_access_import(profile: Profile) -> tuple[Import, ...]:
    """governance.adopt_root_access: the features enabled outside Terraform, imported by the organisation's id (the
    provider's documented import id: website/docs/r/iam_organizations_features.html.markdown)."""
    if not (profile.governance.root_access and profile.governance.adopt_root_access):
        return ()
    return (Import(ROOT_ACCESS_ADDRESS, profile.organization.id,
                   "governance.adopt_root_access: centralised root access is already enabled; Terraform adopts it (by the "
                   "organisation's id) and from then on keeps both features enabled"),)


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _controls(profile: Profile, delegate_to, settings: OrganizationSettings) -> list[Control]:
    g = profile.governance
    rows = [Control("Trusted access of the organisation", "`aws_organizations_organization` (imported): "
                    + ", ".join(f"`{p}`" for p in settings.principals) + "; every other service's integration disabled")]
    if g.deny_leaving_organization:
        rows.append(Control("Accounts stay in the organisation", "service control policy at the root: `organizations:LeaveOrganization` denied"))
    if g.protect_security_services:
        rows.append(Control("Security services cannot be turned off in member accounts",
                            "service control policy at the root: stopping, deleting or reconfiguring CloudTrail, AWS Config, GuardDuty, "
                            f"Security Hub and IAM Access Analyzer denied to all but the deployment role `{profile.organization.deployment_role}`"
                            + (f" and the CI apply role `{profile.organization.name}-baseline-apply`" if profile.ci.github else "")
                            + (f" and Control Tower's `{control_tower.EXECUTION_ROLE}`" if control_tower.on(profile)
                               and profile.organization.deployment_role != control_tower.EXECUTION_ROLE else "")))
    if g.deny_root_user:
        rows.append(Control("No root user in member accounts", "service control policy at the root: every action of a member account's "
                                                                 "root user denied (centralised root access sessions excepted)"))
    if g.restrict_regions:
        rows.append(Control("Region restriction", "service control policy at the root: requests outside " + ", ".join(f"`{r}`" for r in profile.organization.regions) + " "
                                                  "denied, global services and the deployment role excepted"
                                                  + (" (and the CI apply role)" if profile.ci.github else "")))
    for policy in g.policies:
        source = f"preset `{policy.preset}`" if policy.preset else f"`{policy.file}`"
        rows.append(Control(f"Organisation policy {policy.name}", f"{QUOTAS[policy.type].label} ({source}) attached to "
                            + ", ".join(f"`{t}`" for t in policy.attach) + (": " + PRESETS[policy.preset].does if policy.preset else "")))
    if g.root_access:
        rows.append(Control("Root users of member accounts",
                            "centralised root access (`aws_iam_organizations_features`: " + ", ".join(f"`{f}`" for f in ROOT_FEATURES)
                            + "): member accounts' root credentials deleted and never recreated, root sessions only from the "
                              "management account (`sts:AssumeRoot`, task-scoped); the management account's root user stays "
                              "on the checklist (MFA, no access keys)"))
    delegated, regional = delegations(settings, delegate_to)
    if delegated or regional:
        by_kind = {a.delegation: a.service for a in settings.needed} | {a.principal: a.service for a in settings.needed}
        regional_names = [by_kind[t] for t in regional]
        names = ([", ".join(regional_names) + " (every Region of the management account)"] if regional_names else []) + list(
            dict.fromkeys(by_kind[p] for p in delegated))
        rows.append(Control("Delegated administration", f"{_joined(names)} administered from the security account `{delegate_to.name}`"))
    return rows
