"""The building blocks of the IAM policies: their names and size, allow and deny statements, the tag that marks
the baseline's own resources, and the checkov findings a policy document can raise."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from ...policy.document import Condition, PolicyDocument, Statement, to_json_policy
from ...profile.model import PROTECTED_TAG_KEY, Profile
from ...profile.regions import AWS_REGIONS

APP_TAG_KEY = "App"
MAX_POLICY_CHARS = 6144  # IAM quota for a customer managed policy, whitespace not counted
_NAME_RE = re.compile(r"^[\w+=,.@-]{1,128}$")

PROTECTED = Condition("StringEquals", f"aws:ResourceTag/{PROTECTED_TAG_KEY}", ("true",))

# checkov IDs of these findings on a policy document; documents are always rendered as
# `data "aws_iam_policy_document"` (the resource-level twins CKV_AWS_62/63/286-290/355 never apply)
CHECKOV_ALLOW_ALL = ("CKV_AWS_1", "CKV_AWS_49", "CKV2_AWS_40")
CHECKOV_CLOUDSPLAINING = {"credentials": ("CKV_AWS_107",), "exfiltration": ("CKV_AWS_108",),
                          "permissions": ("CKV_AWS_109",), "escalation": ("CKV_AWS_110",),
                          "write": ("CKV_AWS_111",), "resource-star": ("CKV_AWS_356",)}


@dataclass(frozen=True)
class GroupPolicies:
    managed_policy_arns: tuple[str, ...]  # AWS managed / profile ARNs to attach (sorted, unique)
    documents: tuple[PolicyDocument, ...]  # customer managed policies to create and attach
    checkov_skips: tuple[tuple[str, str], ...] = ()  # for the attachment resources (check id, reason)


def policy_name(profile: Profile, owner: str, purpose: str) -> str:
    """``<org>-<owner>-<purpose>``; shortened with a stable hash when longer than IAM's 128 characters."""
    name = f"{profile.organization.name}-{owner}-{purpose}"
    if len(name) > 128:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        name = f"{name[:128 - len(purpose) - 10]}-{digest}-{purpose}"
    if not _NAME_RE.match(name):
        raise ValueError(f"policy name {name!r}: IAM policy names allow only letters, digits and +=,.@_-")
    return name


# The size check assumes the longest Region list a profile can have.
WORST_CASE_REGIONS = AWS_REGIONS


def policy_size(document: PolicyDocument) -> int:
    """Characters IAM counts (no whitespace), with the longest partition name."""
    return len(json.dumps(to_json_policy(document, partition="aws-us-gov", account_id="111122223333", regions=WORST_CASE_REGIONS),
                          separators=(",", ":")))


def allow(sid: str, actions, resources=("*",), conditions=()) -> Statement:
    return Statement(sid=sid, actions=tuple(sorted(set(actions))), resources=tuple(sorted(set(resources))),
                     conditions=tuple(conditions))


def deny(sid: str, actions, resources=("*",), conditions=()) -> Statement:
    return Statement(sid=sid, effect="Deny", actions=tuple(sorted(set(actions))),
                     resources=tuple(sorted(set(resources))), conditions=tuple(conditions))
