"""The tag policy preset ``baseline-tags``: the baseline's own tags spelled one way across the organisation.

Tag policy syntax (AWS Organizations User Guide, "Tag policy syntax and examples",
orgs_manage_policies_example-tag-policies.html, read 2026-12-05): ``{"tags": {<policy key>: {"tag_key": {"@@assign":
<capitalisation>}, "tag_value": {"@@assign": [...]}, "enforced_for": {"@@assign": [...]}}}}``; the policy key matches
the tag key but for case; without tag_value every value complies; without enforced_for nothing is blocked, AWS
only reports non-compliant resources (Resource Groups Tagging API, the console's tag policy compliance).

What it holds: the capitalisation of ``ManagedBy`` and of every ``organization.tags`` key (the baseline's default
tags), and the one value of ``baselinegen:protected`` (``true``). Not enforced: other tools write ManagedBy with their
own values, and a blocked tagging call would break someone's deployment; the report is the point."""

from __future__ import annotations

from ..profile.model import MANAGED_BY_TAG_KEY, PROTECTED_TAG_KEY


def baseline_tags_body(data: dict) -> dict:
    keys = [MANAGED_BY_TAG_KEY] + sorted((data["organization"].get("tags") or {}), key=str.lower)
    tags = {}
    for key in keys:
        tags.setdefault(key.lower(), {"tag_key": {"@@assign": key}})
    tags[PROTECTED_TAG_KEY.lower()] = {"tag_key": {"@@assign": PROTECTED_TAG_KEY}, "tag_value": {"@@assign": ["true"]}}
    return {"tags": tags}
