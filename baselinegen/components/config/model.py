"""The ``config`` section as the components read it: the recorder, delivery and managed rules. Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..cloudtrail.model import BucketLifecycle


@dataclass(frozen=True)
class ConfigRule:
    """A managed rule as rendered: parameter values already in AWS's string form, sorted by name."""

    name: str
    source_identifier: str
    parameters: tuple[tuple[str, str], ...] = ()
    home_region_only: bool = False  # evaluates global or account-wide resources: runs in the home Region only


@dataclass(frozen=True)
class Config:
    enabled: bool = True
    global_resources: str = "home"  # home | all | none: where the recorders record IAM (global) resource types
    delivery_frequency: str = "TwentyFour_Hours"
    kms_key: str = ""
    bucket_name: str = ""  # may contain the <account> token
    lifecycle: BucketLifecycle = field(default_factory=BucketLifecycle)
    retention_days: int | None = None  # None = AWS Config's default (2557 days)
    preset: str = "cis"  # cis | none
    rules: tuple[ConfigRule, ...] = ()
