"""Security invariants of IAM: the password policy, groups, memberships and MFA as the profile says; nothing the
baseline never creates (access keys, passwords, inline user policies)."""

from __future__ import annotations

from .center_invariants import center_problems
from ...profile.model import Profile
from ...render.filters import tf_identifier
from ...validate.hclcheck import blocks, resource_bodies, unquote
from .organization_invariants import organization_iam_problems
from .policies import mfa_policy

FORBIDDEN_TYPES = {
    "aws_iam_access_key": "baselinegen never creates access keys",
    "aws_iam_user_login_profile": "baselinegen never creates passwords",
    "aws_iam_user_policy": "policies are attached to users only through aws_iam_user_policy_attachment for programmatic users",
}


def _password_policy_problems(parsed, profile: Profile, directory: str = "modules/iam") -> list[str]:
    bodies = resource_bodies(parsed, directory, "resource", "aws_iam_account_password_policy")
    if list(bodies) != ["this"]:
        return [f"{directory}: expected exactly one aws_iam_account_password_policy.this"]
    body = bodies["this"]
    pp = profile.iam.password_policy
    expected = {
        "minimum_password_length": pp.minimum_length,
        "require_uppercase_characters": pp.require_uppercase,
        "require_lowercase_characters": pp.require_lowercase,
        "require_numbers": pp.require_numbers,
        "require_symbols": pp.require_symbols,
        "allow_users_to_change_password": pp.allow_users_to_change,
        "password_reuse_prevention": pp.reuse_prevention,
        "max_password_age": pp.max_age,
    }
    problems = []
    for key, want in expected.items():
        got = body.get(key)
        if got != want:
            problems.append(f"{directory}: password policy {key} is {got!r}, the profile says {want!r}")
    return problems


def _group_problems(parsed, profile: Profile) -> list[str]:
    problems = []
    groups = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_group")
    attachments = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_group_policy_attachment")
    memberships = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_group_membership")
    want_names = {tf_identifier(g.name): g for g in profile.iam.groups}
    if set(groups) != set(want_names):
        problems.append(f"modules/iam: groups {sorted(groups)} differ from the profile's {sorted(want_names)}")
    for gid, group in want_names.items():
        body = groups.get(gid, {})
        if unquote(body.get("name")) != group.name:
            problems.append(f"modules/iam: group {gid} has name {body.get('name')!r}, the profile says {group.name!r}")
        keys = {unquote(k) for k in attachments.get(gid, {}).get("for_each", {})}
        mfa_key = mfa_policy(profile).name
        if profile.iam.require_mfa and mfa_key not in keys:
            problems.append(f"modules/iam: group {group.name} lacks the MFA policy")
        has_admin = "AdministratorAccess" in keys
        if has_admin != (group.duty == "administrator"):
            problems.append(f"modules/iam: group {group.name} ({group.duty}) {'has' if has_admin else 'lacks'} AdministratorAccess")
        members = sorted(u.name for u in profile.iam.users if group.name in u.groups)
        rendered = memberships.get(gid, {}).get("users", [])
        if len(rendered) != len(members):
            problems.append(f"modules/iam: group {group.name} has {len(rendered)} members, the profile says {len(members)}")
    return problems


def _user_problems(parsed, profile: Profile) -> list[str]:
    problems = []
    direct = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_user_policy_attachment")
    for user in profile.iam.users:
        uid = tf_identifier(user.name)
        if uid in direct and not user.programmatic:
            problems.append(f"modules/iam: person {user.name} has a directly attached policy")
    for path, doc in parsed.items():
        for type_, name, _ in blocks(doc, "resource"):
            if type_ in FORBIDDEN_TYPES:
                problems.append(f"{path}: {type_}.{name}: {FORBIDDEN_TYPES[type_]}")
    return problems


def iam_problems(parsed, profile: Profile) -> list[str]:
    if profile.organization.accounts and profile.iam.identity_center:
        return center_problems(parsed, profile, _password_policy_problems) + _user_problems(parsed, profile)
    if profile.organization.accounts:
        return organization_iam_problems(parsed, profile, _password_policy_problems) + _user_problems(parsed, profile)
    return _password_policy_problems(parsed, profile) + _group_problems(parsed, profile) + _user_problems(parsed, profile)
