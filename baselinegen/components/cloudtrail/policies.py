"""The trail's resource policies: both bucket policies and the CloudWatch Logs delivery role."""

from __future__ import annotations

from ...policy.document import ACCOUNT_TOKEN, Condition, PolicyDocument, Principal, Statement, arn
from ...profile.model import CloudTrail, Profile

CLOUDTRAIL = (Principal("Service", ("cloudtrail.amazonaws.com",)),)
EVERYONE = (Principal("*", ("*",)),)


def trail_arn(profile: Profile, trail: CloudTrail) -> str:
    return arn("cloudtrail", f"trail/{trail.name}", region=profile.organization.home_region)


def log_group_arn(profile: Profile, trail: CloudTrail) -> str:
    return arn("logs", f"log-group:{trail.log_group_name}", region=profile.organization.home_region)


def bucket_arn(name: str) -> str:
    return arn("s3", name, account="")


def deny_insecure_transport(bucket: str) -> Statement:
    return Statement("DenyInsecureTransport", effect="Deny", actions=("s3:*",),
                     resources=(bucket_arn(bucket), bucket_arn(bucket) + "/*"), principals=EVERYONE,
                     conditions=(Condition("Bool", "aws:SecureTransport", ("false",)),))


def deny_log_deletion(bucket: str) -> Statement:
    """Nobody deletes log files or their versions; the lifecycle rules expire them (a bucket policy does not apply to
    lifecycle actions). Lifting this needs a bucket-policy change, which the s3-bucket-policy-changes alarm reports."""
    return Statement("DenyLogFileDeletion", effect="Deny", actions=("s3:DeleteObject", "s3:DeleteObjectVersion"),
                     resources=(bucket_arn(bucket) + "/*",), principals=EVERYONE)


def trail_bucket_policy(profile: Profile, trail: CloudTrail) -> PolicyDocument:
    source = Condition("StringEquals", "aws:SourceArn", (trail_arn(profile, trail),))
    return PolicyDocument(
        name="trail_bucket", description="TLS only; log files cannot be deleted; CloudTrail may write this trail's log files and nothing else.",
        statements=(
            deny_insecure_transport(trail.bucket_name),
            deny_log_deletion(trail.bucket_name),
            Statement("CloudTrailAclCheck", actions=("s3:GetBucketAcl",), resources=(bucket_arn(trail.bucket_name),),
                      principals=CLOUDTRAIL, conditions=(source,)),
            Statement("CloudTrailWrite", actions=("s3:PutObject",),
                      resources=(bucket_arn(trail.bucket_name) + f"/AWSLogs/{ACCOUNT_TOKEN}/*",), principals=CLOUDTRAIL,
                      conditions=(Condition("StringEquals", "s3:x-amz-acl", ("bucket-owner-full-control",)), source)),
        ),
    )


def access_log_bucket_policy(profile: Profile, trail: CloudTrail) -> PolicyDocument:
    """The account's access-log target: the trail bucket logs here, and the Config bucket when Config is on."""
    sources = [trail.bucket_name] + ([profile.config.bucket_name] if profile.config.enabled else [])
    return server_access_log_policy(trail.access_log_bucket_name, sources, ACCOUNT_TOKEN)


def server_access_log_policy(bucket: str, sources: list[str], account: str) -> PolicyDocument:
    """TLS only, nothing deleted; S3 server access logging of ``account``'s ``sources`` buckets may write here."""
    what = "the trail bucket's and the Config bucket's" if len(sources) > 1 else "the trail bucket's"
    return PolicyDocument(
        name="access_logs_bucket", description=f"TLS only; S3 server access logging may write {what} access logs.",
        statements=(
            deny_insecure_transport(bucket),
            deny_log_deletion(bucket),
            Statement("S3ServerAccessLogs", actions=("s3:PutObject",),
                      resources=tuple(bucket_arn(bucket) + f"/{source}/*" for source in sources),
                      principals=(Principal("Service", ("logging.s3.amazonaws.com",)),),
                      conditions=(Condition("ArnLike", "aws:SourceArn", tuple(bucket_arn(source) for source in sources)),
                                  Condition("StringEquals", "aws:SourceAccount", (account,)))),
        ),
    )


def delivery_trust_policy(profile: Profile, trail: CloudTrail) -> PolicyDocument:
    return PolicyDocument(
        name="cloudwatch_logs_trust", description="Only this trail may assume the delivery role.",
        statements=(Statement(
            "CloudTrailAssumeRole", actions=("sts:AssumeRole",), principals=CLOUDTRAIL,
            conditions=(Condition("StringEquals", "aws:SourceAccount", (ACCOUNT_TOKEN,)),
                        Condition("StringEquals", "aws:SourceArn", (trail_arn(profile, trail),))),
        ),),
    )


def delivery_policy(profile: Profile, trail: CloudTrail) -> PolicyDocument:
    """The trail's own log streams; an organisation trail also writes one stream per member account, named after
    the organisation (``<organization id>_<account id>_CloudTrail_<region>``)."""
    region = profile.organization.home_region
    streams = (log_group_arn(profile, trail) + f":log-stream:{ACCOUNT_TOKEN}_CloudTrail_{region}*",)
    if profile.organization.accounts:
        streams += (log_group_arn(profile, trail) + f":log-stream:{profile.organization.id}_*",)
    return PolicyDocument(
        name="cloudwatch_logs_delivery", description="Write the trail's events into its log group, nothing else.",
        statements=(Statement("DeliverTrailEvents", actions=("logs:CreateLogStream", "logs:PutLogEvents"),
                              resources=streams),),
    )
