"""The controls of each CIS AWS Foundations Benchmark version baselinegen reports on, with the check that reads the
rendered tree for each. Ids and titles: reference/cis-aws-foundations.md §2 (v1.2.0, v1.4.0, v3.0.0 in full; v5.0.0
from its v4.0.1/v5.0.0 columns and §2.6: section 1 renumbered down by one, EBS 5.1.1, RDS 2.2.x, EFS 2.3.1, networking
5.2-5.7). v6.0.0 and v7.0.0 ids follow from v5.0.0's (catalog/cis_versions.py, from prowler's compliance files, with
its source and date); v7.0.0's new requirements are at the end (controls/organization.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from . import identity, logging, organization, storage
from ..catalog.cis_versions import V7_NEW, later_ids
from ..components.monitoring.alarms import BENCHMARKS
from .monitoring import alarm_verdict_any

FULL_TITLES = {"cis-1.2": "CIS AWS Foundations Benchmark v1.2.0", "cis-1.4": "CIS AWS Foundations Benchmark v1.4.0",
               "cis-3.0": "CIS AWS Foundations Benchmark v3.0.0", "cis-5.0": "CIS AWS Foundations Benchmark v5.0.0",
               "cis-6.0": "CIS AWS Foundations Benchmark v6.0.0", "cis-7.0": "CIS AWS Foundations Benchmark v7.0.0"}
# The alarms render the patterns of BENCHMARKS; the report also judges v6.0.0 and v7.0.0, whose monitoring patterns
# are v5.0.0's (reference §4), by v5.0.0's alarms.
LATER = ("cis-6.0", "cis-7.0")
CONTROL_BENCHMARKS = BENCHMARKS + LATER
assert tuple(FULL_TITLES) == CONTROL_BENCHMARKS


@dataclass(frozen=True)
class Control:
    title: str
    check: Callable  # (Context, control id) -> Verdict
    ids: tuple[tuple[str, str], ...]  # (benchmark, id in its numbering)

    def id_in(self, benchmark: str) -> str | None:
        return dict(self.ids).get(benchmark)


def _c(title: str, check, v12: str | None = None, v14: str | None = None, v30: str | None = None, v50: str | None = None) -> Control:
    ids = tuple((b, i) for b, i in zip(CONTROL_BENCHMARKS, (v12, v14, v30, v50, *later_ids(v50))) if i)
    return Control(title, lambda ctx, _id, check=check: check(ctx), ids)


def _alarm(title: str, v12: str | None, v4: str) -> Control:
    """Section 4 keeps its numbers from v1.4.0 to v5.0.0 (5.x in v6.0.0 and v7.0.0, judged as v5.0.0's 4.x)."""
    def check(ctx, control_id, v4=v4):
        return alarm_verdict_any(replace(ctx, benchmark="cis-5.0"), v4) if ctx.benchmark in LATER else alarm_verdict_any(ctx, control_id)
    return Control(title, check, tuple((b, i) for b, i in zip(CONTROL_BENCHMARKS, (v12, v4, v4, v4, *later_ids(v4))) if i))


_rds = identity.workload("RDS instances")
CONTROLS: tuple[Control, ...] = (
    # Identity and account
    _c("Maintain current contact details", identity.contacts, "1.17", "1.1", "1.1", v50="1.1"),
    _c("Security contact information is registered", identity.security_contact, "1.18", "1.2", "1.2", v50="1.2"),
    _c("Security questions are registered for the root user", identity.security_questions, "1.15", "1.3", "1.3"),
    _c("No root user access key exists", identity.root_access_key, "1.12", "1.4", "1.4", v50="1.3"),
    _c("MFA is enabled for the root user", identity.root_mfa, "1.13", "1.5", "1.5", v50="1.4"),
    _c("Hardware MFA is enabled for the root user", identity.root_hardware_mfa, "1.14", "1.6", "1.6", v50="1.5"),
    _c("Eliminate use of the root user for daily tasks", identity.root_use, "1.1", "1.7", "1.7", v50="1.6"),
    _c("Password policy requires an uppercase letter", identity.password_uppercase, "1.5"),
    _c("Password policy requires a lowercase letter", identity.password_lowercase, "1.6"),
    _c("Password policy requires a symbol", identity.password_symbols, "1.7"),
    _c("Password policy requires a number", identity.password_numbers, "1.8"),
    _c("Password policy requires a minimum length of 14 or more", identity.password_length, "1.9", "1.8", "1.8", v50="1.7"),
    _c("Password policy prevents password reuse", identity.password_reuse, "1.10", "1.9", "1.9", v50="1.8"),
    _c("Password policy expires passwords within 90 days or less", identity.password_expiry, "1.11"),
    _c("MFA is enabled for every IAM user with a console password", identity.mfa_for_console, "1.2", "1.10", "1.10", v50="1.9"),
    _c("No access keys at initial user setup for users with a console password", identity.no_credentials_created, "1.21", "1.11", "1.11", v50="1.10"),
    _c("Unused credentials are disabled (after 90 days in v1.2.0, 45 days later)", identity.unused_credentials, "1.3", "1.12", "1.12", v50="1.11"),
    _c("Only one active access key per IAM user", identity.one_active_key, None, "1.13", "1.13", v50="1.12"),
    _c("Access keys are rotated every 90 days or less", identity.key_rotation, "1.4", "1.14", "1.14", v50="1.13"),
    _c("IAM users receive permissions only through groups", identity.permissions_through_groups, "1.16", "1.15", "1.15", v50="1.14"),
    _c("No IAM policies with full \"*:*\" administrative privileges are attached", identity.no_full_admin, "1.22", "1.16", "1.16", v50="1.15"),
    _c("A support role manages incidents with AWS Support", identity.support_role, "1.20", "1.17", "1.17", v50="1.16"),
    _c("IAM instance roles are used for AWS resource access from instances", identity.workload("EC2 instances"), "1.19", "1.18", "1.18", v50="1.17"),
    _c("Expired SSL/TLS certificates stored in IAM are removed", identity.workload("server certificates"), None, "1.19", "1.19", v50="1.18"),
    _c("IAM Access Analyzer is enabled for all regions", identity.access_analyzer, None, "1.20", "1.20", v50="1.19"),
    _c("IAM users are managed centrally (identity federation or AWS Organizations)", identity.central_identity, None, "1.21", "1.21", v50="1.20"),
    _c("Access to AWSCloudShellFullAccess is restricted", identity.cloudshell, None, None, "1.22", v50="1.21"),
    # Storage
    _c("S3 buckets employ encryption at rest", storage.s3_encryption, None, "2.1.1"),
    _c("S3 bucket policies deny HTTP requests", storage.s3_deny_http, None, "2.1.2", "2.1.1", v50="2.1.1"),
    _c("MFA Delete is enabled on S3 buckets", storage.s3_mfa_delete, None, "2.1.3", "2.1.2", v50="2.1.2"),
    _c("Data in S3 is discovered, classified and secured", storage.s3_classify, None, "2.1.4", "2.1.3", v50="2.1.3"),
    _c("S3 Block Public Access is on (account level)", storage.s3_block_public_access, None, "2.1.5", "2.1.4", v50="2.1.4"),
    _c("EBS volume encryption is enabled in all regions", storage.ebs_encryption, None, "2.2.1", "2.2.1", v50="5.1.1"),
    _c("Encryption at rest is enabled for RDS instances", _rds, None, "2.3.1", "2.3.1", v50="2.2.1"),
    _c("Auto minor version upgrade is enabled for RDS instances", _rds, None, None, "2.3.2", v50="2.2.2"),
    _c("RDS instances are not publicly accessible", _rds, None, None, "2.3.3", v50="2.2.3"),
    _c("Encryption is enabled for EFS file systems", identity.workload("EFS file systems"), None, None, "2.4.1", v50="2.3.1"),
    # Logging
    _c("CloudTrail is enabled in all regions", logging.trail_all_regions, "2.1", "3.1", "3.1", v50="3.1"),
    _c("CloudTrail log file validation is enabled", logging.log_file_validation, "2.2", "3.2", "3.2", v50="3.2"),
    _c("The CloudTrail bucket is not publicly accessible", logging.trail_bucket_private, "2.3", "3.3"),
    _c("CloudTrail trails are integrated with CloudWatch Logs", logging.trail_to_cloudwatch, "2.4", "3.4"),
    _c("AWS Config is enabled in all regions", logging.config_recording, "2.5", "3.5", "3.3", v50="3.3"),
    _c("S3 bucket access logging is enabled on the CloudTrail bucket", logging.trail_bucket_logging, "2.6", "3.6", "3.4", v50="3.4"),
    _c("CloudTrail logs are encrypted at rest using KMS keys", logging.trail_kms, "2.7", "3.7", "3.5", v50="3.5"),
    _c("Rotation is enabled for customer-created symmetric KMS keys", logging.key_rotation, "2.8", "3.8", "3.6", v50="3.6"),
    _c("VPC flow logging is enabled in all VPCs", storage.flow_logs, "2.9", "3.9", "3.7", v50="3.7"),
    _c("Object-level logging for write events is enabled for S3 buckets", logging.s3_write_events, None, "3.10", "3.8", v50="3.8"),
    _c("Object-level logging for read events is enabled for S3 buckets", logging.s3_read_events, None, "3.11", "3.9", v50="3.9"),
    # Monitoring
    _alarm("Unauthorized API calls are monitored", "3.1", "4.1"),
    _alarm("Management console sign-in without MFA is monitored", "3.2", "4.2"),
    _alarm("Usage of the root user is monitored", "3.3", "4.3"),
    _alarm("IAM policy changes are monitored", "3.4", "4.4"),
    _alarm("CloudTrail configuration changes are monitored", "3.5", "4.5"),
    _alarm("Console authentication failures are monitored", "3.6", "4.6"),
    _alarm("Disabling or scheduled deletion of customer-created KMS keys is monitored", "3.7", "4.7"),
    _alarm("S3 bucket policy changes are monitored", "3.8", "4.8"),
    _alarm("AWS Config configuration changes are monitored", "3.9", "4.9"),
    _alarm("Security group changes are monitored", "3.10", "4.10"),
    _alarm("Network ACL changes are monitored", "3.11", "4.11"),
    _alarm("Network gateway changes are monitored", "3.12", "4.12"),
    _alarm("Route table changes are monitored", "3.13", "4.13"),
    _alarm("VPC changes are monitored", "3.14", "4.14"),
    _alarm("AWS Organizations changes are monitored", None, "4.15"),
    _c("AWS Security Hub is enabled", logging.security_hub, None, None, "4.16", v50="4.16"),
    # Networking
    _c("No network ACL allows ingress from 0.0.0.0/0 to remote server administration ports", storage.nacl_admin_ports, None, "5.1", "5.1", v50="5.2"),
    _c("No security group allows ingress from 0.0.0.0/0 to port 22", storage.sg_admin_ports("0.0.0.0/0", "INCOMING_SSH_DISABLED"), "4.1"),
    _c("No security group allows ingress from 0.0.0.0/0 to port 3389", storage.sg_admin_ports("0.0.0.0/0", "RESTRICTED_INCOMING_TRAFFIC"), "4.2"),
    _c("No security group allows ingress from 0.0.0.0/0 to remote server administration ports",
       storage.sg_admin_ports("0.0.0.0/0", "INCOMING_SSH_DISABLED", "RESTRICTED_INCOMING_TRAFFIC"), None, "5.2", "5.2", v50="5.3"),
    _c("No security group allows ingress from ::/0 to remote server administration ports",
       storage.sg_admin_ports("::/0", "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS"), None, None, "5.3", v50="5.4"),
    _c("The default security group of every VPC restricts all traffic", storage.default_security_groups, "4.3", "5.3", "5.4", v50="5.5"),
    _c("Routing tables for VPC peering are least access", storage.peering_routes, "4.4", "5.4", "5.5", v50="5.6"),
    _c("EC2 metadata service only allows IMDSv2", storage.imdsv2, None, None, "5.6", v50="5.7"),
    # v4.0.1 and later only
    _c("Multi-AZ deployments are used for enhanced availability in Amazon RDS", _rds, v50="2.2.4"),
    _c("CIFS access is restricted to trusted networks", identity.workload("file shares"), v50="5.1.2"),
    # v7.0.0 only
    *(Control(V7_NEW[i], lambda ctx, _id, check=check: check(ctx), (("cis-7.0", i),)) for i, check in organization.V7_CHECKS.items()),
)


def _sort_key(control_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in control_id.split("."))


def controls_of(benchmark: str) -> list[tuple[str, Control]]:
    """(id, control) of every control of the benchmark, in the benchmark's order."""
    if benchmark not in FULL_TITLES:
        raise ValueError(f"unknown benchmark {benchmark!r}; expected one of {', '.join(CONTROL_BENCHMARKS)}")
    return sorted(((c.id_in(benchmark), c) for c in CONTROLS if c.id_in(benchmark)), key=lambda pair: _sort_key(pair[0]))

