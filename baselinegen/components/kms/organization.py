"""Key policy statements of the organisation layout. Every account has its own copy of the profile's keys, and
what one account encrypts another must read: the organisation trail's log files (encrypted in the management
account with its key, stored in the log-archive account) and each account's AWS Config deliveries (encrypted with
that account's key, stored in the log-archive account). The log-archive and security accounts may decrypt exactly
those, nothing else; CloudTrail may use the log-archive copy for the trail bucket's default encryption."""

from __future__ import annotations

from ...policy.document import Condition, Principal, Statement, arn
from ...profile.model import KmsKey, Profile
from ...profile.regions import dns_suffix
from ..cloudtrail.policies import bucket_arn
from ..log_archive.policies import organization_trail_arn


def trail_context(profile: Profile) -> Condition:
    """Log files of the management account's trails (the organisation trail), in any Region."""
    return Condition("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn",
                     (arn("cloudtrail", "trail/*", region="*", account=profile.log_archive.management_account_id),))


def _readers(profile: Profile) -> tuple[Principal, ...]:
    ids = [a.id for role in ("log-archive", "security") for a in profile.organization.accounts_with_role(role)]
    return (Principal("AWS", tuple(arn("iam", "root", account=i) for i in ids)),) if ids else ()


def organization_statements(profile: Profile, key: KmsKey) -> list[Statement]:
    """The statements a key serving CloudTrail or AWS Config needs in an organisation (none for a single account)."""
    if not profile.organization.accounts:
        return []
    readers = _readers(profile)
    statements = []
    if "cloudtrail" in key.services and profile.cloudtrail.enabled:
        statements.append(Statement(
            "CloudTrailBucketDefaultEncryption", actions=("kms:DescribeKey", "kms:GenerateDataKey*"), resources=("*",),
            principals=(Principal("Service", ("cloudtrail.amazonaws.com",)),),
            conditions=(Condition("StringEquals", "aws:SourceArn", (organization_trail_arn(profile),)),)))
        if readers:
            statements.append(Statement(
                "LogArchiveAndSecurityReadTrailLogs", actions=("kms:Decrypt", "kms:ReEncryptFrom"), resources=("*",),
                principals=readers, conditions=(trail_context(profile),)))
    if "config" in key.services and profile.config.enabled and readers:
        bucket = bucket_arn(profile.log_archive.config_bucket_name)
        region = profile.organization.home_region
        statements.append(Statement(
            "LogArchiveAndSecurityReadConfigDeliveries", actions=("kms:Decrypt",), resources=("*",), principals=readers,
            conditions=(Condition("StringLike", "kms:EncryptionContext:aws:s3:arn", (bucket, bucket + "/*")),
                        Condition("StringEquals", "kms:ViaService", (f"s3.{region}.{dns_suffix(region)}",)))))
    return statements
