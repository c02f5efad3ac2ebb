"""Trusted access: which AWS service principal each service of the baseline needs in AWS Organizations
(``aws_service_access_principals`` of the organisation, managed by the governance module in the management account),
why, and how the security account becomes that service's delegated administrator. The one table: each component's
``trusted_access(profile)`` returns the rows of the services it turns on, the governance module lists them all.

AWS Organizations disables trusted access for every principal the organisation resource does not list, so a
principal other tools rely on (AWS Control Tower, IAM Identity Center, ...) goes in ``organization.keep_service_access``.
"""

from __future__ import annotations

from dataclasses import dataclass

# How the security account is made delegated administrator of a service: through AWS Organizations
# (aws_organizations_delegated_administrator, one global resource per principal), or through the service's own
# API, Region by Region (the resource type named).
ORGANIZATIONS = "aws_organizations_delegated_administrator"


@dataclass(frozen=True)
class TrustedAccess:
    principal: str  # service principal, <name>.amazonaws.com
    why: str  # what needs it, completing "... because <why>"
    delegation: str = ""  # ORGANIZATIONS, a regional admin resource type, or "" (not delegated)
    service: str = ""  # how the README names the delegated service


CLOUDTRAIL = TrustedAccess("cloudtrail.amazonaws.com", "the organisation trail (logging.cloudtrail) records every account")
CONFIG = TrustedAccess("config.amazonaws.com", "AWS Config (config) aggregates every account's configuration", ORGANIZATIONS,
                       "AWS Config")
CONFIG_MULTIACCOUNT = TrustedAccess("config-multiaccountsetup.amazonaws.com",
                                    "AWS Config (config) is delegated to the security account with its organisation rules "
                                    "and conformance packs", ORGANIZATIONS, "AWS Config")
GUARDDUTY = TrustedAccess("guardduty.amazonaws.com", "GuardDuty (detection.guardduty) runs in every account",
                          "aws_guardduty_organization_admin_account", "GuardDuty")
SECURITY_HUB = TrustedAccess("securityhub.amazonaws.com", "Security Hub (detection.security_hub) runs in every account",
                             "aws_securityhub_organization_admin_account", "Security Hub")
INSPECTOR = TrustedAccess("inspector2.amazonaws.com", "Amazon Inspector (detection.inspector) scans every account",
                          "aws_inspector2_delegated_admin_account", "Inspector")
ACCESS_ANALYZER = TrustedAccess("access-analyzer.amazonaws.com",
                                "IAM Access Analyzer (detection.access_analyzer) analyses the whole organisation", ORGANIZATIONS,
                                "IAM Access Analyzer")

EVERY_PRINCIPAL = (CLOUDTRAIL, CONFIG, CONFIG_MULTIACCOUNT, GUARDDUTY, SECURITY_HUB, INSPECTOR, ACCESS_ANALYZER)
REGIONAL_DELEGATIONS = tuple(t for t in EVERY_PRINCIPAL if t.delegation not in ("", ORGANIZATIONS))
