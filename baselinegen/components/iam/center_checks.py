"""Checks of ``iam.identity_source: identity-center`` (README: Identity Center).

E324 identity-center without accounts, or without ``iam.identity_center``; ``iam.identity_center`` with iam-users.
E325 ``iam.identity_center.account`` not the management or the security account (its delegated administrator).
E326 ``idp_group``, ``session_duration`` or ``relay_state`` on a group in iam-users mode; ``iam.identity_account``
     in identity-center mode (people sign in to Identity Center, no IAM account holds them).
E327 a programmatic user in identity-center mode: programs deploy through the CI roles.
E334 a user without email, given_name or family_name in identity-center mode (an Identity Store user needs them);
E335 a user in a group of the identity provider (``idp_group``: its members are managed there).
E328 a permission set's inline policy over Identity Center's size limits; E329 more than 20 managed policies;
E330 a group name longer than a permission set name may be (32); W461 more than IAM's default 10 policies per role.
E331 identity-center with fewer than two ``iam.break_glass`` users; E332 ``iam.break_glass`` with iam-users;
E333 a break-glass user listed twice.
"""

from __future__ import annotations

from ...errors import Problem
from ...profile.accounts_checks import unknown_account_problems
from ...profile.loader import LoadedDocument, problem_at
from ...profile.model import Organization, Profile
from .checks import CI_USER_PATH
from .permission_sets import (INLINE_POLICY_MAX_BYTES, INLINE_POLICY_MAX_CHARS, IAM_POLICIES_PER_ROLE, NAME_MAX,
                              POLICIES_PER_PERMISSION_SET, inline_sizes, permission_set)

CENTER_ONLY = ("idp_group", "session_duration", "relay_state")
PERSON_KEYS = ("email", "given_name", "family_name")


def _mode_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    iam = data["iam"]
    center = iam["identity_source"] == "identity-center"
    problems = []
    if not center:
        if iam.get("break_glass") is not None:
            problems.append(problem_at(doc, ("iam", "break_glass"), "only with iam.identity_source: identity-center (with IAM users, "
                                                                    "the administrator group's members are the break-glass people)", "E332"))
        if iam.get("identity_center") is not None:
            problems.append(problem_at(doc, ("iam", "identity_center"), "only with iam.identity_source: identity-center", "E324"))
        for i, group in enumerate(iam["groups"]):
            problems += [problem_at(doc, ("iam", "groups", i, key), f"only with iam.identity_source: identity-center ({key} "
                                                                   "configures the group's permission set)", "E326")
                         for key in CENTER_ONLY if key in group]
        for i, user in enumerate(iam["users"]):
            problems += [problem_at(doc, ("iam", "users", i, key), f"only with iam.identity_source: identity-center ({key} "
                                                                  "describes the person in the Identity Store)", "E326")
                         for key in PERSON_KEYS if key in user]
        return problems
    if not data.get("accounts"):
        return [problem_at(doc, ("iam", "identity_source"), "identity-center needs accounts: permission sets are assigned to "
                                                            "the accounts of an AWS Organization", "E324")]
    if iam.get("identity_center") is None:
        problems.append(problem_at(doc, ("iam", "identity_source"), "identity-center needs iam.identity_center.account: the "
                                                                    "management account or the security account", "E324"))
    else:
        problems += _account_problems(data, doc, iam["identity_center"]["account"])
    if iam.get("identity_account") is not None:
        problems.append(problem_at(doc, ("iam", "identity_account"), "not used with identity-center: people sign in to IAM "
                                                                     "Identity Center, no account holds their IAM users; remove it", "E326"))
    problems += _break_glass_problems(iam, doc)
    return problems + _person_problems(iam, doc)


def _person_problems(iam: dict, doc: LoadedDocument) -> list[Problem]:
    """identity-center: iam.users are people of the Identity Store, members of the groups created there."""
    problems = []
    external = {g["name"] for g in iam["groups"] if "idp_group" in g}
    for i, user in enumerate(iam["users"]):
        path = ("iam", "users", i)
        if user["programmatic"]:
            problems.append(problem_at(doc, path + ("programmatic",), "no programmatic IAM users with identity-center: "
                                                                      f"{CI_USER_PATH}", "E327"))
            continue
        missing = [k for k in PERSON_KEYS if k not in user]
        if missing:
            problems.append(problem_at(doc, path, f"an Identity Store user needs {', '.join(missing)} (identity-center)", "E334"))
        problems += [problem_at(doc, path + ("groups", j), f"group {name!r} comes from your identity provider (idp_group): "
                                                           "add the person there, not in iam.users", "E335")
                     for j, name in enumerate(user["groups"]) if name in external]
    return problems


def _break_glass_problems(iam: dict, doc: LoadedDocument) -> list[Problem]:
    names = iam.get("break_glass")
    if names is None or len(names) < 2:
        found = "none" if not names else f"only {names[0]!r}"
        return [problem_at(doc, ("iam", "break_glass") if names is not None else ("iam", "identity_source"),
                           f"identity-center needs at least two break-glass users in iam.break_glass ({found}): the way in when "
                           "Identity Center or the identity provider fails, held by two people apart", "E331")]
    problems, seen = [], {}
    for i, name in enumerate(names):
        if name.lower() in seen:
            problems.append(problem_at(doc, ("iam", "break_glass", i), f"break-glass user {name!r} is listed twice (same as "
                                                                       f"{names[seen[name.lower()]]!r}; IAM names are case-insensitive)", "E333"))
        seen.setdefault(name.lower(), i)
    return problems


def _account_problems(data: dict, doc: LoadedDocument, name: str) -> list[Problem]:
    path = ("iam", "identity_center", "account")
    unknown = unknown_account_problems(doc, path, name, data["accounts"], "E325")
    if unknown:
        return unknown
    role = next((a.get("role") for a in data["accounts"] if isinstance(a, dict) and a.get("name") == name), None)
    if role not in ("management", "security"):
        return [problem_at(doc, path, f"{name!r} is a {role} account: Identity Center is administered in the management account "
                                      "or in the security account, its delegated administrator", "E325")]
    return []


def _size_problems(data: dict, doc: LoadedDocument, build_iam) -> list[Problem]:
    """Each permission set against Identity Center's quotas (permission_sets.py), from the built job functions."""
    org = data["organization"]
    profile = Profile(source="", organization=Organization(name=org["name"], home_region=org["home_region"],
                                                           regions=tuple(org["regions"])), iam=build_iam(data))
    problems = []
    for i, group in enumerate(profile.iam.groups):
        path = ("iam", "groups", i)
        if len(group.name) > NAME_MAX:
            problems.append(problem_at(doc, path + ("name",), f"{len(group.name)} characters: a permission set name (the group's) "
                                                              f"has at most {NAME_MAX}", "E330"))
        ps = permission_set(profile, group)
        if ps.inline is not None:
            size, chars = inline_sizes(ps.inline)
            if size > INLINE_POLICY_MAX_BYTES or chars > INLINE_POLICY_MAX_CHARS:
                problems.append(problem_at(doc, path, f"the permission set's inline policy (the job function's own statements) has "
                                                      f"{chars} characters without whitespace ({size} bytes); Identity Center takes "
                                                      f"at most {INLINE_POLICY_MAX_CHARS} ({INLINE_POLICY_MAX_BYTES} bytes): split "
                                                      "the job function into two groups", "E328"))
        if ps.policy_count > POLICIES_PER_PERMISSION_SET:
            problems.append(problem_at(doc, path, f"{ps.policy_count} managed policies: a permission set takes at most "
                                                  f"{POLICIES_PER_PERMISSION_SET}", "E329"))
        elif ps.policy_count > IAM_POLICIES_PER_ROLE:
            problems.append(problem_at(doc, path, f"{ps.policy_count} managed policies: above IAM's default quota of "
                                                  f"{IAM_POLICIES_PER_ROLE} per role; raise 'Managed policies attached to an IAM "
                                                  "role' in every assigned account before the apply", "W461", "warning"))
    return problems


def permission_set_problems(data: dict, doc: LoadedDocument, build_iam) -> list[Problem]:
    """``build_iam(data)``: the iam component's model (the component passes its own build)."""
    problems = _mode_problems(data, doc)
    if data["iam"]["identity_source"] == "identity-center" and data.get("accounts"):
        problems += _size_problems(data, doc, build_iam)
    return problems
