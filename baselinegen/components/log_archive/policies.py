"""Organisation layout: the log-archive account's bucket policies and the literal names other accounts use.

Every value that lives in another account is a literal from the profile: the organisation trail's ARN (in the
management account), the bucket names (the log-archive account's id in place of ``<account>``).
"""

from __future__ import annotations

from ...policy.document import ACCOUNT_TOKEN, Condition, PolicyDocument, Principal, Statement, arn
from ...profile.model import Profile
from ..cloudtrail.policies import CLOUDTRAIL, bucket_arn, deny_insecure_transport, deny_log_deletion, server_access_log_policy

CONFIG = (Principal("Service", ("config.amazonaws.com",)),)


def organization_trail_arn(profile: Profile) -> str:
    """The organisation trail, in the management account's home Region."""
    return arn("cloudtrail", f"trail/{profile.cloudtrail.name}", region=profile.organization.home_region,
               account=profile.log_archive.management_account_id)


def organization_log_group_arn(profile: Profile) -> str:
    return arn("logs", f"log-group:{profile.cloudtrail.log_group_name}", region=profile.organization.home_region,
               account=profile.log_archive.management_account_id)


def every_account(name: str, profile: Profile) -> tuple[str, ...]:
    """A bucket name with ``<account>``: that bucket in every account of the organisation (profile order)."""
    if ACCOUNT_TOKEN not in name:
        return (name,)
    return tuple(name.replace(ACCOUNT_TOKEN, account.id) for account in profile.organization.accounts)


def organization_trail_bucket_policy(profile: Profile) -> PolicyDocument:
    """CloudTrail writes the organisation trail's files under AWSLogs/<organization id>/<account id>/; the
    management account's own prefix AWSLogs/<management id>/ too (where its files go should the trail stop being an
    organisation trail), as CloudTrail's guide for organisation trail buckets has it."""
    bucket = profile.log_archive.trail_bucket_name
    source = Condition("StringEquals", "aws:SourceArn", (organization_trail_arn(profile),))
    prefixes = (profile.log_archive.management_account_id, profile.organization.id)
    return PolicyDocument(
        name="trail_bucket", description="TLS only; log files cannot be deleted; CloudTrail may write the organisation trail's log files and nothing else.",
        statements=(
            deny_insecure_transport(bucket),
            deny_log_deletion(bucket),
            Statement("CloudTrailAclCheck", actions=("s3:GetBucketAcl",), resources=(bucket_arn(bucket),),
                      principals=CLOUDTRAIL, conditions=(source,)),
            Statement("CloudTrailWrite", actions=("s3:PutObject",),
                      resources=tuple(bucket_arn(bucket) + f"/AWSLogs/{prefix}/*" for prefix in prefixes), principals=CLOUDTRAIL,
                      conditions=(Condition("StringEquals", "s3:x-amz-acl", ("bucket-owner-full-control",)), source)),
        ),
    )


def organization_config_bucket_policy(profile: Profile) -> PolicyDocument:
    """AWS Config of every account of the organisation checks the bucket and writes under AWSLogs/<its id>/Config/
    (the AWS Config developer guide's three statements, pinned with aws:SourceOrgID instead of aws:SourceAccount)."""
    bucket = profile.log_archive.config_bucket_name
    organization = Condition("StringEquals", "aws:SourceOrgID", (profile.organization.id,))
    return PolicyDocument(
        name="config_bucket", description="TLS only; files cannot be deleted; AWS Config of the organisation's accounts may check the bucket and write their own files.",
        statements=(
            deny_insecure_transport(bucket),
            deny_log_deletion(bucket),
            Statement("AWSConfigBucketPermissionsCheck", actions=("s3:GetBucketAcl",), resources=(bucket_arn(bucket),),
                      principals=CONFIG, conditions=(organization,)),
            Statement("AWSConfigBucketExistenceCheck", actions=("s3:ListBucket",), resources=(bucket_arn(bucket),),
                      principals=CONFIG, conditions=(organization,)),
            Statement("AWSConfigBucketDelivery", actions=("s3:PutObject",),
                      resources=tuple(bucket_arn(bucket) + f"/AWSLogs/{account.id}/Config/*" for account in profile.organization.accounts),
                      principals=CONFIG,
                      conditions=(Condition("StringEquals", "s3:x-amz-acl", ("bucket-owner-full-control",)), organization)),
        ),
    )


def organization_access_log_policy(profile: Profile) -> PolicyDocument:
    archive = profile.log_archive
    sources = [archive.trail_bucket_name] + ([archive.config_bucket_name] if profile.config.enabled else [])
    return server_access_log_policy(archive.access_log_bucket_name, sources, archive.account_id)
