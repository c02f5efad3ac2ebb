"""What the CI roles may do, per module of the baseline: the one table of the plan role's reads and the apply role's
management actions.

How the table was derived: for every resource and data source type a module's templates render (``grep -E
'^(resource|data) "aws_' templates/<module>/``), the AWS API calls the hashicorp/aws 6.x provider makes to read it
(its Read function: Get/Describe/List of the resource, its tags and sub-settings) for ``plan``; for ``apply``, the
services' management actions (as a service-level pattern where the module manages most of a service's settings).

The plan side is read-only by construction and never reads data: no ``s3:GetObject`` (bucket *settings* only:
``s3:GetBucket*`` and the configuration reads, which do not match GetObject), no ``logs:GetLogEvents``, no
``ssm:GetParameter*``, no ``secretsmanager:GetSecretValue``, no ``kms:Decrypt`` (the state key's use is granted on
its own, see policies.py). tests/test_ci_roles.py classifies every action with the IAM access levels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Permissions:
    plan: tuple[str, ...]  # what terraform plan needs to refresh the module's resources (Read / List access)
    apply: tuple[str, ...]  # what terraform apply needs to create, change and delete them


_S3_BUCKET_SETTINGS = ("s3:GetAccelerateConfiguration", "s3:GetBucket*", "s3:GetEncryptionConfiguration",
                       "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListAllMyBuckets")
_IAM_READ = ("iam:Get*", "iam:List*")  # names, policies, trust and attachments; IAM holds no data
_SNS_READ = ("sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource")
BUCKET_APPLY = _BUCKET_APPLY = ("s3:CreateBucket", "s3:DeleteBucket*", "s3:PutAccelerateConfiguration", "s3:PutBucket*",
                 "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration")

TABLE: dict[str, Permissions] = {
    "iam": Permissions(  # password policy, groups, memberships, policies, users, job roles
        plan=_IAM_READ,
        apply=("iam:*",)),
    "kms": Permissions(  # keys, aliases, replica keys
        plan=("kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases",
              "kms:ListResourceTags"),
        apply=("kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateKey", "kms:DeleteAlias", "kms:DisableKey",
               "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:PutKeyPolicy",
               "kms:ReplicateKey", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
               "kms:UpdateAlias", "kms:UpdateKeyDescription", "kms:UpdatePrimaryRegion")),
    "cloudtrail": Permissions(  # trail, its log group and delivery role, its buckets (single account)
        plan=("cloudtrail:DescribeTrails", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors",
              "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:ListTags", "logs:DescribeLogGroups",
              "logs:ListTagsForResource", "logs:ListTagsLogGroup") + _S3_BUCKET_SETTINGS,
        apply=("cloudtrail:*", "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy",
               "logs:PutRetentionPolicy", "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource",
               "logs:UntagResource", "logs:TagLogGroup") + _BUCKET_APPLY),
    "log_archive": Permissions(  # the organisation's log buckets
        plan=_S3_BUCKET_SETTINGS,
        apply=_BUCKET_APPLY),
    "monitoring": Permissions(  # metric filters, alarms, the topic and its subscriptions
        plan=("cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "logs:DescribeMetricFilters") + _SNS_READ,
        apply=("cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource",
               "cloudwatch:UntagResource", "logs:DeleteMetricFilter", "logs:PutMetricFilter", "sns:*")),
    "config": Permissions(  # recorder, delivery channel, rules, retention, aggregator, its bucket (single account)
        plan=("config:Describe*", "config:ListTagsForResource") + _S3_BUCKET_SETTINGS,
        apply=("config:*",) + _BUCKET_APPLY),
    "guards": Permissions(  # EBS default encryption, S3 account public access block, default security groups
        plan=("ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs",
              "ec2:GetEbsDefaultKmsKeyId", "ec2:GetEbsEncryptionByDefault", "s3:GetAccountPublicAccessBlock"),
        apply=("ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags",
               "ec2:DeleteTags", "ec2:DisableEbsEncryptionByDefault", "ec2:EnableEbsEncryptionByDefault",
               "ec2:ModifyEbsDefaultKmsKeyId", "ec2:ResetEbsDefaultKmsKeyId", "ec2:RevokeSecurityGroupEgress",
               "ec2:RevokeSecurityGroupIngress", "s3:PutAccountPublicAccessBlock")),
    "detection": Permissions(  # GuardDuty, Security Hub, Access Analyzer, Inspector, ECR scanning, finding alerts
        plan=("access-analyzer:GetAnalyzer", "access-analyzer:ListAnalyzers", "access-analyzer:ListTagsForResource",
              "ecr:GetRegistryScanningConfiguration", "events:DescribeRule", "events:ListTagsForResource",
              "events:ListTargetsByRule", "guardduty:DescribeOrganizationConfiguration", "guardduty:GetDetector",
              "guardduty:ListDetectors", "guardduty:ListOrganizationAdminAccounts", "guardduty:ListTagsForResource",
              "inspector2:BatchGetAccountStatus", "inspector2:DescribeOrganizationConfiguration",
              "inspector2:ListDelegatedAdminAccounts", "securityhub:DescribeHub",
              "securityhub:DescribeOrganizationConfiguration", "securityhub:DescribeStandardsControls",
              "securityhub:GetEnabledStandards", "securityhub:GetFindingAggregator",
              "securityhub:ListFindingAggregators", "securityhub:ListOrganizationAdminAccounts",
              "securityhub:ListStandardsControlAssociations", "securityhub:ListTagsForResource") + _SNS_READ,
        apply=("access-analyzer:*", "ecr:PutRegistryScanningConfiguration", "events:*", "guardduty:*",
               "inspector2:*", "securityhub:*", "sns:*")),
    "patching": Permissions(  # patch baselines, patch groups, maintenance windows, their targets and tasks
        plan=("ssm:DescribeMaintenanceWindowTargets", "ssm:DescribeMaintenanceWindowTasks",
              "ssm:DescribeMaintenanceWindows", "ssm:DescribePatchBaselines", "ssm:DescribePatchGroups",
              "ssm:GetMaintenanceWindow", "ssm:GetMaintenanceWindowTask", "ssm:GetPatchBaseline",
              "ssm:GetPatchBaselineForPatchGroup", "ssm:ListTagsForResource"),
        apply=("ssm:AddTagsToResource", "ssm:CreateMaintenanceWindow", "ssm:CreatePatchBaseline",
               "ssm:DeleteMaintenanceWindow", "ssm:DeletePatchBaseline", "ssm:DeregisterPatchBaselineForPatchGroup",
               "ssm:DeregisterTargetFromMaintenanceWindow", "ssm:DeregisterTaskFromMaintenanceWindow",
               "ssm:RegisterPatchBaselineForPatchGroup", "ssm:RegisterTargetWithMaintenanceWindow",
               "ssm:RegisterTaskWithMaintenanceWindow", "ssm:RemoveTagsFromResource", "ssm:UpdateMaintenanceWindow",
               "ssm:UpdateMaintenanceWindowTarget", "ssm:UpdateMaintenanceWindowTask", "ssm:UpdatePatchBaseline")),
    "governance": Permissions(  # the organisation, its policies and attachments, delegated administrators
        plan=("organizations:Describe*", "organizations:List*"),
        apply=("organizations:*",)),
    "ci": Permissions(  # GitHub's OIDC provider, the plan and apply roles, their policies and the boundary
        plan=_IAM_READ,
        apply=("iam:*",)),
}

# Every Terraform run: the provider's account check and its Region list.
COMMON_PLAN = ("ec2:DescribeRegions", "sts:GetCallerIdentity")
# What no apply of this baseline does, denied by the apply role's permissions boundary.
BOUNDARY_DENIED = ("organizations:DeleteOrganization", "organizations:LeaveOrganization")


def actions(modules, side: str) -> tuple[str, ...]:
    """The sorted, de-duplicated actions of ``side`` (plan or apply) for the modules that are in the table."""
    found = set(COMMON_PLAN) if side == "plan" else set()
    for module in modules:
        if module in TABLE:
            found.update(getattr(TABLE[module], side))
    return tuple(sorted(found))


def services(action_list) -> tuple[str, ...]:
    """``iam:*``-style patterns, one per service of ``action_list``: what the apply boundary allows."""
    return tuple(sorted({a.split(":")[0] + ":*" for a in action_list}))
