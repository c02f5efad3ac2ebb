"""The ``iam`` section of the profile: schema, cross-reference checks, weak-setting warnings."""

from __future__ import annotations

import difflib

from ..errors import Problem
from ..profile.accounts_schema import IDENTITY_ACCOUNT
from ..profile.loader import LoadedDocument, problem_at as _problem
from ..profile.wording import allowed_list, names_in
from ..profile.model import BASELINE_PATH
from ..render.filters import tf_identifier
from .iam_policies import DUTIES, SERVICES
from .iam_roles import SWITCH_ROLE_MAX_CHARS, role_name_fits
from .renames import RENAMED_FROM, Renamed, renamed_from_problems, tf_name_kind

IAM_GROUP_NAME_RE = r"^[\w+=,.@-]{1,128}$"
IAM_USER_NAME_RE = r"^[\w+=,.@-]{1,64}$"
POLICY_ARN_RE = r"^arn:aws(-cn|-us-gov)?:iam::(aws|\d{12}):policy/([\w+=,.@-]+/)*[\w+=,.@-]{1,128}$"
ACTION_RE = r"^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$"
SID_RE = r"^[A-Za-z0-9]{1,100}$"
PREFIX_RE = r"^[a-z0-9][a-z0-9._-]{0,62}$"
# What IAM accepts in a policy description (group descriptions become policy descriptions).
POLICY_DESCRIPTION_RE = r"^[\t\n\r\x20-\x7e\xa1-\xff]*$"

_NAME_ALLOWED = "letters, digits and + = , . @ _ - (no spaces)"

STATEMENT = {
    "type": "dict",
    "schema": {
        "sid": {"type": "string", "required": True, "regex": SID_RE,
                "meta": {"description": "Statement id, unique in its policy.", "allowed": "1-100 letters and digits"}},
        "effect": {"type": "string", "allowed": ["Allow", "Deny"], "default": "Allow",
                   "meta": {"description": "Whether the statement allows or denies the actions."}},
        "actions": {"type": "list", "minlength": 1, "required": True, "meta": {"description": "The IAM actions."},
                    "schema": {"type": "string", "regex": ACTION_RE,
                               "meta": {"allowed": "service:Action, wildcards * and ? allowed in the action, e.g. s3:GetObject"}}},
        "resources": {"type": "list", "minlength": 1, "required": True, "meta": {"description": "Resources the actions apply to."},
                      "schema": {"type": "string", "regex": r"^(\*|arn:[^\s]+)$",
                                 "meta": {"allowed": "an ARN (may contain * and the tokens <partition> and <account>) or *"}}},
        "conditions": {
            "type": "list",
            "default": [],
            "meta": {"description": "Conditions; the statement applies only when every one holds."},
            "schema": {"type": "dict", "schema": {
                "test": {"type": "string", "required": True, "regex": r"^[A-Za-z]+$",
                         "meta": {"description": "The condition operator.", "allowed": "an IAM condition operator such as StringEquals"}},
                "variable": {"type": "string", "required": True, "regex": r"^[\w:/.-]+$",
                             "meta": {"description": "The condition key.", "allowed": "a condition key such as aws:RequestedRegion"}},
                "values": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string"},
                           "meta": {"description": "Values the key is compared with; one match is enough."}},
            }},
        },
    },
}


def _character_class(what: str) -> dict:
    return {"type": "boolean", "default": True,
            "meta": {"description": f"Passwords must contain {what} (seed 003); false: warning W401."}}


POLICY_ARNS = {
    "type": "list",
    "default": [],
    "schema": {"type": "string", "regex": POLICY_ARN_RE,
               "meta": {"allowed": "an IAM policy ARN, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess"}},
}

# The reference's example of a custom group's statements (docs/profile.md): what the example profiles do not show.
CUSTOM_STATEMENTS_EXAMPLE = [{
    "sid": "ReadBillingReports",
    "actions": ["s3:GetObject", "s3:ListBucket"],
    "resources": ["arn:<partition>:s3:::acme-billing-reports", "arn:<partition>:s3:::acme-billing-reports/*"],
    "conditions": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["true"]}],
}]

SCHEMA = {
    "iam": {
        "type": "dict",
        "default": {},
        "meta": {"description": "Password policy, MFA, groups per job function, users."},
        "schema": {
            "password_policy": {
                "type": "dict",
                "default": {},
                "meta": {"description": "Account password policy (defaults: seed 003's table)."},
                "schema": {
                    "minimum_length": {"type": "integer", "min": 6, "max": 128, "default": 14,
                                       "meta": {"description": "Minimum password length (CIS 1.8); below 14: warning W401."}},
                    "require_uppercase": _character_class("an uppercase letter"),
                    "require_lowercase": _character_class("a lowercase letter"),
                    "require_numbers": _character_class("a number"),
                    "require_symbols": _character_class("a symbol"),
                    "allow_users_to_change": {"type": "boolean", "default": True,
                                              "meta": {"description": "Users may change their own password."}},
                    "hard_expiry": {"type": "boolean", "default": False,
                                    "meta": {"description": "An expired password can only be reset by an administrator; only used with max_age."}},
                    "max_age": {"type": "integer", "min": 1, "max": 1095, "nullable": True, "default": None,
                                "meta": {"description": "Days until a password expires; null = never."}},
                    "reuse_prevention": {"type": "integer", "min": 1, "max": 24, "default": 24,
                                         "meta": {"description": "Number of previous passwords that cannot be used again (CIS 1.9); below 24: "
                                                                 "warning W401 (Security Hub IAM.16 fails on any other value)."}},
                },
            },
            "mfa": {
                "type": "dict",
                "default": {},
                "meta": {"description": "Multi-factor authentication of people."},
                "schema": {
                    "require_for_console": {"type": "boolean", "default": True,
                                            "meta": {"description": "Attach the deny-unless-MFA policy to every human group (CIS 1.10); "
                                                                    "false: warning W403."}},
                },
            },
            "groups": {
                "type": "list",
                "default": [],
                "meta": {"description": "One IAM group per job function."},
                "schema": {"type": "dict", "schema": {
                    "name": {"type": "string", "required": True, "regex": IAM_GROUP_NAME_RE,
                             "meta": {"description": "The IAM group name, unique (IAM names are case-insensitive).",
                                      "allowed": f"1-128 {_NAME_ALLOWED}"}},
                    "duty": {"type": "string", "required": True, "allowed": list(DUTIES),
                             "meta": {"description": "The job function: what the group's policies allow (README: Job functions)."}},
                    "description": {"type": "string", "maxlength": 1000, "regex": POLICY_DESCRIPTION_RE,
                                    "meta": {"description": "Becomes the description of the group's IAM policies.",
                                             "allowed": "up to 1000 printable Latin-1 characters, tabs and newlines (what IAM accepts in policy descriptions)"}},
                    "services": {"type": "list", "schema": {"type": "string", "allowed": sorted(SERVICES)},
                                 "meta": {"description": "For app-developer groups only, and required there (E204, E205): the services "
                                                         "the app uses, from baselinegen's catalog."}},
                    "resource_prefix": {"type": "string", "regex": PREFIX_RE,
                                        "meta": {"description": "For app-developer groups only, and required there (E204, E205): the "
                                                                "name prefix of the app's resources, which scopes every action.",
                                                 "allowed": "1-63 lowercase letters, digits and . _ -, starting with a letter or digit"}},
                    "app_tag": {"type": "string", "regex": r"^[\w.:/=+@-]{1,256}$",
                                "meta": {"description": "For app-developer groups only (E204): the value of the App tag; adds tag "
                                                        "conditions on top of the prefix.",
                                         "allowed": "1-256 letters, digits and _ . : / = + - @"}},
                    "managed_policy_arns": dict(POLICY_ARNS, meta={"description": "Managed policies attached to the group as well "
                                                                                  "(not for administrator groups, E206); each once."}),
                    "statements": {"type": "list", "default": [], "schema": STATEMENT,
                                   "meta": {"description": "For custom groups only (E206): the statements of the group's own "
                                                           "policy; a custom group needs these or managed_policy_arns.",
                                            "example": CUSTOM_STATEMENTS_EXAMPLE}},
                    "renamed_from": dict(RENAMED_FROM, meta=dict(RENAMED_FROM["meta"], example=["Ops", "Operations"])),
                }},
            },
            "users": {
                "type": "list",
                "default": [],
                "meta": {"description": "One IAM user per person and per program, never shared; fewer than two members in "
                                        "administrator groups: warning W402."},
                "schema": {"type": "dict", "schema": {
                    "name": {"type": "string", "required": True, "regex": IAM_USER_NAME_RE,
                             "meta": {"description": "The IAM user name, unique (IAM names are case-insensitive).",
                                      "allowed": f"1-64 {_NAME_ALLOWED}"}},
                    "groups": {"type": "list", "default": [], "schema": {"type": "string"},
                               "meta": {"description": "Groups of iam.groups the user belongs to (E203), each once; a programmatic "
                                                       "user joins none while MFA is required (E208).",
                                        "allowed": "names of groups in iam.groups"}},
                    "programmatic": {"type": "boolean", "default": False,
                                     "meta": {"description": "A program: no console sign-in; may have policies attached directly."}},
                    "managed_policy_arns": dict(POLICY_ARNS, meta={"description": "For programmatic users only (E207): managed "
                                                                                  "policies attached to the user directly; each once."}),
                    "statements": {"type": "list", "default": [], "schema": STATEMENT,
                                   "meta": {"description": "For programmatic users only (E207): the statements of the user's own policy."}},
                    "tags": {"type": "dict", "default": {}, "meta": {"description": "Tags of the IAM user."},
                             "keysrules": {"type": "string", "regex": r"^(?!aws:)[\w .:/=+@-]{1,128}$",
                                           "meta": {"allowed": "1-128 letters, digits, spaces and _ . : / = + - @"}},
                             "valuesrules": {"type": "string", "regex": r"^[\w .:/=+@-]{0,256}$",
                                             "meta": {"allowed": "0-256 letters, digits, spaces and _ . : / = + - @"}}},
                    "renamed_from": RENAMED_FROM,
                }},
            },
            "identity_account": IDENTITY_ACCOUNT,
        },
    },
}

GROUP_NAMES = tf_name_kind("group", IAM_GROUP_NAME_RE, f"1-128 {_NAME_ALLOWED}", case_insensitive=True)
USER_NAMES = tf_name_kind("user", IAM_USER_NAME_RE, f"1-64 {_NAME_ALLOWED}", case_insensitive=True)
GUARDRAIL_DUTIES = ("infra-admin", "iam-admin")  # groups that carry the guardrails' Deny policy


def _rename_problems(doc, iam) -> list[Problem]:
    """Former names of groups and users; a renamed group's policy attachments are replaced (W426)."""
    problems = []
    for kind, section in ((GROUP_NAMES, "groups"), (USER_NAMES, "users")):
        items = [Renamed(item["name"], item["renamed_from"], ("iam", section, i, "renamed_from")) for i, item in enumerate(iam[section])]
        problems += renamed_from_problems(doc, kind, items)
    for i, group in enumerate(iam["groups"]):
        denies = (["MFA"] if iam["mfa"]["require_for_console"] else []) + (["guardrails"] if group["duty"] in GUARDRAIL_DUTIES else [])
        if group["renamed_from"] and denies:
            problems.append(_problem(doc, ("iam", "groups", i, "renamed_from"),
                                     f"a policy attachment names its group, so the rename to {group['name']!r} replaces the group's policy "
                                     f"attachments: while `terraform apply` runs, members may briefly hold its Allow policies "
                                     f"without its {' and '.join(denies)} Deny policies; apply when the group's members are not working", "W426", "warning"))
    return problems


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
            problems.append(_problem(doc, path + ("groups", j), f"programmatic user cannot join {group_name!r}: its members must sign in with MFA (iam.mfa.require_for_console); attach policies to the user directly instead", "E208"))
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
            warnings.append(_problem(doc, path + (key,), "turned off; CIS and seed 003 require every character class", "W401", "warning"))
    if not iam["mfa"]["require_for_console"]:
        warnings.append(_problem(doc, ("iam", "mfa", "require_for_console"), "MFA is not enforced for console users (CIS 1.10)", "W403", "warning"))
    admins = sorted({u["name"] for u in iam["users"] for g in u["groups"]
                     if any(grp["name"] == g and grp["duty"] == "administrator" for grp in iam["groups"])})
    if iam["groups"] or iam["users"]:
        if len(admins) < 2:
            who = ", ".join(admins) if admins else "none"
            warnings.append(_problem(doc, ("iam", "users") if iam["users"] else ("iam",), f"fewer than two administrators ({who}); seed 003 requires at least two members in an administrator group", "W402", "warning"))
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
    return problems + _role_name_problems(doc, data) + _rename_problems(doc, iam) + _weak_settings(doc, iam)
