"""The ``iam`` section of the profile: cross-reference checks and weak-setting warnings."""

from __future__ import annotations

import difflib

from ...errors import Problem
from ...profile.loader import LoadedDocument, problem_at as _problem
from ...profile.wording import allowed_list, names_in
from ...profile.model import BASELINE_PATH
from ...render.filters import tf_identifier
from .services import SERVICES
from .reach import reach_problems
from .roles import SWITCH_ROLE_MAX_CHARS, role_name_fits
from ..renames import Renamed, renamed_from_problems
from .schema import GROUP_NAMES, GUARDRAIL_DUTIES, USER_NAMES


def _rename_problems(doc, data) -> list[Problem]:
    """Former names of groups and users; a renamed group's resources that carry its name are replaced (W426)."""
    iam = data["iam"]
    problems = []
    for kind, section in ((GROUP_NAMES, "groups"), (USER_NAMES, "users")):
        items = [Renamed(item["name"], item["renamed_from"], ("iam", section, i, "renamed_from")) for i, item in enumerate(iam[section])]
        problems += renamed_from_problems(doc, kind, items)
    for i, group in enumerate(iam["groups"]):
        if group["renamed_from"]:
            problems.append(_problem(doc, ("iam", "groups", i, "renamed_from"), _rename_reach(data, group), "W426", "warning"))
    return problems


def _rename_reach(data, group) -> str:
    """Everything a group rename replaces (AWS cannot rename it in place), and what that means during the apply."""
    iam, new, old = data["iam"], group["name"], group["renamed_from"][-1]
    denies = (["MFA"] if iam["mfa"]["require_for_console"] else []) + (["guardrails"] if group["duty"] in GUARDRAIL_DUTIES else [])
    reach = "its membership, its policy attachments and the policies written for it"
    accounts = [a.get("name") for a in data.get("accounts") or [] if isinstance(a, dict) and isinstance(a.get("name"), str)]
    org = data.get("organization", {}).get("name")
    if accounts and isinstance(org, str):
        shown = ", ".join(accounts[:8]) + (f" and {len(accounts) - 8} more" if len(accounts) > 8 else "")
        reach += (f", and in each of the {len(accounts)} accounts ({shown}) the job function role {org}-{old}, "
                  f"recreated as {org}-{new} with its policies and attachments")
    during = (f"members may briefly hold its Allow policies without its {' and '.join(denies)} Deny policies" if denies
              else "members briefly lose the group's permissions")
    return (f"the rename to {new!r} replaces what carries the group's name and cannot be renamed in place: {reach}; "
            f"while `terraform apply` runs, {during}; apply when the group's members are not working")


def _duplicates(doc, items, kind, path_prefix, code) -> list[Problem]:
    """IAM names are unique case-insensitively; Terraform names derived from them must differ too."""
    problems = []
    seen_names: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for i, item in enumerate(items):
        name = item["name"]
        if name.lower() in seen_names:
            first = items[seen_names[name.lower()]]["name"]
            problems.append(_problem(doc, path_prefix + (i, "name"), f"duplicate {kind} name {name!r} (same as {first!r} at index {seen_names[name.lower()]}; IAM names are case-insensitive)", code))
            continue
        ident = tf_identifier(name)
        if ident in seen_ids:
            first = items[seen_ids[ident]]["name"]
            problems.append(_problem(doc, path_prefix + (i, "name"), f"{kind} name {name!r} gives the same Terraform name {ident!r} as {first!r}; rename one of them", code))
            continue
        seen_names[name.lower()] = i
        seen_ids[ident] = i
    return problems


def _group_problems(doc, i, group) -> list[Problem]:
    path = ("iam", "groups", i)
    duty = group["duty"]
    problems = []
    if duty == "app-developer":
        if not group.get("services"):
            problems.append(_problem(doc, path, f"an app-developer group needs 'services' (allowed: {allowed_list(sorted(SERVICES), 'iam', what='services')})", "E205"))
        if not group.get("resource_prefix"):
            problems.append(_problem(doc, path, "an app-developer group needs 'resource_prefix' (the name prefix of the app's resources); 'app_tag' alone cannot scope every action", "E205"))
    else:
        for key in ("services", "resource_prefix", "app_tag"):
            if key in group:
                problems.append(_problem(doc, path + (key,), f"only app-developer groups take '{key}' (this group's duty is {duty})", "E204"))
    if duty == "custom":
        if not group["statements"] and not group["managed_policy_arns"]:
            problems.append(_problem(doc, path, "a custom group needs 'managed_policy_arns' or 'statements'", "E206"))
    elif group["statements"]:
        problems.append(_problem(doc, path + ("statements",), f"only custom groups take 'statements' (this group's duty is {duty}); use duty: custom", "E206"))
    if duty == "administrator" and group["managed_policy_arns"]:
        problems.append(_problem(doc, path + ("managed_policy_arns",), "administrator groups already have AdministratorAccess; remove 'managed_policy_arns'", "E206"))
    problems += _repeated(doc, group["managed_policy_arns"], path + ("managed_policy_arns",), "policy ARN")
    problems += _repeated(doc, [s["sid"] for s in group["statements"]], path + ("statements",), "statement sid", suffix=("sid",))
    return problems


def _repeated(doc, values, path, what, suffix=()) -> list[Problem]:
    problems, seen = [], set()
    for j, value in enumerate(values):
        if value in seen:
            problems.append(_problem(doc, path + (j,) + suffix, f"{what} {value!r} is listed twice", "E209"))
        seen.add(value)
    return problems


# W433, W418 and E208 point to the same way out for a CI user (and ci.github then makes it W439, see ci/schema.py).
CI_USER_PATH = "a CI user is unnecessary: set ci.github and remove the user (the pipeline then deploys through the baseline's OIDC roles, no access keys)"


def _user_problems(doc, i, user, groups_by_name, require_mfa) -> list[Problem]:
    path = ("iam", "users", i)
    problems = []
    for j, group_name in enumerate(user["groups"]):
        if group_name not in groups_by_name:
            close = difflib.get_close_matches(group_name, list(groups_by_name), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            known = names_in(sorted(groups_by_name), "iam.groups") or "none defined"
            problems.append(_problem(doc, path + ("groups", j), f"group {group_name!r} does not exist{hint}; groups defined in iam.groups: {known}", "E203"))
        elif user["programmatic"] and require_mfa:
            problems.append(_problem(doc, path + ("groups", j), f"programmatic user cannot join {group_name!r}: its members must sign in with MFA (iam.mfa.require_for_console); {CI_USER_PATH}; another program: attach policies to the user directly", "E208"))
    problems += _repeated(doc, user["groups"], path + ("groups",), "group")
    if not user["programmatic"]:
        for key in ("managed_policy_arns", "statements"):
            if user[key]:
                problems.append(_problem(doc, path + (key,), "only programmatic users may have policies attached directly; give people permissions through groups", "E207"))
    problems += _repeated(doc, [s["sid"] for s in user["statements"]], path + ("statements",), "statement sid", suffix=("sid",))
    return problems


def _role_name_problems(doc, data) -> list[Problem]:
    """With accounts, every account gets a role <org>-<group> per group on the baseline path: the console's Switch Role
    takes path and name of at most 64 characters together (E255)."""
    org_name = data.get("organization", {}).get("name")
    if not data.get("accounts") or not isinstance(org_name, str):
        return []
    problems = []
    for i, group in enumerate(data["iam"]["groups"]):
        name = group["name"]
        if not role_name_fits(org_name, name):
            room = SWITCH_ROLE_MAX_CHARS - len(BASELINE_PATH) - len(org_name) - 1
            problems.append(_problem(doc, ("iam", "groups", i, "name"),
                                     f"too long for the job function role {org_name}-{name} every account gets: the console's "
                                     f"Switch Role takes a role path and name of at most {SWITCH_ROLE_MAX_CHARS} characters "
                                     f"together ({BASELINE_PATH}{org_name}-{name} has {len(BASELINE_PATH) + len(org_name) + 1 + len(name)}); "
                                     f"with organization.name {org_name!r} a group name may have at most {room} characters", "E255"))
    return problems


def _weak_settings(doc, iam) -> list[Problem]:
    pp = iam["password_policy"]
    path = ("iam", "password_policy")
    warnings = []
    if pp["minimum_length"] < 14:
        warnings.append(_problem(doc, path + ("minimum_length",), f"{pp['minimum_length']} is below the CIS minimum of 14 characters", "W401", "warning"))
    if pp["reuse_prevention"] < 24:
        warnings.append(_problem(doc, path + ("reuse_prevention",), f"{pp['reuse_prevention']} is below CIS (24; Security Hub IAM.16 fails on any other value)", "W401", "warning"))
    for key in ("require_uppercase", "require_lowercase", "require_numbers", "require_symbols"):
        if not pp[key]:
            warnings.append(_problem(doc, path + (key,), "turned off; CIS and this baseline's password policy require every character class", "W401", "warning"))
    if not iam["mfa"]["require_for_console"]:
        warnings.append(_problem(doc, ("iam", "mfa", "require_for_console"), "MFA is not enforced for console users (CIS 1.10)", "W403", "warning"))
    admins = sorted({u["name"] for u in iam["users"] for g in u["groups"]
                     if any(grp["name"] == g and grp["duty"] == "administrator" for grp in iam["groups"])})
    if (iam["groups"] or iam["users"]) and iam["identity_source"] == "iam-users":
        if len(admins) < 2:
            who = ", ".join(admins) if admins else "none"
            warnings.append(_problem(doc, ("iam", "users") if iam["users"] else ("iam",), f"fewer than two administrators ({who}); this baseline's job functions require at least two members in an administrator group (break-glass)", "W402", "warning"))
    return warnings


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    iam = data["iam"]
    groups, users = iam["groups"], iam["users"]
    problems = _duplicates(doc, groups, "group", ("iam", "groups"), "E201")
    problems += _duplicates(doc, users, "user", ("iam", "users"), "E202")
    for i, group in enumerate(groups):
        problems += _group_problems(doc, i, group)
    groups_by_name = {g["name"]: g for g in groups}
    for i, user in enumerate(users):
        problems += _user_problems(doc, i, user, groups_by_name, iam["mfa"]["require_for_console"])
    return (problems + reach_problems(data, doc) + _role_name_problems(doc, data) + _rename_problems(doc, data)
            + _weak_settings(doc, iam))
