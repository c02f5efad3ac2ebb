"""The CIS AWS Foundations monitoring alarms (4.1-4.15 in CIS 1.4.0 numbering) with their patterns per benchmark."""

from __future__ import annotations

from .alarm_patterns import (
    CIS5_4_10, CIS_4_10, CIS_4_11, CIS_4_12, CIS_4_14, CIS_4_3, CIS_4_4, CIS_4_5, CIS_4_6, CIS_4_7, CIS_4_8, CIS_4_9,
    CIS_ALT_4_2, CIS_PLUS3_4_15, CIS_PRIMARY_4_2, EC2_SOURCE_4_13, EC2_SOURCE_SOURCE, GROUPED_4_1,
    GROUPED_SOURCE, ORG_SOURCE, SH_4_1, SH_4_10, SH_4_11, SH_4_12, SH_4_13, SH_4_14, SH_4_2, SH_4_3, SH_4_4,
    SH_4_5, SH_4_6, SH_4_7, SH_4_8, SH_4_9, security_hub_source,
)
from .alarm_spec import BENCHMARKS, AlarmSpec, cis_numbers, with_v5

_ALL = BENCHMARKS

CIS_ALARMS: tuple[AlarmSpec, ...] = (
    AlarmSpec(
        id="unauthorized-api-calls",
        metric_name="UnauthorizedAPICalls",
        title="Unauthorized API calls",
        description=(
            "An AWS API call was refused with UnauthorizedOperation or AccessDenied. A burst can mean stolen "
            "credentials probing for permissions, or a deployment role that lost access; check the calling "
            "principal, source IP and attempted actions in CloudTrail."
        ),
        cis=cis_numbers("3.1", "4.1"),
        security_hub="CloudWatch.2",
        patterns=with_v5((
            ("cis-1.2", SH_4_1, security_hub_source(2) + " (evaluated only by the CIS 1.2.0 standard)"),
            ("cis-1.4", GROUPED_4_1, GROUPED_SOURCE),
            ("cis-3.0", GROUPED_4_1, GROUPED_SOURCE),
        )),
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
        cis=cis_numbers("3.2", "4.2"),
        security_hub="CloudWatch.3",
        patterns=with_v5((
            ("cis-1.2", SH_4_2, security_hub_source(3) + " (evaluated only by the CIS 1.2.0 standard)"),
            (
                "cis-1.4",
                CIS_ALT_4_2,
                "CIS v1.4.0 text, alternative form that skips SSO and failed sign-ins "
                "(Security Hub's CIS 1.4.0 standard does not evaluate 4.2)",
            ),
            ("cis-3.0", CIS_PRIMARY_4_2, "CIS v3.0.0 text, primary form"),
        )),
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
        cis=cis_numbers("3.3", "4.3"),
        security_hub="CloudWatch.1",
        patterns=with_v5((
            ("cis-1.2", SH_4_3, security_hub_source(1)),
            ("cis-1.4", SH_4_3, security_hub_source(1)),
            ("cis-3.0", CIS_4_3, "CIS v3.0.0 text"),
        )),
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
        cis=cis_numbers("3.4", "4.4"),
        security_hub="CloudWatch.4",
        patterns=with_v5((
            ("cis-1.2", SH_4_4, security_hub_source(4)),
            ("cis-1.4", SH_4_4, security_hub_source(4)),
            ("cis-3.0", CIS_4_4, "CIS v3.0.0 text"),
        )),
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
        cis=cis_numbers("3.5", "4.5"),
        security_hub="CloudWatch.5",
        patterns=with_v5((
            ("cis-1.2", SH_4_5, security_hub_source(5)),
            ("cis-1.4", SH_4_5, security_hub_source(5)),
            ("cis-3.0", CIS_4_5, "CIS v3.0.0 text"),
        )),
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
        cis=cis_numbers("3.6", "4.6"),
        security_hub="CloudWatch.6",
        patterns=with_v5((
            ("cis-1.2", SH_4_6, security_hub_source(6)),
            ("cis-1.4", SH_4_6, security_hub_source(6)),
            ("cis-3.0", CIS_4_6, "CIS v3.0.0 text"),
        )),
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
        cis=cis_numbers("3.7", "4.7"),
        security_hub="CloudWatch.7",
        patterns=with_v5((
            ("cis-1.2", SH_4_7, security_hub_source(7)),
            ("cis-1.4", SH_4_7, security_hub_source(7)),
            ("cis-3.0", CIS_4_7, "CIS v3.0.0 text"),
        )),
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
        cis=cis_numbers("3.8", "4.8"),
        security_hub="CloudWatch.8",
        patterns=with_v5((
            ("cis-1.2", SH_4_8, security_hub_source(8)),
            ("cis-1.4", SH_4_8, security_hub_source(8)),
            ("cis-3.0", CIS_4_8, "CIS v3.0.0 text"),
        )),
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
        cis=cis_numbers("3.9", "4.9"),
        security_hub="CloudWatch.9",
        patterns=with_v5((
            ("cis-1.2", SH_4_9, security_hub_source(9)),
            ("cis-1.4", SH_4_9, security_hub_source(9)),
            ("cis-3.0", CIS_4_9, "CIS v3.0.0 text"),
        )),
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
        cis=cis_numbers("3.10", "4.10"),
        security_hub="CloudWatch.10",
        patterns=with_v5((
            ("cis-1.2", SH_4_10, security_hub_source(10)),
            ("cis-1.4", SH_4_10, security_hub_source(10)),
            ("cis-3.0", CIS_4_10, "CIS v3.0.0 text"),
        ), CIS5_4_10),
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
        cis=cis_numbers("3.11", "4.11"),
        security_hub="CloudWatch.11",
        patterns=with_v5((
            ("cis-1.2", SH_4_11, security_hub_source(11)),
            ("cis-1.4", SH_4_11, security_hub_source(11)),
            ("cis-3.0", CIS_4_11, "CIS v3.0.0 text"),
        )),
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
        cis=cis_numbers("3.12", "4.12"),
        security_hub="CloudWatch.12",
        patterns=with_v5((
            ("cis-1.2", SH_4_12, security_hub_source(12)),
            ("cis-1.4", SH_4_12, security_hub_source(12)),
            ("cis-3.0", CIS_4_12, "CIS v3.0.0 text"),
        )),
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
        cis=cis_numbers("3.13", "4.13"),
        security_hub="CloudWatch.13",
        patterns=with_v5((
            ("cis-1.2", SH_4_13, security_hub_source(13)),
            ("cis-1.4", SH_4_13, security_hub_source(13)),
            ("cis-3.0", EC2_SOURCE_4_13, EC2_SOURCE_SOURCE),
        )),
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
        cis=cis_numbers("3.13", "4.13"),
        security_hub=None,
        patterns=with_v5((
            ("cis-1.2", EC2_SOURCE_4_13, EC2_SOURCE_SOURCE),
            ("cis-1.4", EC2_SOURCE_4_13, EC2_SOURCE_SOURCE),
            ("cis-3.0", EC2_SOURCE_4_13, EC2_SOURCE_SOURCE),
        )),
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
        cis=cis_numbers("3.14", "4.14"),
        security_hub="CloudWatch.14",
        patterns=with_v5((
            ("cis-1.2", SH_4_14, security_hub_source(14)),
            ("cis-1.4", SH_4_14, security_hub_source(14)),
            ("cis-3.0", CIS_4_14, "CIS v3.0.0 text"),
        )),
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
        cis=cis_numbers(None, "4.15"),
        security_hub=None,
        patterns=with_v5((
            ("cis-1.2", CIS_PLUS3_4_15, ORG_SOURCE + "; CIS 1.2.0 has no Organizations control"),
            ("cis-1.4", CIS_PLUS3_4_15, ORG_SOURCE),
            ("cis-3.0", CIS_PLUS3_4_15, ORG_SOURCE),
        )),
        default_in=_ALL,
    ),
)
