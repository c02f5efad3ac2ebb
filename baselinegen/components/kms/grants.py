"""Key policies: what each service a profile key serves may do with it, pinned to this account.

A key policy has the AWS default statement that hands the key's management to IAM (the account
root principal; IAM policies then decide: the security-admin duty administers the baseline's keys,
every other duty is denied tampering by the guardrails) plus one statement per service the profile
lists. Each service statement names the service principal, only the actions the service needs, and
conditions that pin it to this account and, where the profile encrypts baseline resources with the
key, to exactly those resources (``aws:SourceArn`` or the encryption context).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ...policy.document import ACCOUNT_TOKEN, Condition, PolicyDocument, Principal, Statement, arn
from ...profile.model import KmsKey, Profile
from ...profile.regions import dns_suffix
from ..base import KeyUsage
from .organization import organization_statements, trail_context

KEY_POLICY_SKIPS = (
    ("CKV_AWS_109", "a key policy's resource is always the key itself (\"*\"); administration is delegated to IAM through the account root statement"),
    ("CKV_AWS_111", "a key policy's resource is always the key itself (\"*\"); service statements are pinned by aws:SourceArn, aws:SourceAccount or the encryption context"),
    ("CKV_AWS_356", "a key policy's resource is always the key itself (\"*\")"),
)


@dataclass(frozen=True)
class ServiceGrant:
    title: str  # what the grant lets the service do, for the README
    statements: Callable[[Profile, tuple[str, ...]], list[Statement]]  # (profile, resource ARNs) -> statements


def _cloudtrail(profile: Profile, resources: tuple[str, ...]) -> list[Statement]:
    principal = (Principal("Service", ("cloudtrail.amazonaws.com",)),)
    pinned = (Condition("StringEquals", "aws:SourceArn", resources) if resources
              else Condition("StringEquals", "aws:SourceAccount", (ACCOUNT_TOKEN,)))
    context = (trail_context(profile) if profile.organization.accounts  # the organisation trail: the management account's
               else Condition("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn", (arn("cloudtrail", "trail/*", region="*"),)))
    return [
        Statement("CloudTrailEncryptLogs", actions=("kms:GenerateDataKey*",), resources=("*",),
                  principals=principal, conditions=(pinned, context)),
        Statement("CloudTrailDescribeKey", actions=("kms:DescribeKey",), resources=("*",),
                  principals=principal, conditions=(pinned,)),
    ]


def _cloudwatch_logs(profile: Profile, resources: tuple[str, ...]) -> list[Statement]:
    region = profile.organization.home_region
    groups = resources or (arn("logs", "log-group:*", region=region),)
    return [Statement(
        "CloudWatchLogsEncryptLogGroups",
        actions=("kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"),
        resources=("*",),
        principals=(Principal("Service", (f"logs.{region}.{dns_suffix(region)}",)),),
        conditions=(Condition("ArnEquals" if resources else "ArnLike", "kms:EncryptionContext:aws:logs:arn", groups),),
    )]


def _sns(profile: Profile, resources: tuple[str, ...]) -> list[Statement]:
    topics = resources or (arn("sns", "*", region="*"),)
    return [Statement(
        "AlarmsAndEventsPublishToEncryptedTopics",
        actions=("kms:Decrypt", "kms:GenerateDataKey*"),
        resources=("*",),
        principals=(Principal("Service", ("cloudwatch.amazonaws.com", "events.amazonaws.com")),),
        conditions=(
            Condition("ArnLike", "aws:SourceArn", (arn("cloudwatch", "alarm:*", region="*"), arn("events", "rule/*", region="*"))),
            Condition("StringEquals" if resources else "StringLike", "kms:EncryptionContext:aws:sns:topicArn", topics),
        ),
    )]


def _config(profile: Profile, resources: tuple[str, ...]) -> list[Statement]:
    """AWS Config (through its service-linked role) encrypts what it delivers; pinned to this account and, when a
    baseline bucket uses the key, to that bucket's SSE-KMS encryption context (the bucket with a bucket key, its
    objects without)."""
    conditions = (Condition("StringEquals", "aws:SourceAccount", (ACCOUNT_TOKEN,)),)
    if resources:
        buckets = tuple(value for bucket in resources for value in (bucket, bucket + "/*"))
        conditions += (Condition("StringLike", "kms:EncryptionContext:aws:s3:arn", buckets),)
    return [Statement(
        "ConfigDeliveryEncryption",
        actions=("kms:Decrypt", "kms:GenerateDataKey"),
        resources=("*",),
        principals=(Principal("Service", ("config.amazonaws.com",)),),
        conditions=conditions,
    )]


SERVICE_GRANTS: dict[str, ServiceGrant] = {
    "cloudtrail": ServiceGrant("CloudTrail encrypts log files (only this account's trails)", _cloudtrail),
    "cloudwatch-logs": ServiceGrant("CloudWatch Logs encrypts log groups", _cloudwatch_logs),
    "config": ServiceGrant("AWS Config encrypts configuration snapshots and history", _config),
    "sns": ServiceGrant("CloudWatch alarms and EventBridge rules of this account publish to encrypted SNS topics", _sns),
}


def key_policy(profile: Profile, key: KmsKey, usages: list[KeyUsage]) -> PolicyDocument:
    statements = [Statement(
        "EnableIAMPolicies", actions=("kms:*",), resources=("*",),
        principals=(Principal("AWS", (arn("iam", "root", account=ACCOUNT_TOKEN),)),),
    )]
    for service in key.services:
        resources = tuple(sorted({u.resource_arn for u in usages if u.key == key.name and u.service == service}))
        statements += SERVICE_GRANTS[service].statements(profile, resources)
    statements += organization_statements(profile, key)
    return PolicyDocument(name=f"key-{key.name}", description=key.description, statements=tuple(statements),
                          checkov_skips=KEY_POLICY_SKIPS)
