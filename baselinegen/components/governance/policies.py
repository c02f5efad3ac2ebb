"""The organisation's service control policies, as data: the guardrails and the optional Region restriction.

Two policies, not one per guardrail: a root holds a limited number of SCPs (policy_presets/quotas.py), and AWS's own
FullAWSAccess already takes one of them; two leave the organisation room for its own.
"""

from __future__ import annotations

import json

from ...policy.document import PARTITION_TOKEN, Condition, PolicyDocument, Statement, to_json_policy
from ...policy_presets.quotas import QUOTAS
from ...profile.model import Governance, Profile
from .. import control_tower

SCP_MAX_CHARACTERS = QUOTAS["scp"].max_characters  # AWS Organizations' limit for a service control policy (quotas.py)

# Actions that stop, delete or blind a security service, by statement id. Only the deployment role may call
# them, so that Terraform keeps managing the services while nobody else can turn them off.
PROTECTED_SERVICES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ProtectCloudTrail", "CloudTrail", (
        "cloudtrail:DeleteTrail",
        "cloudtrail:PutEventSelectors",
        "cloudtrail:StopLogging",
        "cloudtrail:UpdateTrail",
    )),
    ("ProtectConfig", "AWS Config", (
        "config:DeleteConfigurationRecorder",
        "config:DeleteDeliveryChannel",
        "config:DeleteRetentionConfiguration",
        "config:PutConfigurationRecorder",
        "config:PutDeliveryChannel",
        "config:PutRetentionConfiguration",
        "config:StopConfigurationRecorder",
    )),
    ("ProtectGuardDuty", "GuardDuty", (
        "guardduty:DeleteDetector",
        "guardduty:DeleteMembers",
        "guardduty:DisassociateFromAdministratorAccount",
        "guardduty:DisassociateFromMasterAccount",
        "guardduty:DisassociateMembers",
        "guardduty:StopMonitoringMembers",
        "guardduty:UpdateDetector",
        "guardduty:UpdateOrganizationConfiguration",
    )),
    ("ProtectSecurityHub", "Security Hub", (
        "securityhub:BatchDisableStandards",
        "securityhub:BatchUpdateStandardsControlAssociations",
        "securityhub:DeleteFindingAggregator",
        "securityhub:DeleteMembers",
        "securityhub:DisableImportFindingsForProduct",
        "securityhub:DisableSecurityHub",
        "securityhub:DisassociateFromAdministratorAccount",
        "securityhub:DisassociateFromMasterAccount",
        "securityhub:DisassociateMembers",
        "securityhub:UpdateOrganizationConfiguration",
        "securityhub:UpdateStandardsControl",
    )),
    ("ProtectAccessAnalyzer", "IAM Access Analyzer", (
        "access-analyzer:DeleteAnalyzer",
    )),
)

# Global services and the few global operations of regional ones: their requests go to one endpoint (mostly in
# us-east-1) whatever Region the caller works in, so a Region restriction must not deny them. The list of AWS's
# example SCP "Deny access to AWS based on the requested AWS Region" (AWS Organizations User Guide), which AWS
# says may lag behind new global services.
GLOBAL_SERVICE_ACTIONS: tuple[str, ...] = (
    "a4b:*",
    "acm:*",
    "aws-marketplace-management:*",
    "aws-marketplace:*",
    "aws-portal:*",
    "budgets:*",
    "ce:*",
    "chime:*",
    "cloudfront:*",
    "config:*",
    "cur:*",
    "directconnect:*",
    "ec2:DescribeRegions",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeVpnGateways",
    "fms:*",
    "globalaccelerator:*",
    "health:*",
    "iam:*",
    "importexport:*",
    "kms:*",
    "mobileanalytics:*",
    "networkmanager:*",
    "organizations:*",
    "pricing:*",
    "route53-recovery-cluster:*",
    "route53-recovery-control-config:*",
    "route53-recovery-readiness:*",
    "route53:*",
    "route53domains:*",
    "s3:GetAccountPublic*",
    "s3:ListAllMyBuckets",
    "s3:ListMultiRegionAccessPoints",
    "s3:PutAccountPublic*",
    "shield:*",
    "sts:*",
    "support:*",
    "trustedadvisor:*",
    "waf-regional:*",
    "waf:*",
    "wafv2:*",
    "wellarchitected:*",
)

ROOT_USER_ARN = f"arn:{PARTITION_TOKEN}:iam::*:root"


def deployment_role_pattern(profile: Profile) -> str:
    """The deployment role in every account: exempt from the guardrails so that Terraform can manage the services."""
    return f"arn:{PARTITION_TOKEN}:iam::*:role/{profile.organization.deployment_role}"


def _unless_deployment_role(profile: Profile) -> Condition:
    """The deployment role (first applies) and, with ci.github, the baseline's apply role (CI's applies). The plan role
    is not exempt: it only reads, and only in the organisation's Regions."""
    ci_apply = (f"arn:{PARTITION_TOKEN}:iam::*:role/{profile.organization.name}-baseline-apply",) if profile.ci.github else ()
    # Control Tower mode: Control Tower manages enrolled accounts (its trail, recorders, roles) through this role.
    tower = (f"arn:{PARTITION_TOKEN}:iam::*:role/{control_tower.EXECUTION_ROLE}",) if control_tower.on(profile) else ()
    return Condition("ArnNotLike", "aws:PrincipalArn", tuple(dict.fromkeys((deployment_role_pattern(profile),) + ci_apply + tower)))


def guardrail_statements(profile: Profile) -> tuple[Statement, ...]:
    """The statements of the guardrails policy that the profile turns on, in a fixed order."""
    g: Governance = profile.governance
    statements = []
    if g.deny_leaving_organization:
        statements.append(Statement("DenyLeavingOrganization", effect="Deny", actions=("organizations:LeaveOrganization",), resources=("*",)))
    if g.protect_security_services:
        statements += [Statement(sid, effect="Deny", actions=actions, resources=("*",), conditions=(_unless_deployment_role(profile),))
                       for sid, _, actions in PROTECTED_SERVICES]
    if g.deny_root_user:
        # aws:AssumedRoot is absent from the root user's own sign-ins and present in the short root sessions the
        # management account opens with sts:AssumeRoot (centralised root access), which stay possible.
        statements.append(Statement("DenyRootUser", effect="Deny", actions=("*",), resources=("*",),
                                    conditions=(Condition("ArnLike", "aws:PrincipalArn", (ROOT_USER_ARN,)),
                                                Condition("Null", "aws:AssumedRoot", ("true",)))))
    return tuple(statements)


def region_restriction_statement(profile: Profile) -> Statement:
    return Statement("DenyOutsideOrganizationRegions", effect="Deny", not_actions=GLOBAL_SERVICE_ACTIONS, resources=("*",),
                     conditions=(Condition("StringNotEquals", "aws:RequestedRegion", profile.organization.regions),
                                 _unless_deployment_role(profile)))


def service_control_policies(profile: Profile) -> list[PolicyDocument]:
    """The SCPs the profile asks for; each document's name is its Terraform name, ``<org>-<name>`` its SCP name."""
    policies = []
    guardrails = guardrail_statements(profile)
    if guardrails:
        policies.append(PolicyDocument(
            name="guardrails",
            description="baselinegen guardrails for every member account: " + ", ".join(_guardrail_summary(profile.governance, profile.ci.github, _and_control_tower(profile))) + ".",
            statements=guardrails))
    if profile.governance.restrict_regions:
        policies.append(PolicyDocument(
            name="region_restriction",
            description=f"baselinegen: no requests outside {', '.join(profile.organization.regions)}, except to global services and by the deployment role{_AND_CI_APPLY if profile.ci.github else ''}{_and_control_tower(profile)}.",
            statements=(region_restriction_statement(profile),)))
    return policies


_AND_CI_APPLY = " and the CI apply role"
_AND_CONTROL_TOWER = f" and Control Tower's {control_tower.EXECUTION_ROLE}"


def _and_control_tower(profile: Profile) -> str:
    """How descriptions name Control Tower's role next to the deployment role (nothing when that is the same role)."""
    tower = control_tower.on(profile) and profile.organization.deployment_role != control_tower.EXECUTION_ROLE
    return _AND_CONTROL_TOWER if tower else ""


def _guardrail_summary(g: Governance, ci_github=None, tower: str = "") -> list[str]:
    parts = []
    if g.deny_leaving_organization:
        parts.append("no leaving the organisation")
    if g.protect_security_services:
        parts.append("CloudTrail, Config, GuardDuty, Security Hub and Access Analyzer changed only by the deployment role"
                     + (_AND_CI_APPLY if ci_github else "") + tower)
    if g.deny_root_user:
        parts.append("no root user")
    return parts


def scp_name(profile: Profile, document: PolicyDocument) -> str:
    return f"{profile.organization.name}-{document.name.replace('_', '-')}"


def minified_size(policy: dict) -> int:
    """Characters of a policy as aws_iam_policy_document's minified_json writes it."""
    return len(json.dumps(policy, separators=(",", ":"), ensure_ascii=False))


def rendered_size(document: PolicyDocument, partition: str) -> int:
    return minified_size(to_json_policy(document, partition=partition, account_id="000000000000"))
