"""Validated profile data handed to components (frozen, already defaulted)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .accounts_schema import DEFAULT_DEPLOYMENT_ROLE

# Every IAM path the baseline owns lives under this path: groups, policies, users and the
# permissions boundary. Policies deny non-administrators any change under it.
BASELINE_PATH = "/baseline/"
# Tag on resources (KMS keys, log buckets, topics, ...) that duties other than administrator
# and security-admin must not tamper with.
PROTECTED_TAG_KEY = "baselinegen:protected"
# Default tag of every resource, next to organization.tags (the provider's default_tags).
MANAGED_BY_TAG_KEY = "ManagedBy"
# The trail's CloudWatch Logs delivery role is <trail name> + this (an IAM role name: at most 64 characters).
TRAIL_ROLE_SUFFIX = "-cloudwatch-logs"


@dataclass(frozen=True)
class PasswordPolicy:
    minimum_length: int = 14
    require_uppercase: bool = True
    require_lowercase: bool = True
    require_numbers: bool = True
    require_symbols: bool = True
    allow_users_to_change: bool = True
    hard_expiry: bool = False
    max_age: int | None = None  # days; None = passwords never expire
    reuse_prevention: int = 24


@dataclass(frozen=True)
class PolicyStatementSpec:
    """A statement written in the profile (custom duty, programmatic users)."""

    sid: str
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_actions: tuple[str, ...] = ()
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (test, variable, values)


@dataclass(frozen=True)
class Group:
    name: str
    duty: str  # administrator, infra-admin, security-admin, iam-admin, app-developer, operator, read-only, custom
    description: str = ""
    services: tuple[str, ...] = ()  # app-developer: service keys of the service catalog
    resource_prefix: str | None = None  # app-developer: name prefix of the app's resources
    app_tag: str | None = None  # app-developer: value of the App tag on the app's resources
    managed_policy_arns: tuple[str, ...] = ()  # custom (and extra for any duty but administrator)
    statements: tuple[PolicyStatementSpec, ...] = ()  # custom duty only
    renamed_from: tuple[str, ...] = ()  # former names, oldest first (moved blocks)


@dataclass(frozen=True)
class User:
    name: str
    groups: tuple[str, ...] = ()
    programmatic: bool = False
    managed_policy_arns: tuple[str, ...] = ()  # programmatic users only
    statements: tuple[PolicyStatementSpec, ...] = ()  # programmatic users only
    tags: tuple[tuple[str, str], ...] = ()
    renamed_from: tuple[str, ...] = ()  # former names, oldest first (moved blocks)


@dataclass(frozen=True)
class Iam:
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    require_mfa: bool = True
    groups: tuple[Group, ...] = ()
    users: tuple[User, ...] = ()
    identity_account: str | None = None  # with accounts: the account holding the groups and users


@dataclass(frozen=True)
class Account:
    """One account of an organisation profile: its own root configuration ``accounts/<name>/``."""

    name: str
    id: str  # 12 digits
    role: str  # management | log-archive | security | workload
    regions: tuple[str, ...]  # sorted; organization.regions unless the profile narrows them
    description: str = ""
    renamed_from: tuple[str, ...] = ()  # former names, oldest first (their folders and state keys)


@dataclass(frozen=True)
class Organization:
    name: str
    home_region: str
    regions: tuple[str, ...]
    tags: tuple[tuple[str, str], ...] = ()
    id: str | None = None  # the AWS Organizations id (o-...); set exactly when accounts are
    deployment_role: str = DEFAULT_DEPLOYMENT_ROLE  # assumed into each account (with accounts only)
    accounts: tuple[Account, ...] = ()  # profile order; empty: a single-account baseline

    def accounts_with_role(self, role: str) -> tuple[Account, ...]:
        return tuple(a for a in self.accounts if a.role == role)


@dataclass(frozen=True)
class KmsKey:
    name: str  # profile name; alias alias/<org>-<name>
    description: str
    services: tuple[str, ...]  # service keys of components.kms.grants.SERVICE_GRANTS
    rotation: bool = True
    rotation_period_days: int = 365
    deletion_window_days: int = 30
    multi_region: bool = False
    renamed_from: tuple[str, ...] = ()  # former names, oldest first (moved blocks; their aliases are kept)


@dataclass(frozen=True)
class Kms:
    keys: tuple[KmsKey, ...] = ()


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


@dataclass(frozen=True)
class LogArchive:
    """Organisation layout: the account that keeps every account's trail and Config files, and the literal names of
    its buckets (its id in place of ``<account>``). Empty in a single-account baseline, whose buckets belong to the
    cloudtrail and config modules."""

    account_id: str = ""  # the log-archive account (the management account when the profile has none); "" = single account
    account_role: str = ""  # that account's role: log-archive, or management
    management_account_id: str = ""  # where the organisation trail lives
    trail_bucket_name: str = ""
    access_log_bucket_name: str = ""
    config_bucket_name: str = ""


@dataclass(frozen=True)
class CustomAlarm:
    id: str
    metric_name: str
    description: str
    pattern: str
    threshold: int = 1
    period: int = 300
    renamed_from: tuple[str, ...] = ()  # former ids, oldest first (moved blocks)


@dataclass(frozen=True)
class Monitoring:
    topic_name: str = ""
    topic_kms_key: str = ""
    email_subscribers: tuple[str, ...] = ()
    alarms_enabled: bool = True
    benchmark: str = "cis-1.4"
    namespace: str = "CISBenchmark"
    exclude: tuple[str, ...] = ()
    custom: tuple[CustomAlarm, ...] = ()


@dataclass(frozen=True)
class Guards:
    ebs_default_encryption: bool = True
    ebs_default_key: str | None = None  # profile key name; None = the AWS managed key aws/ebs
    s3_block_public_access: bool = True
    close_default_security_groups: bool = False


@dataclass(frozen=True)
class GuardDuty:
    enabled: bool = True
    publishing_frequency: str = "FIFTEEN_MINUTES"
    features: tuple[str, ...] = ()  # profile names, see detection_schema.GUARDDUTY_FEATURES
    runtime_agents: tuple[str, ...] = ()
    notify_severity: str = "medium"  # low | medium | high | critical | none


@dataclass(frozen=True)
class DisabledControl:
    control: str
    reason: str
    standards: tuple[str, ...]


@dataclass(frozen=True)
class SecurityHub:
    enabled: bool = True
    standards: tuple[str, ...] = ()
    disabled_controls: tuple[DisabledControl, ...] = ()
    aggregate_findings: bool = True


@dataclass(frozen=True)
class Detection:
    access_analyzer: bool = True
    guardduty: GuardDuty = field(default_factory=GuardDuty)
    security_hub: SecurityHub = field(default_factory=SecurityHub)
    inspector_resource_types: tuple[str, ...] = ()
    ecr_scan_on_push: bool = True


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


@dataclass(frozen=True)
class Patching:
    enabled: bool = True
    operating_systems: tuple[str, ...] = ("amazon-linux-2023",)  # ids of components.patching.catalog
    approval_rules: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()  # (os, ((key, values), ...)) overrides
    approve_after_days: int = 7
    compliance_level: str = "CRITICAL"
    groups: tuple[str, ...] = ("staging", "production")
    tag_key: str = "PatchGroup"
    schedule: str = "cron(0 3 ? * TUE *)"
    timezone: str = "UTC"
    duration_hours: int = 4
    cutoff_hours: int = 1
    production_delay_days: int = 2
    reboot: str = "RebootIfNeeded"
    max_concurrency: str = "25%"
    max_errors: str = "10%"
    scan_schedule: str | None = "cron(0 1 * * ? *)"
    renamed_from: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (group, its former names, oldest first)


@dataclass(frozen=True)
class Governance:
    """An organisation's guardrails: service control policies attached to its root (with accounts only)."""

    deny_leaving_organization: bool = True
    protect_security_services: bool = True
    deny_root_user: bool = True
    restrict_regions: bool = False  # deny every Region outside organization.regions (global services exempt)


@dataclass(frozen=True)
class Profile:
    source: str  # file name the profile was read from (for headers and messages)
    organization: Organization
    iam: Iam
    kms: Kms = field(default_factory=Kms)
    cloudtrail: CloudTrail = field(default_factory=CloudTrail)
    log_archive: LogArchive = field(default_factory=LogArchive)
    monitoring: Monitoring = field(default_factory=Monitoring)
    config: Config = field(default_factory=Config)
    guards: Guards = field(default_factory=Guards)
    detection: Detection = field(default_factory=Detection)
    patching: Patching = field(default_factory=Patching)
    governance: Governance = field(default_factory=Governance)
    raw: dict = field(repr=False, compare=False, default_factory=dict)  # normalised document

    @property
    def boundary_policy_name(self) -> str:
        return f"{self.organization.name}-baseline-boundary"
