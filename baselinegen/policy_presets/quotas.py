"""AWS Organizations' limits on organisation policies, in one place: the largest policy document of each type and
the most policies of a type attached to one target (the root, an OU or an account).

Source: AWS Organizations User Guide, "Quotas and service limits for AWS Organizations"
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html) and "Managing AWS
Organizations policies" (orgs_manage_policies.html). Service control policies: AWS raised both quotas on 2026-05-15 to
10 per target and 10,240 characters, automatically in every partition (AWS What's New
aws.amazon.com/about-aws/whats-new/2026/05/aws-organizations-increased-scp-quotas/, as cited by Landing Zone
Accelerator issue #1119 / PR #1120, which shipped the new limit in v1.16.0, and by dated reports of 2026-05-16/17);
the stored copies of the AWS quotas page predate the change and still say 5 and 5,120. Resource control policies
keep 5 and 5,120: the announcement names SCPs only. Sizes count every character of the policy as sent; baselinegen
sends minified JSON (no whitespace outside strings), which is what it measures. The AWS-managed FullAWSAccess (SCP)
and RCPFullAWSAccess (RCP) count against the per-target number wherever they stay attached; baselinegen never
detaches them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quota:
    type: str  # the profile's name of the type
    aws_type: str  # aws_organizations_policy.type / enabled_policy_types
    label: str  # how messages and the review name it
    max_characters: int
    max_per_target: int
    managed: str = ""  # the AWS-managed policy attached everywhere, counted against max_per_target
    note: str = ""


QUOTAS: dict[str, Quota] = {q.type: q for q in (
    Quota("scp", "SERVICE_CONTROL_POLICY", "SCP", 10240, 10, "FullAWSAccess"),
    Quota("rcp", "RESOURCE_CONTROL_POLICY", "RCP", 5120, 5, "RCPFullAWSAccess"),
    Quota("declarative-ec2", "DECLARATIVE_POLICY_EC2", "declarative policy", 10000, 10,
          note="per-target number not on the stored quotas page; the management policy types' 10 is assumed"),
    Quota("tag", "TAG_POLICY", "tag policy", 10000, 10),
    Quota("backup", "BACKUP_POLICY", "backup policy", 10000, 10),
    Quota("ai-opt-out", "AISERVICES_OPT_OUT_POLICY", "AI services opt-out policy", 2500, 5),
)}
POLICY_TYPES = tuple(QUOTAS)
AUTHORIZATION_TYPES = ("scp", "rcp")  # IAM policy grammar; the others are management policies ({"key": {"@@assign": ...}})


def jsonencode_size(text: str) -> int:
    """Characters of ``text`` (minified JSON) once Terraform's jsonencode has written it: it escapes <, > and & as
    \\u003c, \\u003e, \\u0026 (five more characters each)."""
    return len(text) + 5 * sum(text.count(c) for c in "<>&")
