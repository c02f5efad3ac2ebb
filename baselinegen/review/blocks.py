"""Single resources whose settings read well field by field: Config, GuardDuty, Security Hub, Inspector,
account guards, alarm plumbing and patch windows. One table entry per resource type."""

from __future__ import annotations

from dataclasses import dataclass, field

from .context import Context, area_of
from .direction import presence
from .values import Field, describe_changes, plain

SWITCH = "switch"


@dataclass(frozen=True)
class Spec:
    noun: str
    name: str | None = None  # attribute that names the resource in the text
    fields: dict = field(default_factory=dict)
    added: str = "{subject} added"
    removed: str = "{subject} removed"
    rule: str | None = None  # review/direction.RULES: the direction of adding and removing it


_PUBLIC_ACCESS = {k: Field(k, SWITCH, rule="account.s3_block_public_access") for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")}

SPECS = {
    "aws_sns_topic": Spec("SNS topic", "name", {"kms_master_key_id": Field("KMS key")}),
    "aws_sns_topic_policy": Spec("SNS topic policy"),
    "aws_cloudwatch_metric_alarm": Spec("alarms", None, {
        "alarm_actions": Field("alarm actions"), "actions_enabled": Field("alarm actions", SWITCH, on="enabled", off="disabled", rule="alarm.actions"),
        "treat_missing_data": Field("missing data treated as"), "evaluation_periods": Field("evaluation periods", rule="alarm.evaluation_periods"),
        "namespace": Field("metric namespace")}),
    "aws_cloudwatch_log_metric_filter": Spec("metric filters", None, {"log_group_name": Field("log group")}),
    "aws_config_configuration_recorder": Spec("Config recorder", None, {
        "recording_group.all_supported": Field("recording every supported resource type", SWITCH, rule="config.all_supported"),
        "recording_group.include_global_resource_types": Field("global resource types recorded"),
        "role_arn": Field("role")}, removed="{subject} removed: resource changes are no longer recorded"),
    "aws_config_configuration_recorder_status": Spec("Config", None, {"is_enabled": Field("recording", SWITCH, rule="config.recording")},
                                                     removed="Config recording status removed: recording stops"),
    "aws_config_delivery_channel": Spec("Config delivery channel", None, {
        "snapshot_delivery_properties.delivery_frequency": Field("snapshot frequency"), "s3_kms_key_arn": Field("KMS key"),
        "s3_bucket_name": Field("bucket")}),
    "aws_config_retention_configuration": Spec("Config retention", None, {
        "retention_period_in_days": Field("retention", unit=" days", rule="config.retention")},
        added="Config retention period set", removed="Config retention period removed (AWS keeps 7 years)"),
    "aws_guardduty_detector": Spec("GuardDuty", None, {
        "enable": Field("detector", SWITCH, on="enabled", off="suspended", rule="guardduty.detector"),
        "finding_publishing_frequency": Field("finding publishing frequency", rule="guardduty.publishing_frequency")},
        added="GuardDuty turned on", removed="GuardDuty turned off", rule="guardduty.detector"),
    "aws_guardduty_detector_feature": Spec("GuardDuty protection plan", "name", {"status": Field("status", rule="guardduty.plan")}),
    "aws_cloudwatch_event_rule": Spec("EventBridge rule", "name", {"event_pattern": Field("event pattern"), "description": Field("description")}),
    "aws_cloudwatch_event_target": Spec("EventBridge target", "target_id", {"arn": Field("target")}),
    "aws_securityhub_account": Spec("Security Hub", None, {
        "enable_default_standards": Field("default standards", SWITCH),
        "auto_enable_controls": Field("automatic enabling of new controls", SWITCH, rule="securityhub.auto_enable_controls")},
        added="Security Hub turned on", removed="Security Hub turned off", rule="securityhub.standard"),
    "aws_securityhub_finding_aggregator": Spec("Security Hub finding aggregation", None, {"linking_mode": Field("linking mode")},
                                               added="{subject} turned on", removed="{subject} turned off"),
    "aws_accessanalyzer_analyzer": Spec("IAM Access Analyzer", None, {"type": Field("type")},
                                        added="IAM Access Analyzer turned on", removed="IAM Access Analyzer turned off"),
    "aws_inspector2_enabler": Spec("Inspector", None, {"resource_types": Field("resource types", "set", rule="inspector.resource_types")},
                                   added="Inspector turned on", removed="Inspector turned off"),
    "aws_ecr_registry_scanning_configuration": Spec("ECR image scanning", None, {
        "scan_type": Field("scan type", rule="ecr.scan_type"), "rule.scan_frequency": Field("scan frequency", rule="ecr.scan_frequency")},
        removed="{subject} no longer managed (the registry keeps its current setting)"),
    "aws_ebs_encryption_by_default": Spec("EBS default encryption", None, {"enabled": Field("", SWITCH, rule="account.ebs_encryption")},
                                          added="EBS default encryption turned on",
                                          removed="EBS default encryption turned off (removing the resource turns it off)",
                                          rule="account.ebs_encryption"),
    "aws_ebs_default_kms_key": Spec("EBS default encryption", None, {"key_arn": Field("KMS key")},
                                    added="EBS default encryption: a customer managed KMS key is now the default",
                                    removed="EBS default encryption: the AWS managed key is the default again"),
    "aws_s3_account_public_access_block": Spec("account S3 Block Public Access", None, _PUBLIC_ACCESS,
                                               removed="{subject} removed (all four settings off)",
                                               rule="account.s3_block_public_access"),
    "aws_default_security_group": Spec("default security groups", None, {},
                                       added="default security groups closed (every rule removed)",
                                       removed="default security groups no longer closed by Terraform (their rules stay as they are)"),
    "aws_ssm_patch_baseline": Spec("patch baselines", None, {
        "approval_rule.compliance_level": Field("compliance level"),
        "approved_patches_enable_non_security": Field("non-security updates", SWITCH, on="approved", off="not approved")}),
    "aws_ssm_maintenance_window": Spec("maintenance window", "name", {
        "schedule": Field("schedule"), "schedule_timezone": Field("time zone"), "duration": Field("duration", unit=" h"),
        "cutoff": Field("cutoff", unit=" h"), "enabled": Field("window", SWITCH, on="enabled", off="disabled")}),
    "aws_ssm_maintenance_window_task": Spec("maintenance window task", "name", {
        "max_concurrency": Field("concurrency"), "max_errors": Field("error threshold")}),
    "aws_ssm_maintenance_window_target": Spec("maintenance window target", "name"),
    "aws_iam_role": Spec("IAM role", "name"),
    "aws_iam_role_policy": Spec("IAM role policy", "name"),
    "aws_iam_service_linked_role": Spec("service-linked role", "aws_service_name"),
}


def block_rules(ctx: Context) -> None:
    for type_, spec in SPECS.items():
        for address, before, after in ctx.pairs(type_):
            if ctx.covered(address):
                continue
            ctx.cover(address)
            block = after or before
            area = area_of(block.module)
            subject = spec.noun
            if spec.name and spec.name in block.body:
                subject += f" `{plain(block.body[spec.name])}`"
            if before is None or after is None:
                verb = "added" if before is None else "removed"
                words = presence(spec.rule, before is None) if spec.rule else ""
                ctx.add(area, verb, (spec.added if before is None else spec.removed).format(subject=subject) + words, [address])
            else:
                for phrase in describe_changes(before.body, after.body, spec.fields, ignore=("for_each", "count", "depends_on")):
                    ctx.add(area, "changed", f"{subject}: {phrase}", [address])
    _subscriptions(ctx)


def _subscriptions(ctx: Context) -> None:
    """E-mail (or other) subscribers of SNS topics, from the subscription's for_each keys."""
    for address, before, after in ctx.pairs("aws_sns_topic_subscription"):
        if ctx.covered(address):
            continue
        block = after or before
        protocol = plain(block.body.get("protocol"))
        area = area_of(block.module)
        added, removed = ctx.instance_changes(address)
        for verb, instances in (("added", added), ("removed", removed)):
            for instance in instances:
                ctx.cover_instance(instance)
                ctx.add(area, verb, f"topic subscriber `{instance[len(address) + 2:-2]}` ({protocol}) {verb}"
                        + presence("alarm.subscriber", verb == "added"), [address])
        if before is None or after is None:
            ctx.cover(address)
            keys = ", ".join(str(k) for k in block.instances.keys) or protocol
            verb = "added" if before is None else "removed"
            ctx.add(area, verb, f"topic subscribers {verb} ({keys}){presence('alarm.subscriber', verb == 'added')}", [address])
