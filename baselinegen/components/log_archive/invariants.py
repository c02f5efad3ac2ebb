"""Security invariants of the organisation's logging: the organisation trail writes to the log-archive bucket, whose
bucket policies let only that trail and the organisation's AWS Config in."""

from __future__ import annotations

from ...profile.model import Profile
from ...profile.regions import partition_of
from ...validate.bucket_invariants import bucket_problems, policy_statements
from ..config.invariants import sse_kms_problems
from ...validate.hclcheck import resource_bodies, unquote

DIRECTORY = "modules/log_archive"


def _condition_values(statement: dict, variable: str) -> list:
    return [[unquote(v) for v in c.get("values", [])] for c in statement.get("condition", []) if unquote(c.get("variable")) == variable]


def _allows_to(parsed, document: str, service: str, variable: str, value: str) -> list[str]:
    """Every Allow statement of the bucket policy names ``service`` only and is pinned by ``variable`` == value."""
    problems = []
    for statement in policy_statements(parsed, DIRECTORY, document):
        if unquote(statement.get("effect")) != "Allow":
            continue
        principals = [[unquote(i) for i in p.get("identifiers", [])] for p in statement.get("principals", [])]
        if principals != [[service]] or _condition_values(statement, variable) != [[value]]:
            problems.append(f"{DIRECTORY}: {document} statement {unquote(statement.get('sid'))} is not limited to {service} with {variable} {value}")
    return problems


def log_archive_problems(parsed, profile: Profile) -> list[str]:
    buckets = resource_bodies(parsed, DIRECTORY, "resource", "aws_s3_bucket")
    if not profile.organization.accounts:
        return [f"{DIRECTORY}: a single-account baseline keeps its buckets in the cloudtrail and config modules"] if buckets else []
    archive, partition = profile.log_archive, partition_of(profile.organization.home_region)
    trail_on = profile.cloudtrail.enabled and not profile.organization.control_tower  # Control Tower mode: its own trail
    problems = bucket_problems(parsed, DIRECTORY)
    expected = ({"trail": archive.trail_bucket_name, "access_logs": archive.access_log_bucket_name} if trail_on else {}) \
        | ({"config": archive.config_bucket_name} if profile.config.enabled else {})
    if {name: unquote(body.get("bucket")) for name, body in buckets.items()} != expected:
        problems.append(f"{DIRECTORY}: buckets differ from the profile's {expected}")
    if trail_on:
        trail_arn = f"arn:{partition}:cloudtrail:{profile.organization.home_region}:{archive.management_account_id}:trail/{profile.cloudtrail.name}"
        problems += sse_kms_problems(parsed, DIRECTORY, "trail")
        problems += _allows_to(parsed, "trail_bucket", "cloudtrail.amazonaws.com", "aws:SourceArn", trail_arn)
        trail = resource_bodies(parsed, "modules/cloudtrail", "resource", "aws_cloudtrail").get("this", {})
        if trail.get("is_organization_trail") is not True or unquote(trail.get("s3_bucket_name")) != archive.trail_bucket_name:
            problems.append(f"modules/cloudtrail: the trail is not the organisation trail writing to {archive.trail_bucket_name}")
        if resource_bodies(parsed, "modules/cloudtrail", "resource", "aws_s3_bucket"):
            problems.append("modules/cloudtrail: the organisation trail's buckets belong to the log-archive account")
    if profile.config.enabled:
        problems += _allows_to(parsed, "config_bucket", "config.amazonaws.com", "aws:SourceOrgID", profile.organization.id)
    return problems
