"""AWS Control Tower mode (``organization.control_tower: true``): what Control Tower provides, by the names AWS gives it,
and which accounts it records. The one place the components, the checks, the review and the controls report read
these facts from.

Sources (read 2026-12):
- Resources in every account Control Tower creates or enrols: trail ``aws-controltower-BaselineCloudTrail``, CloudWatch
  Logs group ``aws-controltower/CloudTrailLogs``, roles ``AWSControlTowerExecution`` and
  ``aws-controltower-ConfigRecorderRole``, SNS topic ``aws-controltower-SecurityNotifications``: "Resource
  considerations for Account Factory", docs.aws.amazon.com/controltower/latest/userguide/account-factory-considerations.html
- The trail is an organisation trail created in the management account since landing zone 3.0, "relies on trusted
  access": docs.aws.amazon.com/controltower/latest/userguide/about-logging.html
- The log group name in CloudTrail's delivery role policy (``arn:aws:logs:*:*:log-group:aws-controltower/CloudTrailLogs*``):
  AWS managed policy AWSControlTowerCloudTrailRolePolicy, docs.aws.amazon.com/aws-managed-policy/latest/reference/
- Enrolled accounts must not have a Config recorder or delivery channel of their own (Control Tower deploys its
  own): docs.aws.amazon.com/controltower/latest/userguide/enrollment-prerequisites.html
- Control Tower does not enable AWS Config in the management account (AWS SRA "AWS Config Control Tower Management
  Account" solution, aws-samples/aws-security-reference-architecture-examples, solutions/config/config_management_account).
- Landing zone 4.0: a service-linked Config aggregator in the audit account, which becomes AWS Config's delegated
  administrator: docs.aws.amazon.com/controltower/latest/userguide/config.html
- Logs of CloudTrail and AWS Config go to ``aws-controltower-logs-<log archive id>-<home Region>`` in the log archive
  account; server access logs to ``aws-controltower-s3-access-logs-<id>-<Region>`` (AWS prescriptive guidance
  "Designing a Control Tower landing zone", storage; ASEA log file locations).
- Control Tower's trusted access: ``controltower.amazonaws.com`` (docs.aws.amazon.com/organizations/latest/userguide/
  services-that-can-integrate-CTower.html); the organisation trail (``cloudtrail.amazonaws.com``), AWS Config's
  aggregator and delegated administrator (``config.amazonaws.com``) and IAM Identity Center (``sso.amazonaws.com``)
  are integrations a landing zone sets up.
"""

from __future__ import annotations

from .trusted_access import TrustedAccess

TRAIL = "aws-controltower-BaselineCloudTrail"
LOG_GROUP = "aws-controltower/CloudTrailLogs"
RECORDER = "aws-controltower-BaselineConfigRecorder"
EXECUTION_ROLE = "AWSControlTowerExecution"
KEY = ("organization", "control_tower")
KEY_TEXT = "organization.control_tower"


def logs_bucket(log_archive_id: str, region: str) -> str:
    return f"aws-controltower-logs-{log_archive_id}-{region}"


# The trusted access a Control Tower landing zone relies on: the management root keeps these principals in the
# organisation's aws_service_access_principals (AWS Organizations would otherwise disable the integrations).
_WHY = "AWS Control Tower (organization.control_tower) relies on it"
TRUSTED_ACCESS = (
    TrustedAccess("controltower.amazonaws.com", "AWS Control Tower (organization.control_tower) detects drift and tracks account and OU changes"),
    TrustedAccess("cloudtrail.amazonaws.com", f"Control Tower's organisation trail `{TRAIL}` records every account"),
    TrustedAccess("config.amazonaws.com", f"{_WHY}: its Config aggregator and AWS Config's delegated administrator"),
    TrustedAccess("sso.amazonaws.com", f"{_WHY}: IAM Identity Center, where its landing zone gives people access"),
)
PRINCIPALS = tuple(access.principal for access in TRUSTED_ACCESS)


def on(profile) -> bool:
    """Whether the profile (a Profile) runs in Control Tower mode."""
    return bool(getattr(profile.organization, "control_tower", False))


def on_in(data: dict) -> bool:
    """The same for a validated profile dict."""
    org = data.get("organization")
    return isinstance(org, dict) and org.get("control_tower") is True and bool(data.get("accounts"))


def enrolled(account) -> bool:
    """Control Tower records every account it enrols with its own Config recorder; it never enrols the management
    account, nor accounts of OUs it does not govern (accounts[].control_tower: false): there the baseline keeps its
    recorder."""
    return account.role != "management" and account.control_tower


def readme_context(profile) -> dict | None:
    """What the generated README's "Control Tower mode" section names (None: not in that mode)."""
    if not on(profile):
        return None
    home = profile.organization.home_region
    return {"trail": TRAIL, "log_group": LOG_GROUP, "recorder": RECORDER, "execution_role": EXECUTION_ROLE,
            "principals": PRINCIPALS, "home_region": home,
            "bucket": logs_bucket(profile.log_archive.account_id, home),
            "management": next(a.name for a in profile.organization.accounts if a.role == "management"),
            "enrolled": [a.name for a in profile.organization.accounts if enrolled(a)],
            "unenrolled": [a.name for a in profile.organization.accounts if a.role != "management" and not enrolled(a)]}
