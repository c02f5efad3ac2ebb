"""IAM invariants of identity-center mode: no IAM user, group or job function role anywhere; one permission set per
job function with exactly its policies from the policy source; assignments in exactly the accounts each group
reaches, to the group itself."""

from __future__ import annotations

from ...profile.model import Profile
from ...render.filters import tf_identifier
from ...validate.hclcheck import blocks, resource_bodies, unquote
from .center import CENTER
from .permission_sets import permission_sets
from .reach import reached
from .rows import attachment_key

MODULE = f"modules/{CENTER}"
_PEOPLE = ("aws_iam_user", "aws_iam_group", "aws_iam_role", "aws_iam_user_login_profile", "aws_iam_access_key")


def _people_problems(parsed) -> list[str]:
    return [f"{path}: {type_}.{name}: identity-center mode creates no IAM users, groups or job function roles"
            for path, doc in sorted(parsed.items()) for type_, name, _ in blocks(doc, "resource")
            if type_ in _PEOPLE and (path.startswith(("modules/iam/", "modules/job_roles/")))]


def _set_problems(parsed, profile: Profile) -> list[str]:
    sets = resource_bodies(parsed, MODULE, "resource", "aws_ssoadmin_permission_set")
    managed = resource_bodies(parsed, MODULE, "resource", "aws_ssoadmin_managed_policy_attachment")
    assignments = resource_bodies(parsed, MODULE, "resource", "aws_ssoadmin_account_assignment")
    problems = []
    want = {tf_identifier(ps.name): ps for ps in permission_sets(profile)}
    if set(sets) != set(want):
        problems.append(f"{MODULE}: permission sets {sorted(sets)} differ from the profile's groups {sorted(want)}")
    for rid, ps in want.items():
        keys = sorted(unquote(k) for k in managed.get(rid, {}).get("for_each", {}))
        if keys != sorted(attachment_key(a) for a in ps.managed_policy_arns):
            problems.append(f"{MODULE}: permission set {ps.name} attaches {keys}, its job function {sorted(ps.managed_policy_arns)}")
        body = assignments.get(rid, {})
        targets = {unquote(k): unquote(v) for k, v in (body.get("for_each") or {}).items()}
        expected = {a.name: a.id for a in reached(profile, ps.group)}
        if targets != expected:
            problems.append(f"{MODULE}: permission set {ps.name} is assigned in {sorted(targets)}, it reaches {sorted(expected)}")
        members = resource_bodies(parsed, MODULE, "resource", "aws_identitystore_group_membership").get(rid, {})
        got = sorted(unquote(k) for k in members.get("for_each") or {})
        expected_members = [] if ps.group.idp_group else sorted(u.name for u in profile.iam.users if ps.name in u.groups)
        if got != expected_members:
            problems.append(f"{MODULE}: group {ps.name} has members {got}, the profile says {expected_members}")
        group = f"data.aws_identitystore_group.{rid}" if ps.group.idp_group else f"aws_identitystore_group.{rid}"
        if unquote(body.get("principal_id")) != f"${{{group}.group_id}}" or unquote(body.get("principal_type")) != "GROUP":
            problems.append(f"{MODULE}: permission set {ps.name} is assigned to {body.get('principal_id')!r}, not its group {group}")
    return problems


def _break_glass_problems(parsed, profile: Profile) -> list[str]:
    """IAM users only in module break_glass, exactly the profile's, in one group with AdministratorAccess and MFA."""
    users = [(path, name) for path, doc in sorted(parsed.items()) for type_, name, _ in blocks(doc, "resource") if type_ == "aws_iam_user"]
    want = sorted(tf_identifier(n) for n in profile.iam.break_glass)
    problems = [f"{path}: aws_iam_user.{name}: the only IAM users are the break-glass ones, in module break_glass"
                for path, name in users if not path.startswith("modules/break_glass/")]
    found = sorted(name for path, name in users if path.startswith("modules/break_glass/"))
    if found != want:
        problems.append(f"modules/break_glass: users {found}, the profile's iam.break_glass {want}")
    if want:
        attached = resource_bodies(parsed, "modules/break_glass", "resource", "aws_iam_group_policy_attachment")
        keys = sorted(unquote(k) for k in attached.get("break_glass", {}).get("for_each", {}))
        if keys != sorted(["AdministratorAccess", f"{profile.organization.name}-baseline-mfa"]):
            problems.append(f"modules/break_glass: the group carries {keys}, not exactly AdministratorAccess and the MFA policy")
    return problems


def center_problems(parsed, profile: Profile, password_policy_problems) -> list[str]:
    return (password_policy_problems(parsed, profile, "modules/job_roles") + _people_problems(parsed)
            + _set_problems(parsed, profile) + _break_glass_problems(parsed, profile))
