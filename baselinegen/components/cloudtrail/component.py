"""CloudTrail component: a multi-Region trail, its hardened buckets and its CloudWatch Logs delivery."""

from __future__ import annotations

from dataclasses import replace

from ...policy.document import ACCOUNT_TOKEN
from ...profile.model import BASELINE_PATH, TRAIL_ROLE_SUFFIX, BucketLifecycle, CloudTrail, Profile
from ...profile.regions import partition_of
from ...profile.adopt import adopted_trail_name
from . import schema as cloudtrail_schema
from ..base import AcceptedFinding, Component, ComponentOutput, Control, KeyUsage, ModuleCall, render_module
from .policies import (access_log_bucket_policy, bucket_arn, delivery_policy, delivery_trust_policy,
                                  log_group_arn, trail_arn, trail_bucket_policy)
from ..kms.component import key_arn_expression
from ..log_archive.policies import every_account, organization_log_group_arn, organization_trail_arn
from .invariants import cloudtrail_problems
from ..trusted_access import CLOUDTRAIL
from .. import control_tower

MODULE = "cloudtrail"
LOG_BUCKET_SKIPS = (
    ("CKV_AWS_144", "cross-Region replication of audit logs is a cost and design choice: the replica would need a replica of its own"),
    ("CKV2_AWS_62", "nothing consumes object events on a log bucket; a bare notification would add no security"),
)
ACCESS_LOG_BUCKET_SKIPS = LOG_BUCKET_SKIPS + (
    ("CKV_AWS_145", "S3 server access logging supports only SSE-S3 (AES256) default encryption on its target bucket"),
)
SKIP_NO_DELIVERY_TOPIC = ("CKV_AWS_252", "no per-file delivery notifications: alarms come from the CloudWatch Logs metric filters, and nothing consumes a notification per log file")
SKIP_NO_VALIDATION = ("CKV_AWS_36", "the profile turns log file validation off (logging.cloudtrail.log_file_validation: false)")
SKIP_SHORT_RETENTION = ("CKV_AWS_338", "the profile keeps the trail's events in CloudWatch Logs for less than a year (logging.cloudtrail.cloudwatch_logs.retention_days); the trail bucket keeps the log files")

OUTPUTS = (
    ("cloudtrail_trail_arn", "ARN of the multi-Region trail."),
    ("cloudtrail_bucket_name", "Bucket that receives the trail's log files."),
    ("cloudtrail_log_group_name", "CloudWatch Logs group that receives the trail's events."),
)
ORGANIZATION_OUTPUTS = (
    ("cloudtrail_trail_arn", "ARN of the organisation trail."),
    ("cloudtrail_log_group_name", "CloudWatch Logs group that receives the organisation trail's events."),
)

READ_WRITE = {"read": "true", "write": "false"}


def _selectors(profile: Profile, trail: CloudTrail) -> list[dict]:
    """Advanced event selectors; none (CloudTrail's default: all management events) without data events."""
    selectors = []
    if trail.s3_data_events != "none":
        fields = [("eventCategory", "equals", ["Data"]), ("resources.type", "equals", ["AWS::S3::Object"])]
        if trail.s3_data_events in READ_WRITE:
            fields.append(("readOnly", "equals", [READ_WRITE[trail.s3_data_events]]))
        if trail.s3_data_event_buckets:
            fields.append(("resources.ARN", "starts_with", [bucket_arn(b) + "/" for b in trail.s3_data_event_buckets]))
        else:
            fields.append(("resources.ARN", "not_starts_with",
                           [bucket_arn(b) + "/" for b in (trail.bucket_name, trail.access_log_bucket_name)]))
        selectors.append({"name": f"S3 object-level events ({trail.s3_data_events})", "fields": fields})
    if trail.lambda_data_events:
        selectors.append({"name": "Lambda invocations", "fields": [
            ("eventCategory", "equals", ["Data"]), ("resources.type", "equals", ["AWS::Lambda::Function"])]})
    if selectors:
        selectors.insert(0, {"name": "Management events", "fields": [("eventCategory", "equals", ["Management"])]})
    return selectors


class CloudTrailComponent(Component):
    id = "cloudtrail"
    title = "CloudTrail trail, buckets and CloudWatch Logs delivery"
    SCHEMA = cloudtrail_schema.SCHEMA

    def check(self, data, doc):
        return cloudtrail_schema.check(data, doc)

    def build(self, data: dict) -> CloudTrail:
        org = data["organization"]["name"]
        t = data["logging"]["cloudtrail"]
        name = t.get("name") or adopted_trail_name(data) or f"{org}-trail"  # an adopted trail keeps its name
        bucket, logs, events = t["bucket"], t["cloudwatch_logs"], t["data_events"]
        return CloudTrail(
            enabled=t["enabled"], name=name, kms_key=t["kms_key"], log_file_validation=t["log_file_validation"],
            bucket_name=bucket.get("name") or f"{org}-cloudtrail-{ACCOUNT_TOKEN}",
            access_log_bucket_name=bucket.get("access_log_bucket_name") or f"{org}-s3-access-logs-{ACCOUNT_TOKEN}",
            lifecycle=BucketLifecycle(transition_days=bucket["transition_days"], storage_class=bucket["storage_class"],
                                      expiration_days=bucket["expiration_days"],
                                      noncurrent_expiration_days=bucket["noncurrent_expiration_days"]),
            access_log_expiration_days=bucket["access_log_expiration_days"],
            log_group_name=logs.get("log_group_name") or name,
            log_group_retention_days=logs["retention_days"],
            log_group_kms_key=logs.get("kms_key") or t["kms_key"],
            s3_data_events=events["s3"], s3_data_event_buckets=tuple(events["s3_buckets"]),
            lambda_data_events=events["lambda"],
        )

    def key_usages(self, profile: Profile) -> list[KeyUsage]:
        trail = profile.cloudtrail
        if not trail.enabled or control_tower.on(profile):
            return []
        if profile.organization.accounts:  # the organisation trail and its log group live in the management account
            return [KeyUsage(trail.kms_key, "cloudtrail", organization_trail_arn(profile)),
                    KeyUsage(trail.log_group_kms_key, "cloudwatch-logs", organization_log_group_arn(profile))]
        return [KeyUsage(trail.kms_key, "cloudtrail", trail_arn(profile, trail)),
                KeyUsage(trail.log_group_kms_key, "cloudwatch-logs", log_group_arn(profile, trail))]

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return cloudtrail_problems(parsed, profile)

    def trusted_access(self, profile: Profile):
        return (CLOUDTRAIL,) if profile.cloudtrail.enabled and not control_tower.on(profile) else ()

    def render(self, profile: Profile) -> ComponentOutput:
        trail = profile.cloudtrail
        if not trail.enabled:
            return ComponentOutput()
        policies = [trail_bucket_policy(profile, trail), access_log_bucket_policy(profile, trail),
                    delivery_trust_policy(profile, trail), delivery_policy(profile, trail)]
        out, context = self._output(profile, trail, policies, None)
        out.files += render_module(MODULE, ("main.tf", "buckets.tf", "policies.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"), context)
        return out

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        """The organisation trail, in the management account: it writes to the log-archive account's trail bucket
        (module log_archive) by its literal name; its data events leave out the log-archive buckets, and a bucket
        name with <account> stands for that bucket in every account."""
        trail = profile.cloudtrail
        if not trail.enabled or control_tower.on(profile):  # Control Tower's organisation trail records every account
            return []
        archive = profile.log_archive
        literal = replace(trail, bucket_name=archive.trail_bucket_name, access_log_bucket_name=archive.access_log_bucket_name,
                          s3_data_event_buckets=tuple(b for name in trail.s3_data_event_buckets for b in every_account(name, profile)))
        organization = {"id": profile.organization.id, "trail_bucket": archive.trail_bucket_name}
        out, context = self._output(profile, literal, [delivery_trust_policy(profile, trail), delivery_policy(profile, trail)], organization)
        out.files += render_module(MODULE, ("main.tf", "policies.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"), context)
        out.placement = frozenset({"management"})
        return [out]

    def _output(self, profile: Profile, trail: CloudTrail, policies: list, organization: dict | None) -> tuple[ComponentOutput, dict]:
        """The module's call, accepted findings and controls, and the context its templates render with."""
        address = f"module.{MODULE}"
        trail_skips = [SKIP_NO_DELIVERY_TOPIC] + ([] if trail.log_file_validation else [SKIP_NO_VALIDATION])
        log_group_skips = [SKIP_SHORT_RETENTION] if 0 < trail.log_group_retention_days < 365 else []
        findings = [AcceptedFinding(c, f"{address}.aws_cloudtrail.this", r) for c, r in trail_skips]
        findings += [AcceptedFinding(c, f"{address}.aws_cloudwatch_log_group.this", r) for c, r in log_group_skips]
        if not organization:
            findings += [AcceptedFinding(c, f"{address}.aws_s3_bucket.trail", r) for c, r in LOG_BUCKET_SKIPS]
            findings += [AcceptedFinding(c, f"{address}.aws_s3_bucket.access_logs", r) for c, r in ACCESS_LOG_BUCKET_SKIPS]
        context = {
            "source": profile.source, "partition": partition_of(profile.organization.home_region),
            "trail": trail, "iam_path": BASELINE_PATH, "selectors": _selectors(profile, trail),
            "trail_skips": trail_skips, "log_group_skips": log_group_skips,
            "log_bucket_skips": LOG_BUCKET_SKIPS, "access_log_bucket_skips": ACCESS_LOG_BUCKET_SKIPS,
            "policies": policies, "role_name": f"{trail.name}{TRAIL_ROLE_SUFFIX}",
            "config_bucket": profile.config.bucket_name if profile.config.enabled else None,
            "organization": organization,
        }
        inputs = (("kms_key_arn", key_arn_expression(trail.kms_key)),
                  ("log_group_kms_key_arn", key_arn_expression(trail.log_group_kms_key)))
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", ORGANIZATION_OUTPUTS if organization else OUTPUTS, inputs),
                              accepted_findings=sorted(findings, key=lambda f: (f.address, f.check_id)))
        out.controls = _controls(trail, organization)
        return out, context


def _controls(trail: CloudTrail, organization: dict | None = None) -> list[Control]:
    """The trail's rows; in the organisation layout the bucket rows are the log_archive module's (bucket_controls)."""
    where = (f"organisation trail `{trail.name}`, multi-Region, recording every account, with global service events" if organization
             else f"multi-Region trail `{trail.name}` with global service events")
    rows = [
        Control("CloudTrail in every Region", where, (("cis-1.2", "2.1"), ("cis-1.4", "3.1"), ("cis-3.0", "3.1"))),
        Control("Trail encrypted with KMS", f"log files encrypted with the profile key `{trail.kms_key}`",
                (("cis-1.2", "2.7"), ("cis-1.4", "3.7"), ("cis-3.0", "3.5"))),
        *([] if organization else bucket_controls()),
        Control("Trail delivers to CloudWatch Logs", f"log group `{trail.log_group_name}`, KMS-encrypted, kept {trail.log_group_retention_days or 'forever'}{' days' if trail.log_group_retention_days else ''}",
                (("cis-1.2", "2.4"), ("cis-1.4", "3.4"))),
    ]
    if trail.log_file_validation:
        rows.insert(1, Control("Log file validation", "digest files prove the log files were not changed",
                               (("cis-1.2", "2.2"), ("cis-1.4", "3.2"), ("cis-3.0", "3.2"))))
    if trail.s3_data_events in ("write", "all"):
        rows.append(Control("S3 object-level logging, write", "data events for S3 object writes", (("cis-1.4", "3.10"), ("cis-3.0", "3.8"))))
    if trail.s3_data_events in ("read", "all"):
        rows.append(Control("S3 object-level logging, read", "data events for S3 object reads", (("cis-1.4", "3.11"), ("cis-3.0", "3.9"))))
    return rows


def bucket_controls() -> list[Control]:
    return [
        Control("Trail bucket not public", "all four public access blocks, object ownership enforced, TLS-only policy, CloudTrail writes pinned to the trail",
                (("cis-1.2", "2.3"), ("cis-1.4", "3.3"))),
        Control("Access logging on the trail bucket", "server access logs in a separate, hardened bucket",
                (("cis-1.2", "2.6"), ("cis-1.4", "3.6"), ("cis-3.0", "3.4"))),
    ]


COMPONENT = CloudTrailComponent()
