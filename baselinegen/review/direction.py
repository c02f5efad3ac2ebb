"""Which side of a change is the safer one: the single table the review's "(weaker)" and "(stronger)" come from.

Every summary line about a setting with a safer side names its rule here (``Field(rule=...)``, ``EntityKind``'s
and ``Spec``'s ``rule``, or ``verdict``/``presence`` called by a component's review), and the words follow from
the rule and the two values:

- ``higher`` / ``lower``: numbers (``14 → 12`` under ``higher`` is weaker); numeric strings count as numbers;
- ``on`` / ``off``: switches (``on``: turning it on is stronger);
- ``more`` / ``fewer``: sets (``more``: adding items is stronger; a change that adds and removes says nothing);
- ``present`` / ``absent``: things added or removed (``absent``: a disabled control, an allowed Region);
- ``order``: a value from ``order``, weakest first (``SIX_HOURS`` < ``ONE_HOUR`` < ``FIFTEEN_MINUTES``).

tests/test_review_direction.py checks every row of ``RULES`` with an example of each direction.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    safer: str  # higher | lower | on | off | more | fewer | present | absent | order
    order: tuple[str, ...] = ()  # for ``order``: the values, weakest first


_ON, _OFF, _HIGHER, _LOWER = Rule("on"), Rule("off"), Rule("higher"), Rule("lower")
_PRESENT, _ABSENT, _MORE, _FEWER = Rule("present"), Rule("absent"), Rule("more"), Rule("fewer")

RULES: dict[str, Rule] = {
    # IAM: password policy field by field, MFA, job functions' reach, trust policies
    "password.minimum_length": _HIGHER,
    "password.reuse_prevention": _HIGHER,
    "password.max_age": _LOWER,
    "password.require_uppercase": _ON,
    "password.require_lowercase": _ON,
    "password.require_numbers": _ON,
    "password.require_symbols": _ON,
    "password.users_change_own": _ON,
    "password.policy": _PRESENT,
    "mfa.required": _PRESENT,
    "job_function.reach": _FEWER,  # accounts a job function can assume its role in
    "trust.principals": _FEWER,  # who may assume a role
    # KMS keys
    "kms.rotation": _ON,
    "kms.rotation_period": _LOWER,
    "kms.deletion_window": _HIGHER,
    "kms.enabled": _ON,
    # CloudTrail, log groups, buckets
    "trail.multi_region": _ON,
    "trail.log_file_validation": _ON,
    "trail.global_service_events": _ON,
    "trail.logging": _ON,
    "trail.organization": _ON,
    "trail.event_selector": _PRESENT,
    "logs.retention": _HIGHER,
    "bucket.public_access_block": _ON,
    "bucket.versioning": Rule("order", ("Disabled", "Suspended", "Enabled")),
    "bucket.mfa_delete": Rule("order", ("Disabled", "Enabled")),
    "bucket.force_destroy": _OFF,
    "bucket.object_lock": _ON,
    "bucket.hardening": _PRESENT,  # a bucket's public access block, versioning, encryption, logging, policy, ...
    # alarms
    "alarm.entry": _PRESENT,
    "alarm.threshold": _LOWER,
    "alarm.period": _LOWER,
    "alarm.evaluation_periods": _LOWER,
    "alarm.actions": _ON,
    "alarm.subscriber": _PRESENT,
    # AWS Config
    "config.rule": _PRESENT,
    "config.recording": _ON,
    "config.all_supported": _ON,
    "config.retention": _HIGHER,
    "config.parameter.MinimumPasswordLength": _HIGHER,
    "config.parameter.PasswordReusePrevention": _HIGHER,
    "config.parameter.MaxPasswordAge": _LOWER,
    "config.parameter.RequireUppercaseCharacters": Rule("order", ("false", "true")),
    "config.parameter.RequireLowercaseCharacters": Rule("order", ("false", "true")),
    "config.parameter.RequireNumbers": Rule("order", ("false", "true")),
    "config.parameter.RequireSymbols": Rule("order", ("false", "true")),
    "config.parameter.maxAccessKeyAge": _LOWER,
    "config.parameter.maxCredentialUsageAge": _LOWER,
    "config.parameter.MinRetentionTime": _HIGHER,
    # GuardDuty, Security Hub, Inspector, ECR, account guards
    "guardduty.detector": _ON,
    "guardduty.plan": _ON,
    "guardduty.publishing_frequency": Rule("order", ("SIX_HOURS", "ONE_HOUR", "FIFTEEN_MINUTES")),
    "securityhub.standard": _PRESENT,
    "securityhub.disabled_control": _ABSENT,
    "securityhub.auto_enable_controls": _ON,
    "inspector.resource_types": _MORE,
    "ecr.scan_type": Rule("order", ("BASIC", "ENHANCED")),
    # Security Hub control parameters (W23): each catalogued parameter's safer side is in
    # catalog/securityhub_parameter_directions.json, naming one of these rows
    "securityhub.parameter.higher": _HIGHER,
    "securityhub.parameter.lower": _LOWER,
    "securityhub.parameter.on": _ON,
    "securityhub.parameter.more": _MORE,
    "securityhub.parameter.fewer": _FEWER,
    "securityhub.parameter.enforcement": Rule("order", ("AUDIT", "ENFORCED")),
    "securityhub.parameter.vpc_block_mode": Rule("order", ("block-ingress", "block-bidirectional")),
    "securityhub.parameter.object_lock_mode": Rule("order", ("GOVERNANCE", "COMPLIANCE")),
    "securityhub.parameter.log_level": Rule("order", ("FATAL", "ERROR", "ALL")),
    # findings people hear about (H23find): a findings rule to the alarm topic, and what it lets through
    "findings.notification": _PRESENT,
    "findings.notify_threshold": Rule("order", ("critical", "high", "medium", "low", "public", "active")),
    "securityhub.suppression": _ABSENT,  # an automation rule that suppresses findings
    "guardduty.malware_protection_s3": _PRESENT,  # a bucket scanned by Malware Protection for S3
    "ecr.scan_frequency": Rule("order", ("MANUAL", "SCAN_ON_PUSH", "CONTINUOUS_SCAN")),
    "account.s3_block_public_access": _ON,
    "account.ebs_encryption": _ON,
    # patching
    "patch.approval_delay": _LOWER,
    # organisation policies
    "scp.deny_statement": _PRESENT,  # a Deny statement of an SCP or RCP
    "scp.allowed_regions": _FEWER,
    # Control Tower mode (H20ct): on, the landing zone's trail and recorders replace the baseline's (components/control_tower_review.py)
    "organization.control_tower": _OFF,
    # organisation policies statement by statement (H21: components/governance/statement_direction.py)
    "scp.allow_statement": _ABSENT,  # an Allow statement of an SCP (in place of FullAWSAccess): added allows more
    "scp.deny_scope": _MORE,  # what a Deny statement covers: actions, resources, values of a positive condition
    "scp.allow_scope": _FEWER,  # what an Allow statement covers
    "scp.deny_condition": _ABSENT,  # a condition on a Deny narrows what it denies
    "scp.allow_condition": _PRESENT,  # a condition on an Allow narrows what it allows
    "scp.effect": Rule("order", ("Allow", "Deny")),
    # what the review reads from the generated README: benchmark verdicts and profile warnings
    # (H20adopt/W20) "relies on Control Tower": met, but by the landing zone, no longer decided by the profile
    "benchmark.verdict": Rule("order", ("turned off", "manual", "partial", "relies on Control Tower", "covered")),
    "profile.warning": _ABSENT,
    "exception.entry": _ABSENT,  # an accepted deviation (the profile's exceptions)
}

STRONGER, WEAKER = " (stronger)", " (weaker)"


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().strip('"')
    try:
        return float(text)
    except ValueError:
        return None


def _switch(value) -> bool:
    return value is True or str(value).strip('"').lower() in ("true", "enabled", "on")


def _words(stronger: bool | None) -> str:
    return "" if stronger is None else (STRONGER if stronger else WEAKER)


def verdict(rule: str | None, old, new) -> str:
    """`` (stronger)``, `` (weaker)`` or nothing, for a value that went from ``old`` to ``new`` (None: unset)."""
    found = RULES.get(rule) if rule else None
    if found is None:
        return ""
    if found.safer in ("higher", "lower"):
        a, b = _number(old), _number(new)
        if a is None or b is None or a == b:
            return ""
        return _words((b > a) == (found.safer == "higher"))
    if found.safer in ("on", "off"):
        a, b = _switch(old), _switch(new)
        return "" if a == b else _words(b == (found.safer == "on"))
    if found.safer == "order":
        a, b = (str(v).strip('"') if v is not None else None for v in (old, new))
        if a not in found.order or b not in found.order or a == b:
            return ""
        return _words(found.order.index(b) > found.order.index(a))
    if found.safer in ("present", "absent"):
        return presence(rule, bool(new) and not old) if bool(old) != bool(new) else ""
    raise ValueError(f"rule {rule!r}: a set rule takes what was added and removed (set_verdict)")


def presence(rule: str, added: bool) -> str:
    """The words for a thing added (``added``) or removed, under a ``present``/``absent`` rule (or a switch rule:
    adding the thing turns it on)."""
    found = RULES[rule]
    if found.safer not in ("present", "absent", "on", "off"):
        raise ValueError(f"rule {rule!r} is not about things added or removed")
    return _words(added == (found.safer in ("present", "on")))


def set_verdict(rule: str, added, removed) -> str:
    """The words for items added to and removed from a set: a direction only when the change goes one way."""
    found = RULES[rule]
    if found.safer not in ("more", "fewer"):
        raise ValueError(f"rule {rule!r} is not about a set")
    if bool(added) == bool(removed):
        return ""
    return _words(bool(added) == (found.safer == "more"))
