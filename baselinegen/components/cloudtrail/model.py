"""The ``logging.cloudtrail`` section as the components read it, and the lifecycle every log bucket has. Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BucketLifecycle:
    transition_days: int | None = 90  # days until objects move to storage_class; None = never
    storage_class: str = "GLACIER"
    expiration_days: int | None = 2555  # days until objects are deleted; None = never
    noncurrent_expiration_days: int = 90


@dataclass(frozen=True)
class CloudTrail:
    enabled: bool = True
    name: str = ""
    kms_key: str = ""
    log_file_validation: bool = True
    bucket_name: str = ""  # may contain the <account> token
    access_log_bucket_name: str = ""
    lifecycle: BucketLifecycle = field(default_factory=BucketLifecycle)
    access_log_expiration_days: int = 365
    log_group_name: str = ""
    log_group_retention_days: int = 365
    log_group_kms_key: str = ""
    s3_data_events: str = "none"  # none | read | write | all
    s3_data_event_buckets: tuple[str, ...] = ()  # bucket names; empty = every bucket but the trail's own
    lambda_data_events: bool = False
