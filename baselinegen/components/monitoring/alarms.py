"""CloudWatch alarm catalog: the CIS AWS Foundations monitoring alarms plus two seed alarms.

Each `AlarmSpec` is one `aws_cloudwatch_log_metric_filter` + `aws_cloudwatch_metric_alarm` pair on the
CloudTrail log group. The filter patterns are byte-exact copies of the reference
(`reference/cis-aws-foundations.md`, section 4 "Metric-filter patterns (verbatim)"; the two EC2 alarms from
`product.md`, "Alarms", which quotes seed 003). Do not retype or reformat them: Security Hub compares its
strings exactly, and `tests/fixtures/cis_metric_filter_patterns.json` pins every one.

Which string a benchmark renders (the reference's table "Which string to render"; `cis-1.2` and `cis-1.4` use
the exact strings Security Hub compares against, `cis-3.0` the benchmark's text):

* ``cis-1.2``: the Security Hub exact-match string for CIS 4.1-4.14 (3.1-3.14 in 1.2.0 numbering).
* ``cis-1.4``: the Security Hub string for 4.3-4.14. Security Hub's CIS 1.4.0 standard does not evaluate
  4.1 or 4.2, so 4.1 uses the explicitly grouped form (the CIS text ORs its ``!=`` terms and would alarm on
  almost every API call) and 4.2 the CIS alternative form that skips SSO and failed sign-ins.
* ``cis-3.0``: the CIS v3.0.0 text (byte-identical to v1.4.0 and v2.0.0) for 4.3-4.12 and 4.14, the CIS
  primary form for 4.2, the grouped form for 4.1, and for 4.13 the constructed unambiguous form with
  ``$.eventSource = ec2.amazonaws.com`` (the CIS audit text is ``A && B || C ...``, which binds as
  ``(A && B) || C ...``).
* 4.15 (AWS Organizations; not in CIS 1.2.0 but rendered there too): in every benchmark the CIS text with
  ``CancelHandshake``, ``CreateOrganization`` and ``EnableAllFeatures`` added, because prowler requires 21
  event names and every CIS string has 18.
* Route tables need two filters under ``cis-1.2`` and ``cis-1.4``: Security Hub CloudWatch.13 requires the
  string without an eventSource term, prowler requires ``$.eventSource = ec2.amazonaws.com``. So
  ``route-table-changes-ec2-source`` (the eventSource form) is rendered by default under those two benchmarks
  only; under ``cis-3.0`` ``route-table-changes`` already is that form.
* The two seed alarms (``ec2-instance-changes``, ``ec2-large-instance-changes``, from AWS's CloudTrail alarm
  template) have no CIS or Security Hub control and are rendered under every benchmark.

A profile may exclude alarms by id; `alarms_for` applies the exclusions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BENCHMARKS = ("cis-1.2", "cis-1.4", "cis-3.0")

_ALL = BENCHMARKS

# --- Pattern strings (copied programmatically from the reference; do not edit by hand) -----------------------
# SH_* = "Security Hub (exact match)"; CIS_* = "CIS text v1.4.0-v3.0.0" (4.4-4.12 and 4.14: identical through
# v5.0.0, 4.10 through v4.0.1).

# 4.1 Unauthorized API calls
_SH_4_1 = '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}'
_GROUPED_4_1 = '{(($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && (($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket"))}'
# 4.2 Console sign-in without MFA. The reference's alternative form is byte-identical to the Security Hub string.
_SH_4_2 = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'
_CIS_PRIMARY_4_2 = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }'
_CIS_ALT_4_2 = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }'
# 4.3 Root account usage
_SH_4_3 = '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}'
_CIS_4_3 = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'
# 4.4 IAM policy changes
_SH_4_4 = '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}'
_CIS_4_4 = '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}'
# 4.5 CloudTrail configuration changes
_SH_4_5 = '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}'
_CIS_4_5 = '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }'
# 4.6 Console authentication failures
_SH_4_6 = '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'
_CIS_4_6 = '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
# 4.7 Disabling / scheduled deletion of customer-managed KMS keys
_SH_4_7 = '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}'
_CIS_4_7 = '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }'
# 4.8 S3 bucket policy changes
_SH_4_8 = '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}'
_CIS_4_8 = '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }'
# 4.9 AWS Config configuration changes
_SH_4_9 = '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}'
_CIS_4_9 = '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }'
# 4.10 Security group changes (v1.4.0-v4.0.1 text, without ModifySecurityGroupRules)
_SH_4_10 = '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}'
_CIS_4_10 = '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }'
# 4.11 NACL changes
_SH_4_11 = '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}'
_CIS_4_11 = '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }'
# 4.12 Network gateway changes
_SH_4_12 = '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}'
_CIS_4_12 = '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }'
# 4.13 Route table changes: Security Hub string (no eventSource) and the constructed unambiguous eventSource form
_SH_4_13 = '{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}'
_EC2_SOURCE_4_13 = '{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }'
# 4.14 VPC changes
_SH_4_14 = '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}'
_CIS_4_14 = '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }'
# 4.15 AWS Organizations changes: CIS v1.4.0-v3.0.0 text + CancelHandshake, CreateOrganization, EnableAllFeatures
_CIS_PLUS3_4_15 = '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit") || ($.eventName = "CancelHandshake") || ($.eventName = "CreateOrganization") || ($.eventName = "EnableAllFeatures")) }'
# Seed 003 (AWS CloudTrail alarm template), as quoted in product.md "Alarms"
_SEED_EC2_INSTANCE = '{ ($.eventName = RunInstances) || ($.eventName = RebootInstances) || ($.eventName = StartInstances) || ($.eventName = StopInstances) || ($.eventName = TerminateInstances) }'
_SEED_EC2_LARGE_INSTANCE = '{ ($.eventName = RunInstances) && (($.requestParameters.instanceType = *.8xlarge) || ($.requestParameters.instanceType = *.4xlarge)) }'

# --- Where a string comes from ---------------------------------------------------------------------------------
_GROUPED_SOURCE = (
    "explicitly grouped form: the CIS text ORs its != terms and would match almost every API call "
    "(Security Hub's CIS 1.4.0 standard does not evaluate 4.1)"
)
_ORG_SOURCE = (
    "CIS v1.4.0-v3.0.0 text with CancelHandshake, CreateOrganization, EnableAllFeatures added "
    "(constructed in the reference; prowler requires 21 event names)"
)
_EC2_SOURCE_SOURCE = (
    "constructed unambiguous eventSource form of the CIS 4.13 remediation text "
    "(prowler requires $.eventSource = ec2.amazonaws.com; Security Hub CloudWatch.13 rejects it)"
)
_SEED_SOURCE = "seed 003 (AWS CloudTrail alarm template)"


def _sh(n: int) -> str:
    return f"Security Hub CloudWatch.{n} exact-match string"


@dataclass(frozen=True)
class AlarmSpec:
    """One metric filter + alarm. `patterns` holds one (benchmark, pattern, source) row per benchmark."""

    id: str
    metric_name: str
    title: str
    description: str
    cis: tuple[tuple[str, str], ...]
    security_hub: str | None
    patterns: tuple[tuple[str, str, str], ...]
    default_in: tuple[str, ...]

    def __post_init__(self) -> None:
        if tuple(b for b, _, _ in self.patterns) != BENCHMARKS:
            raise ValueError(f"alarm {self.id}: patterns must list {BENCHMARKS} in that order")
        for benchmark in (*(b for b, _ in self.cis), *self.default_in):
            _check_benchmark(benchmark)

    def _row(self, benchmark: str) -> tuple[str, str, str]:
        _check_benchmark(benchmark)
        return next(row for row in self.patterns if row[0] == benchmark)

    def pattern(self, benchmark: str) -> str:
        """The exact filter pattern this benchmark renders."""
        return self._row(benchmark)[1]

    def pattern_source(self, benchmark: str) -> str:
        """Where that pattern comes from (reference form, CIS version or seed)."""
        return self._row(benchmark)[2]

    def cis_id(self, benchmark: str) -> str | None:
        """The CIS control id in that benchmark's numbering, or None when it has no such control."""
        _check_benchmark(benchmark)
        return dict(self.cis).get(benchmark)


def _check_benchmark(benchmark: str) -> None:
    if benchmark not in BENCHMARKS:
        raise ValueError(f"unknown benchmark {benchmark!r}; expected one of {', '.join(BENCHMARKS)}")


def _cis(v12: str | None, v4: str) -> tuple[tuple[str, str], ...]:
    """CIS ids: 1.2.0 numbers monitoring 3.x; 1.4.0 and 3.0.0 share 4.x."""
    head = (("cis-1.2", v12),) if v12 else ()
    return (*head, ("cis-1.4", v4), ("cis-3.0", v4))


CATALOG: tuple[AlarmSpec, ...] = (
    AlarmSpec(
        id="unauthorized-api-calls",
        metric_name="UnauthorizedAPICalls",
        title="Unauthorized API calls",
        description=(
            "An AWS API call was refused with UnauthorizedOperation or AccessDenied. A burst can mean stolen "
            "credentials probing for permissions, or a deployment role that lost access; check the calling "
            "principal, source IP and attempted actions in CloudTrail."
        ),
        cis=_cis("3.1", "4.1"),
        security_hub="CloudWatch.2",
        patterns=(
            ("cis-1.2", _SH_4_1, _sh(2) + " (evaluated only by the CIS 1.2.0 standard)"),
            ("cis-1.4", _GROUPED_4_1, _GROUPED_SOURCE),
            ("cis-3.0", _GROUPED_4_1, _GROUPED_SOURCE),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="console-signin-without-mfa",
        metric_name="ConsoleSigninWithoutMFA",
        title="Console sign-in without MFA",
        description=(
            "Someone signed in to the AWS console without MFA. A password alone is easy to phish or reuse; "
            "confirm with the user that the sign-in was theirs (source IP and time are in CloudTrail) and "
            "make them enable MFA."
        ),
        cis=_cis("3.2", "4.2"),
        security_hub="CloudWatch.3",
        patterns=(
            ("cis-1.2", _SH_4_2, _sh(3) + " (evaluated only by the CIS 1.2.0 standard)"),
            (
                "cis-1.4",
                _CIS_ALT_4_2,
                "CIS v1.4.0 text, alternative form that skips SSO and failed sign-ins "
                "(Security Hub's CIS 1.4.0 standard does not evaluate 4.2)",
            ),
            ("cis-3.0", _CIS_PRIMARY_4_2, "CIS v3.0.0 text, primary form"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="root-usage",
        metric_name="RootUsage",
        title="Root user activity",
        description=(
            "The root user of this account made an API call or console action. Root has unrestricted access "
            "and should never be used day to day; find out who holds the root credentials and why, check the "
            "source IP in CloudTrail, and rotate the root password if the use was not planned."
        ),
        cis=_cis("3.3", "4.3"),
        security_hub="CloudWatch.1",
        patterns=(
            ("cis-1.2", _SH_4_3, _sh(1)),
            ("cis-1.4", _SH_4_3, _sh(1)),
            ("cis-3.0", _CIS_4_3, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="iam-policy-changes",
        metric_name="IAMPolicyChanges",
        title="IAM policy changes",
        description=(
            "An IAM policy was created, changed, deleted, attached or detached. Policy changes can quietly "
            "grant more access than intended; check who made the change in CloudTrail and review the policy "
            "document and the users, groups or roles it now applies to."
        ),
        cis=_cis("3.4", "4.4"),
        security_hub="CloudWatch.4",
        patterns=(
            ("cis-1.2", _SH_4_4, _sh(4)),
            ("cis-1.4", _SH_4_4, _sh(4)),
            ("cis-3.0", _CIS_4_4, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="cloudtrail-changes",
        metric_name="CloudTrailChanges",
        title="CloudTrail configuration changes",
        description=(
            "A CloudTrail trail was created, updated or deleted, or its logging was started or stopped. "
            "Attackers stop or redirect logging to hide what they do next; check who made the change and "
            "confirm the trail still logs to its bucket and log group."
        ),
        cis=_cis("3.5", "4.5"),
        security_hub="CloudWatch.5",
        patterns=(
            ("cis-1.2", _SH_4_5, _sh(5)),
            ("cis-1.4", _SH_4_5, _sh(5)),
            ("cis-3.0", _CIS_4_5, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="console-signin-failures",
        metric_name="ConsoleSigninFailures",
        title="Console sign-in failures",
        description=(
            "Console sign-in attempts failed authentication. Repeated failures can be password guessing; "
            "check the user names and source IPs in CloudTrail, and lock or reset an account that is being "
            "targeted."
        ),
        cis=_cis("3.6", "4.6"),
        security_hub="CloudWatch.6",
        patterns=(
            ("cis-1.2", _SH_4_6, _sh(6)),
            ("cis-1.4", _SH_4_6, _sh(6)),
            ("cis-3.0", _CIS_4_6, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="kms-key-disable-or-deletion",
        metric_name="KMSKeyDisableOrDeletion",
        title="KMS key disabled or scheduled for deletion",
        description=(
            "A customer-managed KMS key was disabled or scheduled for deletion. Data encrypted under it becomes "
            "unreadable, and a deleted key cannot be recovered; check who did it and, if it was not planned, "
            "re-enable the key or cancel the deletion during the waiting period."
        ),
        cis=_cis("3.7", "4.7"),
        security_hub="CloudWatch.7",
        patterns=(
            ("cis-1.2", _SH_4_7, _sh(7)),
            ("cis-1.4", _SH_4_7, _sh(7)),
            ("cis-3.0", _CIS_4_7, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="s3-bucket-policy-changes",
        metric_name="S3BucketPolicyChanges",
        title="S3 bucket policy changes",
        description=(
            "An S3 bucket policy, ACL, CORS, lifecycle or replication setting was changed or deleted. Such "
            "changes can make data public, copy it elsewhere or expire it; check which bucket changed, who "
            "changed it, and the bucket's new settings."
        ),
        cis=_cis("3.8", "4.8"),
        security_hub="CloudWatch.8",
        patterns=(
            ("cis-1.2", _SH_4_8, _sh(8)),
            ("cis-1.4", _SH_4_8, _sh(8)),
            ("cis-3.0", _CIS_4_8, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="config-changes",
        metric_name="AWSConfigChanges",
        title="AWS Config changes",
        description=(
            "AWS Config recording or delivery was stopped or reconfigured. Without Config, resource changes "
            "are no longer recorded or checked against rules; check who made the change and that the "
            "configuration recorder is still running."
        ),
        cis=_cis("3.9", "4.9"),
        security_hub="CloudWatch.9",
        patterns=(
            ("cis-1.2", _SH_4_9, _sh(9)),
            ("cis-1.4", _SH_4_9, _sh(9)),
            ("cis-3.0", _CIS_4_9, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="security-group-changes",
        metric_name="SecurityGroupChanges",
        title="Security group changes",
        description=(
            "A security group was created or deleted, or an ingress or egress rule was added or revoked. A new "
            "rule can open a port to the internet; check the rule's ports and CIDR ranges in CloudTrail and "
            "who made the change."
        ),
        cis=_cis("3.10", "4.10"),
        security_hub="CloudWatch.10",
        patterns=(
            ("cis-1.2", _SH_4_10, _sh(10)),
            ("cis-1.4", _SH_4_10, _sh(10)),
            ("cis-3.0", _CIS_4_10, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="nacl-changes",
        metric_name="NACLChanges",
        title="Network ACL changes",
        description=(
            "A network ACL, one of its entries or a subnet association was created, replaced or deleted. NACLs "
            "are the subnet-level firewall; look for entries that now allow traffic from 0.0.0.0/0 and check "
            "who made the change."
        ),
        cis=_cis("3.11", "4.11"),
        security_hub="CloudWatch.11",
        patterns=(
            ("cis-1.2", _SH_4_11, _sh(11)),
            ("cis-1.4", _SH_4_11, _sh(11)),
            ("cis-3.0", _CIS_4_11, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="network-gateway-changes",
        metric_name="NetworkGatewayChanges",
        title="Network gateway changes",
        description=(
            "An internet gateway or customer gateway was created, deleted, attached or detached. A new path "
            "into or out of a VPC can bypass network controls; check which VPC is affected and whether the "
            "change was planned."
        ),
        cis=_cis("3.12", "4.12"),
        security_hub="CloudWatch.12",
        patterns=(
            ("cis-1.2", _SH_4_12, _sh(12)),
            ("cis-1.4", _SH_4_12, _sh(12)),
            ("cis-3.0", _CIS_4_12, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="route-table-changes",
        metric_name="RouteTableChanges",
        title="Route table changes",
        description=(
            "A route or route table was created, replaced, deleted or disassociated. Routing changes can send "
            "traffic around inspection or out through an unexpected gateway; check the affected route table "
            "and its new routes in CloudTrail."
        ),
        cis=_cis("3.13", "4.13"),
        security_hub="CloudWatch.13",
        patterns=(
            ("cis-1.2", _SH_4_13, _sh(13)),
            ("cis-1.4", _SH_4_13, _sh(13)),
            ("cis-3.0", _EC2_SOURCE_4_13, _EC2_SOURCE_SOURCE),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="route-table-changes-ec2-source",
        metric_name="RouteTableChangesEC2Source",
        title="Route table changes (EC2 event source)",
        description=(
            "Same route table events as the RouteTableChanges alarm, restricted to ec2.amazonaws.com so that "
            "prowler recognises the filter; it fires together with that alarm, so handle both as one incident "
            "and review the affected route table and its new routes."
        ),
        cis=_cis("3.13", "4.13"),
        security_hub=None,
        patterns=(
            ("cis-1.2", _EC2_SOURCE_4_13, _EC2_SOURCE_SOURCE),
            ("cis-1.4", _EC2_SOURCE_4_13, _EC2_SOURCE_SOURCE),
            ("cis-3.0", _EC2_SOURCE_4_13, _EC2_SOURCE_SOURCE),
        ),
        default_in=("cis-1.2", "cis-1.4"),
    ),
    AlarmSpec(
        id="vpc-changes",
        metric_name="VPCChanges",
        title="VPC changes",
        description=(
            "A VPC was created, deleted or modified, or a VPC peering or ClassicLink connection changed. "
            "Peering and new VPCs can connect networks that should stay apart; check which VPCs are involved "
            "and who made the change."
        ),
        cis=_cis("3.14", "4.14"),
        security_hub="CloudWatch.14",
        patterns=(
            ("cis-1.2", _SH_4_14, _sh(14)),
            ("cis-1.4", _SH_4_14, _sh(14)),
            ("cis-3.0", _CIS_4_14, "CIS v3.0.0 text"),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="organizations-changes",
        metric_name="OrganizationsChanges",
        title="AWS Organizations changes",
        description=(
            "AWS Organizations changed: an account, organizational unit, policy (such as an SCP) or handshake. "
            "These changes can lift guardrails from every account at once; check who made the change in the "
            "management account's CloudTrail and review the affected policy or account."
        ),
        cis=_cis(None, "4.15"),
        security_hub=None,
        patterns=(
            ("cis-1.2", _CIS_PLUS3_4_15, _ORG_SOURCE + "; CIS 1.2.0 has no Organizations control"),
            ("cis-1.4", _CIS_PLUS3_4_15, _ORG_SOURCE),
            ("cis-3.0", _CIS_PLUS3_4_15, _ORG_SOURCE),
        ),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="ec2-instance-changes",
        metric_name="EC2InstanceChanges",
        title="EC2 instance changes",
        description=(
            "An EC2 instance was launched, started, stopped, rebooted or terminated. Unexpected instance "
            "activity can mean a compromised principal running its own workloads or disrupting service; check "
            "the instance ids and the calling principal in CloudTrail."
        ),
        cis=(),
        security_hub=None,
        patterns=tuple((b, _SEED_EC2_INSTANCE, _SEED_SOURCE) for b in BENCHMARKS),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="ec2-large-instance-changes",
        metric_name="EC2LargeInstanceChanges",
        title="EC2 large instance changes",
        description=(
            "A 4xlarge or 8xlarge EC2 instance was launched. Large instances launched with stolen credentials "
            "are a common sign of cryptocurrency mining and cost a lot per hour; check who launched it and "
            "stop it if nobody expects it."
        ),
        cis=(),
        security_hub=None,
        patterns=tuple((b, _SEED_EC2_LARGE_INSTANCE, _SEED_SOURCE) for b in BENCHMARKS),
        default_in=_ALL,
    ),
)

_BY_ID = {alarm.id: alarm for alarm in CATALOG}


def by_id() -> dict[str, AlarmSpec]:
    """Every alarm keyed by id (a fresh dict; catalog order)."""
    return dict(_BY_ID)


def alarms_for(benchmark: str, exclude: Iterable[str] = ()) -> list[AlarmSpec]:
    """The alarms a benchmark renders: catalog order, those whose `default_in` contains it, minus `exclude`.

    Raises ValueError for an unknown benchmark or an unknown id in `exclude` (a typo would otherwise keep
    the alarm silently).
    """
    _check_benchmark(benchmark)
    if isinstance(exclude, str):
        raise ValueError(f"exclude must be a collection of alarm ids, not the string {exclude!r}")
    excluded = set(exclude)
    unknown = sorted(excluded - _BY_ID.keys())
    if unknown:
        raise ValueError(f"unknown alarm id(s) in exclude: {', '.join(unknown)}")
    return [a for a in CATALOG if benchmark in a.default_in and a.id not in excluded]
