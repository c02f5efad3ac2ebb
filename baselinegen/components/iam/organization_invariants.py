"""IAM invariants of the organisation layout: every job function role trusts only the identity account and requires
MFA; every group may assume only its own role; people and groups exist in the identity account's module only."""

from __future__ import annotations

import re

from .reach import REACH_INPUT, reached
from .roles import identity_account, role_arn, role_name
from ...policy.document import PARTITION_TOKEN
from ...profile.model import Profile
from ...profile.regions import partition_of
from ...render.filters import tf_identifier
from ...validate.bucket_invariants import policy_statements
from ...validate.hclcheck import blocks, resource_bodies, unquote

JOB_ROLES = "modules/job_roles"
IDENTITY = "modules/iam"
TRUST = "data.aws_iam_policy_document.trust.json"


def _values(items) -> list:
    return [unquote(i) for i in items or []]


def _conditions(statement: dict) -> set[tuple]:
    return {(unquote(c.get("test")), unquote(c.get("variable")), tuple(_values(c.get("values"))))
            for c in statement.get("condition", [])}


MFA_PRESENT = ("Bool", "aws:MultiFactorAuthPresent", ("true",))
_MAP_KEY = re.compile(r'^\s*"([^"]+)"\s*=', re.M)


def _attached(for_each) -> list[str]:
    """The keys of a role's attachments: a map, or (reach) the map inside ``contains(...) ? tomap({...}) : tomap({})``."""
    if isinstance(for_each, dict):
        return list(for_each)
    return [f'"{key}"' for key in _MAP_KEY.findall(for_each if isinstance(for_each, str) else "")]


def _trust_problems(parsed, profile: Profile) -> list[str]:
    identity = identity_account(profile)
    root = f"arn:{partition_of(profile.organization.home_region)}:iam::{identity.id}:root"
    statements = policy_statements(parsed, JOB_ROLES, "trust")
    problems = []
    if not statements:
        return [f"{JOB_ROLES}: no trust policy document"]
    for st in statements:
        sid = unquote(st.get("sid"))
        if unquote(st.get("effect")) != "Allow":
            continue
        principals = [(unquote(p.get("type")), _values(p.get("identifiers"))) for p in st.get("principals", [])]
        if principals != [("AWS", [root])]:
            problems.append(f"{JOB_ROLES}: trust statement {sid} trusts {principals}, not only the identity account {root}")
        if MFA_PRESENT not in _conditions(st):
            problems.append(f"{JOB_ROLES}: trust statement {sid} does not require MFA")
    return problems


def _role_problems(parsed, profile: Profile) -> list[str]:
    roles = resource_bodies(parsed, JOB_ROLES, "resource", "aws_iam_role")
    attachments = resource_bodies(parsed, JOB_ROLES, "resource", "aws_iam_role_policy_attachment")
    want = {tf_identifier(g.name): g for g in profile.iam.groups}
    problems = []
    if set(roles) != set(want):
        problems.append(f"{JOB_ROLES}: roles {sorted(roles)} differ from the profile's groups {sorted(want)}")
    for rid, group in want.items():
        body = roles.get(rid, {})
        if unquote(body.get("name")) != role_name(profile, group.name):
            problems.append(f"{JOB_ROLES}: role {rid} has name {body.get('name')!r}, expected {role_name(profile, group.name)!r}")
        if body.get("assume_role_policy") != f"${{{TRUST}}}":
            problems.append(f"{JOB_ROLES}: role {rid} does not use the trust policy {TRUST}")
        count = body.get("count")
        want_count = f'${{contains(var.{REACH_INPUT}, "{group.name}") ? 1 : 0}}' if group.reach is not None else None
        if count != want_count:
            problems.append(f"{JOB_ROLES}: role {rid} has count {count!r}, expected {want_count!r} (iam.groups[].reach)")
        keys = {unquote(k) for k in _attached(attachments.get(rid, {}).get("for_each", {}))}
        has_admin = "AdministratorAccess" in keys
        if has_admin != (group.duty == "administrator"):
            problems.append(f"{JOB_ROLES}: role {rid} ({group.duty}) {'has' if has_admin else 'lacks'} AdministratorAccess")
    return problems


def _group_problems(parsed, profile: Profile) -> list[str]:
    groups = resource_bodies(parsed, IDENTITY, "resource", "aws_iam_group")
    attachments = resource_bodies(parsed, IDENTITY, "resource", "aws_iam_group_policy_attachment")
    partition = partition_of(profile.organization.home_region)
    want = {tf_identifier(g.name): g for g in profile.iam.groups}
    problems = []
    if set(groups) != set(want):
        problems.append(f"{IDENTITY}: groups {sorted(groups)} differ from the profile's {sorted(want)}")
    for gid, group in want.items():
        body = attachments.get(gid, {}).get("for_each", {})
        policy = f"{gid}_assume_role"
        expected = {f"${{aws_iam_policy.{policy}.arn}}"}
        if profile.iam.require_mfa:
            expected.add("${aws_iam_policy.mfa.arn}")
        got = {unquote(v) for v in body.values()}
        if got != expected:
            problems.append(f"{IDENTITY}: group {group.name} has policies {sorted(got)}, expected only {sorted(expected)}")
        own = sorted(role_arn(profile, group.name, a).replace(PARTITION_TOKEN, partition) for a in reached(profile, group))
        for st in policy_statements(parsed, IDENTITY, policy):
            sid = unquote(st.get("sid"))
            if unquote(st.get("effect")) != "Allow":
                continue
            if _values(st.get("actions")) != ["sts:AssumeRole"] or sorted(_values(st.get("resources"))) != own:
                problems.append(f"{IDENTITY}: group {group.name} statement {sid} allows {_values(st.get('actions'))} on "
                                f"{_values(st.get('resources'))}, not sts:AssumeRole on exactly its own roles")
            if MFA_PRESENT not in _conditions(st):
                problems.append(f"{IDENTITY}: group {group.name} statement {sid} does not require MFA")
    return problems


def _placement_problems(parsed) -> list[str]:
    """Users and groups only in the identity account's module; the password policy only in job_roles."""
    problems = []
    for path, doc in sorted(parsed.items()):
        for type_, name, _ in blocks(doc, "resource"):
            if type_ in ("aws_iam_user", "aws_iam_group") and not path.startswith(f"{IDENTITY}/"):
                problems.append(f"{path}: {type_}.{name}: IAM users and groups belong in the identity account's module iam")
            if type_ == "aws_iam_account_password_policy" and not path.startswith(f"{JOB_ROLES}/"):
                problems.append(f"{path}: {type_}.{name}: the password policy belongs in module job_roles (every account)")
    return problems


def organization_iam_problems(parsed, profile: Profile, password_policy_problems) -> list[str]:
    """``password_policy_problems(parsed, profile, directory)``: the single-account check, pointed at job_roles."""
    return (password_policy_problems(parsed, profile, JOB_ROLES) + _trust_problems(parsed, profile)
            + _role_problems(parsed, profile) + _group_problems(parsed, profile) + _placement_problems(parsed))
