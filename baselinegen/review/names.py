"""Resource types in plain words, and the service each regional resource type belongs to."""

from __future__ import annotations

TYPE_NAMES = {
    "aws_accessanalyzer_analyzer": "IAM Access Analyzer analyzer",
    "aws_cloudtrail": "CloudTrail trail",
    "aws_cloudwatch_event_rule": "EventBridge rule",
    "aws_cloudwatch_event_target": "EventBridge target",
    "aws_cloudwatch_log_group": "CloudWatch Logs group",
    "aws_cloudwatch_log_metric_filter": "CloudWatch Logs metric filter",
    "aws_cloudwatch_metric_alarm": "CloudWatch alarm",
    "aws_config_config_rule": "Config rule",
    "aws_config_configuration_recorder": "Config recorder",
    "aws_config_configuration_recorder_status": "Config recording status",
    "aws_config_delivery_channel": "Config delivery channel",
    "aws_config_retention_configuration": "Config retention setting",
    "aws_default_security_group": "default security group (adopted)",
    "aws_ebs_default_kms_key": "EBS default KMS key setting",
    "aws_ebs_encryption_by_default": "EBS encryption by default",
    "aws_ecr_registry_scanning_configuration": "ECR registry scanning setting",
    "aws_guardduty_detector": "GuardDuty detector",
    "aws_guardduty_detector_feature": "GuardDuty protection plan",
    "aws_iam_account_password_policy": "account password policy",
    "aws_iam_group": "IAM group",
    "aws_iam_group_membership": "IAM group membership",
    "aws_iam_group_policy_attachment": "IAM group policy attachment",
    "aws_iam_organizations_features": "centralised root access",  # H21: governance.adopt_root_access
    "aws_iam_policy": "IAM policy",
    "aws_iam_role": "IAM role",
    "aws_iam_role_policy": "IAM role policy",
    "aws_iam_service_linked_role": "IAM service-linked role",
    "aws_iam_user": "IAM user",
    "aws_iam_user_policy_attachment": "IAM user policy attachment",
    "aws_inspector2_enabler": "Inspector activation",
    "aws_kms_alias": "KMS alias",
    "aws_kms_key": "KMS key",
    "aws_kms_replica_key": "KMS replica key",
    "aws_s3_account_public_access_block": "account S3 Block Public Access",
    "aws_s3_bucket": "S3 bucket",
    "aws_s3_bucket_lifecycle_configuration": "S3 bucket lifecycle",
    "aws_s3_bucket_logging": "S3 bucket access logging",
    "aws_s3_bucket_ownership_controls": "S3 bucket ownership setting",
    "aws_s3_bucket_policy": "S3 bucket policy",
    "aws_s3_bucket_public_access_block": "S3 bucket public access block",
    "aws_s3_bucket_server_side_encryption_configuration": "S3 bucket default encryption",
    "aws_s3_bucket_versioning": "S3 bucket versioning",
    "aws_securityhub_account": "Security Hub activation",
    "aws_securityhub_finding_aggregator": "Security Hub finding aggregator",
    "aws_securityhub_standards_control_association": "Security Hub control setting",
    "aws_securityhub_standards_subscription": "Security Hub standard subscription",
    "aws_sns_topic": "SNS topic",
    "aws_sns_topic_policy": "SNS topic policy",
    "aws_sns_topic_subscription": "SNS subscription",
    "aws_ssm_maintenance_window": "maintenance window",
    "aws_ssm_maintenance_window_target": "maintenance window target",
    "aws_ssm_maintenance_window_task": "maintenance window task",
    "aws_ssm_patch_baseline": "patch baseline",
    "aws_ssm_patch_group": "patch group registration",
}

# Service of a regional resource type, in the order a region line lists them.
SERVICES = (
    ("GuardDuty", ("aws_guardduty_",)),
    ("Config", ("aws_config_",)),
    ("Security Hub", ("aws_securityhub_",)),
    ("IAM Access Analyzer", ("aws_accessanalyzer_",)),
    ("Inspector", ("aws_inspector2_",)),
    ("ECR image scanning", ("aws_ecr_registry_scanning",)),
    ("EBS default encryption", ("aws_ebs_",)),
    ("closed default security groups", ("aws_default_security_group",)),
    ("patching", ("aws_ssm_",)),
    ("KMS keys", ("aws_kms_",)),
    ("finding notifications", ("aws_cloudwatch_event_",)),
)


def type_name(type_: str) -> str:
    return TYPE_NAMES.get(type_) or type_.removeprefix("aws_").replace("_", " ")


def services(types) -> list[str]:
    """The services of some resource types, in a fixed order (unknown types by their own name)."""
    found, rest = [], []
    for t in types:
        for service, prefixes in SERVICES:
            if t.startswith(prefixes):
                found.append(service)
                break
        else:
            rest.append(type_name(t))
    order = [s for s, _ in SERVICES]
    return sorted(set(found), key=order.index) + sorted(set(rest))
