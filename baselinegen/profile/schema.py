"""The profile's Cerberus schema: the single source of truth for keys, types, ranges and defaults.

The core sections live here; each component contributes its own section (``SCHEMA`` in its module),
assembled by :func:`profile_schema`.
"""

from __future__ import annotations

from .adopt import adopt_rules
from ..deviations.checks import SCHEMA as DEVIATIONS
from .accounts_schema import CONTROL_TOWER, DEPLOYMENT_ROLE, KEEP_SERVICE_ACCESS, ORGANIZATION_ID, UNITS, accounts_schema
from .aws_rules import TAG_KEY_PATTERN, TAG_RULES, TAG_VALUE_PATTERN
from .regions import AWS_REGIONS

ORG_NAME_RE = r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$"
# Tag keys and values as AWS takes them (profile/aws_rules.py), for organization.tags and iam.users[].tags.
TAG_KEY_RE, TAG_VALUE_RE = TAG_KEY_PATTERN, TAG_VALUE_PATTERN

TAGS = {
    "type": "dict",
    **TAG_RULES,
    "default": {},
    "meta": {"description": "Tags applied to every resource (provider default_tags); with ManagedBy and the tags baselinegen "
                            "adds, at most 50 on any resource (E257); while GuardDuty is on, keys of ASCII letters, digits "
                            "and _ . : / = + - only, as its detectors take (E258)."},
}

REGION = {
    "type": "string",
    "allowed": list(AWS_REGIONS),
    "meta": {"description": "An AWS Region name, e.g. ap-northeast-1."},
}

CORE_SCHEMA = {
    "version": {
        "type": "integer",
        "required": True,
        "allowed": [1],
        "meta": {"description": "Profile schema version. Always 1."},
    },
    "extends": {
        "type": "string",
        "meta": {"description": "A preset from profiles/ merged under this file, key by key: mappings merge, lists are replaced."},
    },
    "organization": {
        "type": "dict",
        "required": True,
        "meta": {"description": "Who the baseline is for and where it runs."},
        "schema": {
            "name": {
                "type": "string",
                "required": True,
                "regex": ORG_NAME_RE,
                "meta": {"description": "Prefix of resource names (acme-trail, acme-config-<account>, ...); the default bucket names "
                                        "it starts must not start with a prefix S3 reserves, such as xn-- or sthree- (E256).",
                         "allowed": "2-32 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen"},
            },
            "home_region": dict(REGION, required=True, meta={"description": "The Region of global resources (IAM, the trail, alarms), one of regions."}),
            "regions": {
                "type": "list",
                "required": True,
                "minlength": 1,
                "schema": REGION,
                "meta": {"description": "Regions where regional controls run, each once; must include home_region, all in its partition (E259)."},
            },
            "tags": TAGS,
            "id": ORGANIZATION_ID,
            "deployment_role": DEPLOYMENT_ROLE,
            "keep_service_access": KEEP_SERVICE_ACCESS,
            "units": UNITS,
            "control_tower": CONTROL_TOWER,
        },
    },
    "accounts": accounts_schema(REGION),
    "adopt": adopt_rules("the account (a profile without accounts; with accounts: accounts[].adopt, E285)",
                         ["password-policy", {"part": "access-analyzer", "name": "ConsoleAnalyzer-1a2b", "regions": ["us-east-1"]},
                          {"part": "config", "name": "legacy-recorder", "delivery_channel": "legacy-channel"}]),
    "exceptions": DEVIATIONS["exceptions"],
}


def profile_schema() -> dict:
    """The complete schema: core sections plus every component's section."""
    from ..components.registry import REGISTRY

    schema = dict(CORE_SCHEMA)
    for component in REGISTRY:
        for key, rules in component.SCHEMA.items():
            schema[key] = _merge_section(key, schema[key], rules) if key in schema else rules
    return schema


def _merge_section(name: str, first: dict, second: dict) -> dict:
    """Two components may share a section (e.g. ``encryption``) as long as they define different keys in it."""
    if first.get("type") != "dict" or second.get("type") != "dict":
        raise RuntimeError(f"schema section {name!r} defined twice")
    twice = set(first["schema"]) & set(second["schema"])
    if twice:
        raise RuntimeError(f"schema keys {sorted(twice)} of section {name!r} defined twice")
    return dict(first, schema={**first["schema"], **second["schema"]})
