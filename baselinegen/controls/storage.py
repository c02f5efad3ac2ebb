"""CIS storage and networking controls: the baseline's buckets, account-level S3 and EBS settings, default
security groups; and what belongs to workloads or to people."""

from __future__ import annotations

import re

from ..components.governance.declarative_controls import imds_defaults
from .context import Context
from .model import Verdict, covered, manual, off, partial
from .rendered import Found, literal, nested

_REF = re.compile(r"^\$\{aws_s3_bucket\.(\w+)\.(?:id|bucket)\}$")
_DOC = re.compile(r"^\$\{data\.aws_iam_policy_document\.(\w+)\.json\}$")


def companions(ctx: Context, bucket: Found, type_: str) -> list[Found]:
    """The ``type_`` resources of the same module call that configure ``bucket`` (``bucket = aws_s3_bucket.x.id``)."""
    return [f for f in ctx.found(type_) if f.module == bucket.module
            and (m := _REF.match(str(f.body.get("bucket", "")))) and m.group(1) == bucket.name]


def _buckets_without(ctx: Context, type_: str, good=lambda f: True) -> tuple[list[Found], list[Found]]:
    buckets = ctx.found("aws_s3_bucket")
    lacking = [b for b in buckets if not any(good(c) for c in companions(ctx, b, type_))]
    return buckets, lacking


def s3_encryption(ctx: Context) -> Verdict:
    buckets, lacking = _buckets_without(ctx, "aws_s3_bucket_server_side_encryption_configuration")
    if lacking:
        return partial("no default encryption on " + ", ".join(b.address for b in lacking), ctx.cite(buckets))
    return covered(ctx.cite(buckets), "the baseline's buckets use KMS default encryption; S3 encrypts every other new object with SSE-S3")


def _denies_plain_http(ctx: Context, policy: Found) -> bool:
    match = _DOC.match(str(policy.body.get("policy", "")))
    docs = [d for d in ctx.tree.resources("aws_iam_policy_document", "data")
            if match and d.module == policy.module and d.name == match.group(1)]
    return any(literal(s, "effect") == "Deny" and any(literal(c, "variable") == "aws:SecureTransport" and literal(c, "test") == "Bool"
                                                     for c in nested(s, "condition"))
               for d in docs for s in nested(d.body, "statement"))


def s3_deny_http(ctx: Context) -> Verdict:
    buckets, lacking = _buckets_without(ctx, "aws_s3_bucket_policy", lambda p: _denies_plain_http(ctx, p))
    if lacking:
        return partial("no TLS-only bucket policy on " + ", ".join(b.address for b in lacking), ctx.cite(buckets))
    rules = ctx.config_rules("S3_BUCKET_SSL_REQUESTS_ONLY")
    return partial("the baseline's buckets deny plain HTTP; buckets created outside the baseline need the same statement"
                   + (" (the Config rule reports them)" if rules else ""), ctx.cite(buckets) + rules)


def s3_mfa_delete(ctx: Context) -> Verdict:
    return manual("turn on MFA Delete on buckets that hold critical data (needs the root user and its MFA device)")


def s3_classify(ctx: Context) -> Verdict:
    return manual("discover and classify the data in S3 (e.g. Amazon Macie) and protect it by its sensitivity")


def s3_block_public_access(ctx: Context) -> Verdict:
    blocks = ctx.found("aws_s3_account_public_access_block")
    if not blocks:
        return off("encryption.s3_block_public_access", "the account-level block is not rendered: set encryption.s3_block_public_access: true")
    flags = ("block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets")
    weak = [f for f in flags for b in blocks if b.body.get(f) is not True]
    missing = ctx.missing_accounts(blocks)
    if weak or missing:
        return partial("; ".join(filter(None, [f"{', '.join(sorted(set(weak)))} not true" if weak else "",
                                                f"no block in {ctx.accounts_text(missing)}" if missing else ""])), ctx.cite(blocks))
    return covered(ctx.cite(blocks))


def _regional(ctx: Context, type_: str, where, key: str, what: str) -> Verdict:
    found = ctx.found(type_, where)
    if not found:
        return off(key, f"{what} is not rendered: set {key}: true")
    return ctx.everywhere(found, ctx.cite(found))


def ebs_encryption(ctx: Context) -> Verdict:
    return _regional(ctx, "aws_ebs_encryption_by_default", lambda b: b.get("enabled") is True,
                     "encryption.ebs_default_encryption", "EBS encryption by default")


def default_security_groups(ctx: Context) -> Verdict:
    closed = ctx.found("aws_default_security_group", lambda b: not b.get("ingress") and not b.get("egress"))
    if not closed:
        return off("encryption.close_default_security_groups",
                   "default security groups are left as AWS creates them: set encryption.close_default_security_groups: true")
    verdict = _regional(ctx, "aws_default_security_group", lambda b: not b.get("ingress") and not b.get("egress"),
                        "encryption.close_default_security_groups", "closing the default security groups")
    vpcs = "only the default VPCs' default security groups are closed; close the default security group of every other VPC"
    return partial("; ".join(filter(None, [verdict.detail, vpcs])), verdict.evidence or ctx.cite(closed), verdict.key)


def flow_logs(ctx: Context) -> Verdict:
    logs = ctx.found("aws_flow_log")
    if logs:
        return covered(ctx.cite(logs))
    return manual("turn on VPC flow logs (REJECT at least) for every VPC; baselinegen does not create them (the VPCs are the workloads')")


def nacl_admin_ports(ctx: Context) -> Verdict:
    return manual("allow no ingress from 0.0.0.0/0 to ports 22 and 3389 in any network ACL (the default VPCs' default ACLs allow all)",
                  ctx.config_rules("NACL_NO_UNRESTRICTED_SSH_RDP"))


def sg_admin_ports(port: str, *identifiers: str):
    def check(ctx: Context) -> Verdict:
        return manual(f"allow no ingress from {port} to remote administration ports in any security group (the baseline opens none)",
                      tuple(rule for identifier in identifiers for rule in ctx.config_rules(identifier)))
    return check


def peering_routes(ctx: Context) -> Verdict:
    return manual("review that VPC peering route tables route only what each peer needs")


def imdsv2(ctx: Context) -> Verdict:
    """The account-level IMDS default, from the tree or from a declarative EC2 policy where it reaches
    (components/governance/declarative_controls.py: sources, and why the management account is reached too)."""
    defaults = ctx.found("aws_ec2_instance_metadata_defaults", lambda b: literal(b, "http_tokens") == "required")
    if defaults:
        return covered(ctx.cite(defaults))
    rules = ctx.config_rules("EC2_IMDSV2_CHECK")
    declared = imds_defaults(ctx.profile) if ctx.tree.organization else None
    if declared is None or not declared.required:
        return manual("require IMDSv2 (http_tokens = required) on every EC2 instance and launch template"
                      + ("; preset ec2-imdsv2 (governance.policies) makes it every account's default" if ctx.tree.organization else ""),
                      rules)
    names = sorted({name for names in declared.required.values() for name in names})
    tf_names = {name.replace("-", "_") for name in names}
    evidence = ctx.cite([f for f in ctx.found("aws_organizations_policy") if f.name in tf_names]) + rules
    accounts = [a.name for a in ctx.profile.organization.accounts]
    without = [a for a in accounts if a not in declared.required]
    overridden = [a for a in accounts if a in declared.other]
    left = ("instances launched before, or launched asking for IMDSv1, keep it"
            + (" (the Config rule reports them)" if rules else ""))
    gaps = ([f"no IMDSv2-only default in {ctx.accounts_text(without)}: attach preset ec2-imdsv2 to them in governance.policies"]
            if without else [])
    gaps += ([f"a declarative policy sets http_tokens otherwise in {ctx.accounts_text(overridden)} "
              f"({', '.join(sorted({n for a in overridden for n in declared.other[a]}))})"] if overridden else [])
    if gaps:
        return partial("; ".join(gaps + [left]), evidence, "governance.policies")
    return partial(f"new instances default to IMDSv2 only in every account and Region (declarative policy "
                   f"{', '.join(names)}); {left}", evidence)
