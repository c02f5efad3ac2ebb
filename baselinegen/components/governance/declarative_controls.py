"""Which accounts a declarative EC2 policy of ``governance.policies`` gives an IMDSv2-only default, for the controls
report's "EC2 metadata service only allows IMDSv2" item (controls/storage.py).

A declarative policy reaches every account its targets cover (profile/units.py ``accounts_reached``), the management
account included: unlike service and resource control policies, a management policy attached to the root applies to
every account of the organisation (AWS Organizations User Guide, "Viewing effective declarative policies" and
"Understanding management policy inheritance", read 2026-12-05). The attribute it sets,
``ec2_attributes.instance_metadata_defaults.http_tokens``, is the account-level IMDS default in every Region at once,
which the account can no longer change (Amazon EC2 User Guide, "Configure instance metadata options for new
instances", read 2026-12-05): it is a default for new instances, so a launch that asks for IMDSv1 and instances
launched before keep theirs. No CIS item (v1.2.0 to v7.0.0) concerns public AMIs, public snapshots, VPC block public
access or the serial console (reference/cis-aws-foundations.md §2), so the other ec2-* presets settle none."""

from __future__ import annotations

from dataclasses import dataclass

from ...profile.units import accounts_reached


@dataclass(frozen=True)
class ImdsDefaults:
    required: dict[str, tuple[str, ...]]  # account name -> the policies that set http_tokens required there
    other: dict[str, tuple[str, ...]]  # account name -> the policies that set it otherwise (optional, no-preference)


def http_tokens(body) -> str | None:
    """The value a declarative EC2 document assigns to http_tokens, or None when it sets none."""
    node = body
    for key in ("ec2_attributes", "instance_metadata_defaults", "http_tokens", "@@assign"):
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) else None


def imds_defaults(profile) -> ImdsDefaults:
    """Per account, the declarative EC2 policies of the profile that set the IMDS http_tokens default."""
    required: dict[str, list[str]] = {}
    other: dict[str, list[str]] = {}
    for policy in profile.governance.policies:
        value = http_tokens(policy.body) if policy.type == "declarative-ec2" else None
        if value is None:
            continue
        for account in accounts_reached(profile.raw or {}, policy.attach):
            (required if value == "required" else other).setdefault(account, []).append(policy.name)
    return ImdsDefaults({a: tuple(p) for a, p in required.items()}, {a: tuple(p) for a, p in other.items()})
