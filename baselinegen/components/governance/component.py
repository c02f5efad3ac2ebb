"""Governance (organisation profiles only): service control policies at the organisation root and the delegated
administration of the security services to the security account. Placed in the management account."""

from __future__ import annotations

from ...profile.model import PROTECTED_TAG_KEY, Governance, Profile
from ...profile.regions import partition_of
from . import schema as gs
from ..base import Component, ComponentOutput, Control, ModuleCall, render_module
from .policies import PROTECTED_SERVICES, service_control_policies, scp_name
from ..regional import REGIONS_INPUT

MODULE = "governance"
# Services whose delegated administrator AWS Organizations registers directly (global, one resource each).
DELEGATED_SERVICE_PRINCIPALS = ("access-analyzer.amazonaws.com", "config-multiaccountsetup.amazonaws.com", "config.amazonaws.com")
# What trusted access the organisation needs before the management account's first apply.
TRUSTED_ACCESS_PRINCIPALS = ("access-analyzer.amazonaws.com", "config-multiaccountsetup.amazonaws.com", "config.amazonaws.com",
                             "guardduty.amazonaws.com", "inspector2.amazonaws.com", "securityhub.amazonaws.com")
CHECKLIST_ITEM = ("AWS Organizations (management account, before its first apply): all features on, the service control policy "
                  "type enabled on the root, and trusted access for " + ", ".join(f"`{p}`" for p in TRUSTED_ACCESS_PRINCIPALS)
                  + "; baselinegen does not manage the organisation itself (`aws_organizations_organization`).")


class GovernanceComponent(Component):
    id = "governance"
    title = "Governance: service control policies and delegated administration (management account)"
    SCHEMA = gs.SCHEMA

    def check(self, data, doc):
        return gs.check(data, doc)

    def build(self, data: dict) -> Governance:
        scps = data.get("governance", {}).get("service_control_policies", {})
        return Governance(**{key: scps[key] for key in Governance.__dataclass_fields__ if key in scps})

    def render(self, profile: Profile) -> ComponentOutput:
        """Nothing for a single account: service control policies and delegation exist only in an organisation."""
        return ComponentOutput()

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        org = profile.organization
        security = org.accounts_with_role("security")
        delegate_to = security[0] if security else None
        policies = service_control_policies(profile)
        if not (policies or delegate_to):
            return []
        names = (["main.tf"] + (["policies.tf"] if policies else [])
                 + ["variables.tf", "outputs.tf", "versions.tf", "README.md"])
        context = {
            "source": profile.source, "org_name": org.name, "partition": partition_of(org.home_region), "governance": profile.governance,
            "policies": [(policy, scp_name(profile, policy)) for policy in policies], "delegate_to": delegate_to,
            "service_principals": DELEGATED_SERVICE_PRINCIPALS, "trusted_access": TRUSTED_ACCESS_PRINCIPALS,
            "deployment_role": org.deployment_role, "regions": org.regions, "protected_services": PROTECTED_SERVICES,
            "protected_tag_key": PROTECTED_TAG_KEY,
        }
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", (), (REGIONS_INPUT,) if delegate_to else ()),
                              placement=frozenset({"management"}), checklist=[CHECKLIST_ITEM])
        out.files += render_module(MODULE, names, context)
        out.controls = _controls(profile, delegate_to)
        return [out]


def _controls(profile: Profile, delegate_to) -> list[Control]:
    g = profile.governance
    rows = []
    if g.deny_leaving_organization:
        rows.append(Control("Accounts stay in the organisation", "service control policy at the root: `organizations:LeaveOrganization` denied"))
    if g.protect_security_services:
        rows.append(Control("Security services cannot be turned off in member accounts",
                            "service control policy at the root: stopping, deleting or reconfiguring CloudTrail, AWS Config, GuardDuty, "
                            f"Security Hub and IAM Access Analyzer denied to all but the deployment role `{profile.organization.deployment_role}`"))
    if g.deny_root_user:
        rows.append(Control("No root user in member accounts", "service control policy at the root: every action of a member account's "
                                                                 "root user denied (centralised root access sessions excepted)"))
    if g.restrict_regions:
        rows.append(Control("Region restriction", "service control policy at the root: requests outside " + ", ".join(f"`{r}`" for r in profile.organization.regions) + " "
                                                  "denied, global services and the deployment role excepted"))
    if delegate_to:
        rows.append(Control("Delegated administration", f"GuardDuty, Security Hub, Inspector (every Region of the management account), "
                                                        f"AWS Config and IAM Access Analyzer administered from the security account `{delegate_to.name}`"))
    return rows


COMPONENT = GovernanceComponent()
