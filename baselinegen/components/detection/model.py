"""The ``detection`` section as the components read it. Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MalwareBucket:
    """A bucket GuardDuty Malware Protection for S3 scans (detection.guardduty.malware_protection_s3)."""

    bucket: str
    account: str  # the owning account's name; "" in a single-account profile
    region: str
    prefixes: tuple[str, ...] = ()
    kms_key_arn: str = ""


@dataclass(frozen=True)
class GuardDuty:
    enabled: bool = True
    publishing_frequency: str = "FIFTEEN_MINUTES"
    features: tuple[str, ...] = ()  # profile names, see detection_schema.GUARDDUTY_FEATURES
    runtime_agents: tuple[str, ...] = ()
    notify_severity: str = "medium"  # low | medium | high | critical | none
    malware_s3: tuple[MalwareBucket, ...] = ()


@dataclass(frozen=True)
class DisabledControl:
    control: str
    reason: str
    standards: tuple[str, ...]


@dataclass(frozen=True)
class ControlParameter:
    control: str
    parameter: str
    value: object  # bool, int, float, str or a tuple of str / int


@dataclass(frozen=True)
class HubPolicy:
    """One Security Hub configuration policy of central configuration and where it applies."""

    name: str  # the profile's name; "baseline" for the organisation-wide policy
    targets: tuple[str, ...]  # "root" and/or account names (unit paths without a known id resolved to their accounts)
    standards: tuple[str, ...]
    disabled_controls: tuple[DisabledControl, ...]
    control_parameters: tuple[ControlParameter, ...]
    apply_to: tuple[str, ...] = ()  # as the profile wrote it (unit paths kept), for texts
    units: tuple[tuple[str, str], ...] = ()  # (unit path, unit id): associated with the unit itself (its id is known)


@dataclass(frozen=True)
class AutomationRule:
    """A Security Hub automation rule of the profile (detection.security_hub.automation_rules)."""

    name: str
    reason: str
    action: str  # suppress | set-severity
    severity: str  # with set-severity: informational | low | medium | high | critical
    controls: tuple[str, ...] = ()
    products: tuple[str, ...] = ()  # profile names, see automation.PRODUCTS
    accounts: tuple[str, ...] = ()  # as the profile wrote them
    account_ids: tuple[str, ...] = ()  # the same, as 12-digit ids
    resources: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecurityHub:
    enabled: bool = True
    standards: tuple[str, ...] = ()
    disabled_controls: tuple[DisabledControl, ...] = ()
    aggregate_findings: bool = True
    configuration: str = "single"  # single (no accounts) | local | central
    control_parameters: tuple[ControlParameter, ...] = ()
    policies: tuple[HubPolicy, ...] = ()  # central configuration: the organisation-wide policy first
    notify_severity: str = "high"  # low | medium | high | critical | none
    automation_rules: tuple[AutomationRule, ...] = ()


@dataclass(frozen=True)
class Detection:
    access_analyzer: bool = True
    guardduty: GuardDuty = field(default_factory=GuardDuty)
    security_hub: SecurityHub = field(default_factory=SecurityHub)
    inspector_resource_types: tuple[str, ...] = ()
    ecr_scan_on_push: bool = True
    inspector_notify_severity: str = "high"  # low | medium | high | critical | none
    access_analyzer_notify: str = "active"  # active | public | none
