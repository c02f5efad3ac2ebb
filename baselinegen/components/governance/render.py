"""Governance (organisation profiles only): service control policies at the organisation root and the delegated
administration of the security services to the security account. Placed in the management account."""

from __future__ import annotations

from ...profile.model import Profile
from ..base import Control

MODULE = "governance"
# Services whose delegated administrator AWS Organizations registers directly (global, one resource each).
DELEGATED_SERVICE_PRINCIPALS = ("access-analyzer.amazonaws.com", "config-multiaccountsetup.amazonaws.com", "config.amazonaws.com")
# What trusted access the organisation needs before the management account's first apply.
TRUSTED_ACCESS_PRINCIPALS = ("access-analyzer.amazonaws.com", "config-multiaccountsetup.amazonaws.com", "config.amazonaws.com",
                             "guardduty.amazonaws.com", "inspector2.amazonaws.com", "securityhub.amazonaws.com")
CHECKLIST_ITEM = ("AWS Organizations (management account, before its first apply): all features on, the service control policy "
                  "type enabled on the root, and trusted access for " + ", ".join(f"`{p}`" for p in TRUSTED_ACCESS_PRINCIPALS)
                  + "; baselinegen does not manage the organisation itself (`aws_organizations_organization`).")


def _controls(profile: Profile, delegate_to) -> list[Control]:
    g = profile.governance
    rows = []
    if g.deny_leaving_organization:
        rows.append(Control("Accounts stay in the organisation", "service control policy at the root: `organizations:LeaveOrganization` denied"))
    if g.protect_security_services:
        rows.append(Control("Security services cannot be turned off in member accounts",
                            "service control policy at the root: stopping, deleting or reconfiguring CloudTrail, AWS Config, GuardDuty, "
                            f"Security Hub and IAM Access Analyzer denied to all but the deployment role `{profile.organization.deployment_role}`"
                            + (f" and the CI apply role `{profile.organization.name}-baseline-apply`" if profile.ci.github else "")))
    if g.deny_root_user:
        rows.append(Control("No root user in member accounts", "service control policy at the root: every action of a member account's "
                                                                 "root user denied (centralised root access sessions excepted)"))
    if g.restrict_regions:
        rows.append(Control("Region restriction", "service control policy at the root: requests outside " + ", ".join(f"`{r}`" for r in profile.organization.regions) + " "
                                                  "denied, global services and the deployment role excepted"
                                                  + (" (and the CI apply role)" if profile.ci.github else "")))
    if delegate_to:
        rows.append(Control("Delegated administration", f"GuardDuty, Security Hub, Inspector (every Region of the management account), "
                                                        f"AWS Config and IAM Access Analyzer administered from the security account `{delegate_to.name}`"))
    return rows
