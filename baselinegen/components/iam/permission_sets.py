"""Identity Center (``iam.identity_source: identity-center``): one permission set per job function, built from the
same policy source as the groups (``policies.group_policies``); nothing here writes a policy of its own.

* AWS managed policies (and the group's ``managed_policy_arns``): attached as they are.
* The group's own customer managed documents: one inline policy, their statements in order (Identity Center creates
  it in every assigned account); the account token of their ARNs becomes ``${aws:PrincipalAccount}``, the account the
  session is in (``any_account``), as the group's role has its own account id there.
* The baseline's shared documents (``<org>-baseline-guardrails``): referenced by name on the baseline's IAM path, as
  a customer managed policy must be: ``job_roles`` creates them in every account.
* The permissions boundary ``<org>-baseline-boundary``, also from ``job_roles``: on the duties that carry the
  guardrails (infra-admin, iam-admin), so whatever they grant themselves stays inside it.

Identity Center's quotas, in one place (https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html and
``API_CreatePermissionSet``, read 2026-12): an inline policy of at most 32,768 bytes and 10,240 non-whitespace
characters, at most 20 AWS and customer managed policies per permission set (IAM's default quota of managed policies
per role, 10, must be raised in every assigned account above that: W461), a name of 1-32 characters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from ...policy.document import ACCOUNT_TOKEN, PolicyDocument, Statement, to_json_policy
from ...profile.model import Group, Profile
from .policies import group_policies
from .policy_parts import WORST_CASE_REGIONS
from .schema import GUARDRAIL_DUTIES

INLINE_POLICY_MAX_BYTES = 32768
INLINE_POLICY_MAX_CHARS = 10240  # without whitespace
POLICIES_PER_PERMISSION_SET = 20  # AWS managed and customer managed together
IAM_POLICIES_PER_ROLE = 10  # IAM's default quota per role; above it, raise it in every assigned account
NAME_MAX = 32
# Session duration by duty (ISO 8601): short for who can change everything.
SESSION_DURATIONS = {"administrator": "PT1H", "iam-admin": "PT1H", "infra-admin": "PT2H", "security-admin": "PT2H"}
DEFAULT_SESSION = "PT4H"
PRINCIPAL_ACCOUNT = "${aws:PrincipalAccount}"  # the account of the role Identity Center provisions, in a policy


@dataclass(frozen=True)
class PermissionSet:
    group: Group
    managed_policy_arns: tuple[str, ...]  # AWS managed / profile ARNs (tokens <partition>)
    inline: PolicyDocument | None  # the group's own statements
    customer_managed: tuple[str, ...]  # names of the baseline's shared policies on BASELINE_PATH
    boundary: bool  # the baseline's permissions boundary attached
    checkov_skips: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.group.name

    @property
    def session_duration(self) -> str:
        return self.group.session_duration or SESSION_DURATIONS.get(self.group.duty, DEFAULT_SESSION)

    @property
    def policy_count(self) -> int:
        return len(self.managed_policy_arns) + len(self.customer_managed)


def _merged(profile: Profile, group: Group, documents) -> PolicyDocument | None:
    """The documents' statements in one policy, in order; a sid used twice gets the document's number."""
    if not documents:
        return None
    statements, seen = [], set()
    for index, document in enumerate(documents, start=1):
        for st in document.statements:
            sid = st.sid if st.sid not in seen else f"{st.sid}{index}"
            seen.add(sid)
            statements.append(any_account(replace(st, sid=sid)))
    skips = tuple(sorted({s for d in documents for s in d.checkov_skips}))
    return PolicyDocument(name=f"{profile.organization.name}-{group.name}-inline",
                          description=f"{group.name}: the job function's own statements", statements=tuple(statements),
                          checkov_skips=skips)


def _each_account(value: str) -> str:
    return value.replace(ACCOUNT_TOKEN, PRINCIPAL_ACCOUNT)


def any_account(st: Statement) -> Statement:
    """A statement of a group's policy as the permission set carries it: one inline policy serves every assigned
    account, so the account token (the group policy's own account) becomes the policy variable of the account the
    session is in; nothing else changes."""
    return replace(st, resources=tuple(map(_each_account, st.resources)), not_resources=tuple(map(_each_account, st.not_resources)),
                   conditions=tuple(replace(c, values=tuple(map(_each_account, c.values))) for c in st.conditions))


def permission_set(profile: Profile, group: Group) -> PermissionSet:
    policies = group_policies(group, profile)
    shared_prefix = f"{profile.organization.name}-baseline-"
    own = [d for d in policies.documents if not d.name.startswith(shared_prefix)]
    shared = tuple(d.name for d in policies.documents if d.name.startswith(shared_prefix))
    return PermissionSet(group, policies.managed_policy_arns, _merged(profile, group, own), shared,
                         group.duty in GUARDRAIL_DUTIES, policies.checkov_skips)


def permission_sets(profile: Profile) -> list[PermissionSet]:
    return [permission_set(profile, g) for g in profile.iam.groups]


def inline_sizes(document: PolicyDocument) -> tuple[int, int]:
    """(bytes as the rendered JSON has them, characters without whitespace), with the longest partition and Region
    list, as policy_parts.policy_size counts."""
    policy = to_json_policy(document, partition="aws-us-gov", account_id="111122223333", regions=WORST_CASE_REGIONS)
    return len(json.dumps(policy, indent=2).encode()), len(json.dumps(policy, separators=(",", ":")))
