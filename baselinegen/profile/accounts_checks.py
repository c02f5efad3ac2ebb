"""An organisation profile's cross-reference checks and weak-setting warnings (``accounts`` and the keys that go
with it). The schema pieces are in ``accounts_schema.py``, the model is built in ``accounts.py``."""

from __future__ import annotations

import difflib
import re

from ..components.renames import NameKind, Renamed, renamed_from_problems
from ..errors import Problem
from .accounts_schema import ACCOUNT_NAME_ALLOWED, ACCOUNT_NAME_RE, ACCOUNT_ROLES
from .loader import LoadedDocument, dotted_path, problem_at as _problem
from .wording import LISTED_ALLOWED, names_in

ONE_ONLY = ("management", "log-archive", "security")  # roles at most one account has (management: exactly one)
# Keys that mean something only with accounts: (path, what to say it is).
ORGANIZATION_ONLY_KEYS = ((("organization", "id"), "the AWS Organizations id"),
                          (("organization", "deployment_role"), "the role Terraform assumes in each account"),
                          (("iam", "identity_account"), "the account holding the IAM users"))


def _well_formed(account) -> bool:
    """Name, id and role present as strings (malformed ones already have their schema error)."""
    return isinstance(account, dict) and all(isinstance(account.get(key), str) for key in ("name", "id", "role"))


def _valid_names(accounts) -> list[str]:
    """The valid account names, each once, in profile order (for lists of what is allowed)."""
    names = [a["name"] for a in accounts if _well_formed(a) and re.match(ACCOUNT_NAME_RE, a["name"])]
    return list(dict.fromkeys(names))


def _label(accounts, i: int) -> str:
    """How a message names accounts[i]: its name, or its place when it has none."""
    name = accounts[i].get("name")
    return repr(name) if isinstance(name, str) else f"accounts[{i}]"


def _line(doc: LoadedDocument, path: tuple) -> int:
    return doc.locate(path).line


def _at_key(doc: LoadedDocument, path: tuple, message: str, code: str, severity: str = "error") -> Problem:
    """A problem about a whole section, located at its key (``accounts:``) rather than at its first item."""
    return Problem(doc.locate(path, prefer_key=True), dotted_path(path), message, code, severity)


def _role_problems(doc, accounts) -> list[Problem]:
    """E250: exactly one management account, at most one log-archive and one security account."""
    problems = []
    first: dict[str, int] = {}
    for i, account in enumerate(accounts):
        role = account.get("role") if isinstance(account, dict) else None
        if role not in ONE_ONLY:
            continue
        if role in first:
            j = first[role]
            others = ", ".join(r for r in ACCOUNT_ROLES if r not in ("management", role))
            problems.append(_problem(doc, ("accounts", i, "role"),
                                     f"account {_label(accounts, j)} (line {_line(doc, ('accounts', j))}) already has role {role}; "
                                     f"an organisation has {'exactly' if role == 'management' else 'at most'} one {role} account "
                                     f"(roles for the others: {others})", "E250"))
        else:
            first[role] = i
    if "management" not in first and all(isinstance(a, dict) and a.get("role") in ACCOUNT_ROLES for a in accounts):
        problems.append(_at_key(doc, ("accounts",), "no account has role management; exactly one account must be the organisation's "
                                                     "management account (the one that created the organisation)", "E250"))
    return problems


def _unique_problems(doc, accounts) -> list[Problem]:
    """E251: every account name and every account id once."""
    problems = []
    for key in ("name", "id"):
        seen: dict[str, int] = {}
        for i, account in enumerate(accounts):
            if not _well_formed(account):
                continue
            value, j = account[key], seen.setdefault(account[key], i)
            if j == i:
                continue
            line = _line(doc, ("accounts", j))
            if key == "name":
                message = (f"account name {value!r} is already used (line {line}); each account has its own name: "
                           f"it is the account's folder, accounts/{value}/")
            else:
                message = f"account id {value!r} is already the id of account {accounts[j]['name']!r} (line {line}); list each AWS account once"
            problems.append(_problem(doc, ("accounts", i, key), message, "E251"))
    return problems


def _region_problems(doc, org, accounts) -> list[Problem]:
    """E209 a Region twice, E252 a Region outside organization.regions, E253 the home Region missing."""
    problems = []
    for i, account in enumerate(accounts):
        if not isinstance(account, dict) or not isinstance(account.get("regions"), list):
            continue
        path = ("accounts", i, "regions")
        regions = account["regions"]
        for j, region in enumerate(regions):
            if region in regions[:j]:
                problems.append(_problem(doc, path + (j,), f"region {region!r} is listed twice", "E209"))
            elif region not in org["regions"]:
                close = difflib.get_close_matches(region, org["regions"], n=1, cutoff=0.8)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(_problem(doc, path + (j,), f"region {region!r} is not in organization.regions{hint}; an account runs in "
                                                           f"the organisation's Regions only ({names_in(org['regions'], 'organization.regions')}): add it "
                                                           "there or remove it here", "E252"))
        if org["home_region"] not in regions:
            problems.append(_problem(doc, path, f"the home Region {org['home_region']} is missing; every account runs its global resources "
                                                "(IAM, the password policy, the alarms) there: add it", "E253"))
    return problems


def unknown_account_problems(doc: LoadedDocument, path: tuple, name: str, accounts: list, code: str) -> list[Problem]:
    """``name``, written at ``path``, is no account of ``accounts``: the error ``code`` with a did-you-mean (nothing
    while an account is malformed: it may be the one meant, and its schema error comes first)."""
    names = _valid_names(accounts)
    if name in names or not all(_well_formed(a) for a in accounts):
        return []
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return [_problem(doc, path, f"no account is named {name!r}{hint}; accounts: {names_in(names, 'accounts')}", code)]


def account_key_problems(data: dict, doc: LoadedDocument, path: tuple, code: str, alone: str) -> list[Problem]:
    """A key at ``path`` that names an account of an organisation profile: refused without accounts (``alone`` says
    why, as the message), else an account of the profile (unknown_account_problems)."""
    accounts = data.get("accounts")
    if not accounts:
        return [_problem(doc, path, alone, code)]
    section = data
    for key in path[:-1]:
        section = section[key]
    return unknown_account_problems(doc, path, section[path[-1]], accounts, code)


def _identity_problems(doc, iam, accounts) -> list[Problem]:
    """E248 no identity account, E254 an identity account that is not in accounts; W429 a poor choice of account."""
    path = ("iam", "identity_account")
    names = _valid_names(accounts)
    name = iam.get("identity_account")
    if iam.get("identity_source") == "identity-center":
        return []  # people sign in to IAM Identity Center (components/iam/center_checks.py)
    if name is None:
        return [_problem(doc, path, "required with accounts: the account (by name) that holds the IAM groups and users; every other "
                                    f"account gets one role per job function (accounts: {names_in(names, 'accounts')})", "E248")]
    account = next((a for a in accounts if _well_formed(a) and a["name"] == name), None)
    if account is None:
        return unknown_account_problems(doc, path, name, accounts, "E254")
    if account["role"] == "management":
        return [_problem(doc, path, f"{name!r} is the management account: people would sign in to it every day, and service control "
                                    "policies never restrict the management account; AWS advises against its daily use: hold the "
                                    "users in the security account or a dedicated identity account", "W429", "warning")]
    if account["role"] == "log-archive":
        return [_problem(doc, path, f"{name!r} is the log-archive account: it should hold the organisation's logs and nothing "
                                    "people work in; hold the users in the security account or a dedicated identity account",
                         "W429", "warning")]
    return []


def _duty_warnings(doc, accounts, patching_on: bool) -> list[Problem]:
    """W427 no log-archive account, W428 no security account: the management account keeps their duties; W434 no
    workload account while patching is on: nothing to patch, so no patching is rendered."""
    problems = []
    if not all(_well_formed(a) and a["role"] in ACCOUNT_ROLES for a in accounts):
        return problems  # a malformed account may hold the missing role: its schema error comes first
    roles = {a["role"] for a in accounts}
    if "management" not in roles:
        return problems  # E250 says what is missing
    if "log-archive" not in roles:
        problems.append(_at_key(doc, ("accounts",), "no log-archive account: the organisation trail and AWS Config would deliver to "
                                                     "buckets in the management account, next to everyone who administers the "
                                                     "organisation; a log-archive account keeps the logs apart from the accounts "
                                                     "they record", "W427", "warning"))
    if "security" not in roles:
        problems.append(_at_key(doc, ("accounts",), "no security account: the management account administers the detective "
                                                     "services itself (it designates itself the administrator of GuardDuty, Security "
                                                     "Hub and Inspector, and holds the organisation's Access Analyzer and the Config "
                                                     "aggregator; findings go to its alarm topic), so the security team would work "
                                                     "every day in the management account, which service control policies never "
                                                     "restrict; a security account takes that delegated administration", "W428", "warning"))
    if "workload" not in roles and patching_on:
        problems.append(_at_key(doc, ("accounts",), "no workload account: patching runs in workload accounts only, so no patch "
                                                     "baselines or maintenance windows are rendered (modules/patching is absent); "
                                                     "add the accounts that run instances with role workload, or turn patching "
                                                     "off (patching.enabled: false)", "W434", "warning"))
    return problems


def _coverage_warnings(doc, org, accounts) -> list[Problem]:
    """W431: the management and security accounts administer the detective services Region by Region, so they run
    wherever another account runs."""
    problems = []
    why = {"management": "it delegates the administration of GuardDuty, Security Hub and Inspector Region by Region",
           "security": "it administers GuardDuty, Security Hub and Inspector for the organisation Region by Region"}
    for i, account in enumerate(accounts):
        if not _well_formed(account) or account["role"] not in why or not isinstance(account.get("regions"), list):
            continue
        missing: dict[str, dict[str, None]] = {}
        for other in accounts:
            regions = other.get("regions", org["regions"]) if _well_formed(other) and other is not account else []
            if isinstance(regions, list):
                for region in regions:
                    if region in org["regions"] and region not in account["regions"]:
                        missing.setdefault(region, {})[other["name"]] = None  # a dict keeps the order, each name once
        for region, names in sorted(missing.items()):
            problems.append(_problem(doc, ("accounts", i, "regions"),
                                     f"the {account['role']} account does not run in {region}, where {_accounts(list(names))} "
                                     f"run{'s' if len(names) == 1 else ''}: {why[account['role']]}, so findings there would "
                                     "have no administrator; add the Region", "W431", "warning"))
    return problems


def _accounts(names: list) -> str:
    return names_in(names, "accounts") if len(names) <= LISTED_ALLOWED else f"{len(names)} other accounts"


ACCOUNT_NAMES = NameKind("account", ACCOUNT_NAME_RE, ACCOUNT_NAME_ALLOWED, article="an")


def _state_move(old: str, new: str, state) -> str:
    """How to move a renamed account's state: copy the object in the state bucket, or pull and push a local state."""
    if isinstance(state, dict) and isinstance(state.get("bucket"), str):
        source, target = (f"s3://{state['bucket']}/accounts/{name}/terraform.tfstate" for name in (old, new))
        return (f"its state key moves from accounts/{old}/ to accounts/{new}/ in the state bucket; copy the object before "
                f"the first plan of accounts/{new}/ (CI plans it on the pull request that renames, so copy first), while "
                f"no apply runs: `aws s3 cp {source} {target}` (the bucket's default encryption applies to the copy); "
                f"delete the old object (`aws s3 rm {source}`) once accounts/{new}/ plans no changes")
    return (f"its Terraform state key with it; moved blocks cannot move state between configurations, so move the state "
            f"yourself: `terraform state pull > {old}.tfstate` in accounts/{old}/ before rendering the rename, then "
            f"`terraform init` and `terraform state push {old}.tfstate` in accounts/{new}/ before its first plan")


def _rename_problems(doc, accounts, state=None) -> list[Problem]:
    """E241-E244 as for every renamed item; W430: the folder and the state key follow the name."""
    items = [Renamed(a["name"], a.get("renamed_from", []), ("accounts", i, "renamed_from"))
             for i, a in enumerate(accounts) if _well_formed(a)]
    problems = renamed_from_problems(doc, ACCOUNT_NAMES, items)
    wrong = {p.path.rsplit("[", 1)[0] for p in problems}  # the renamed_from lists with a mistake: no W430 until fixed
    for item in items:
        if item.old_names and dotted_path(item.path) not in wrong:
            old = item.old_names[-1]
            problems.append(_problem(doc, item.path,
                                     f"the account's root configuration moves from accounts/{old}/ to accounts/{item.name}/, and "
                                     + _state_move(old, item.name, state) + " (without the state Terraform would plan to "
                                     "create every resource of the account again); remove the former "
                                     "name once that is done", "W430", "warning"))
    return problems


def _single_account_problems(doc, data) -> list[Problem]:
    """E249: keys of an organisation profile in a profile without accounts."""
    problems = []
    for path, what in ORGANIZATION_ONLY_KEYS:
        if path[-1] in data[path[0]]:
            problems.append(_problem(doc, path, f"{what} is used only with accounts (an organisation profile); without accounts "
                                                "the profile describes one account: remove it, or list the accounts", "E249"))
    return problems


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    """Every check of the organisation keys; a profile without accounts only must not use them."""
    accounts = data.get("accounts")
    if accounts is None:
        return _single_account_problems(doc, data)
    if not accounts:
        return []  # the schema's error (at least one account) says it all
    org = data["organization"]
    problems = []
    if "id" not in org:
        problems.append(_problem(doc, ("organization", "id"), "required with accounts: the AWS Organizations id (o-...); the log "
                                                              "buckets accept deliveries from this organisation only", "E248"))
    regions_ok = isinstance(org.get("regions"), list) and org.get("home_region") in org["regions"]  # else E210 or a schema error
    problems += _role_problems(doc, accounts) + _unique_problems(doc, accounts)
    if regions_ok:
        problems += _region_problems(doc, org, accounts) + _coverage_warnings(doc, org, accounts)
    problems += _identity_problems(doc, data["iam"], accounts) + _rename_problems(doc, accounts, data.get("state"))
    patching = data.get("patching")
    patching_on = isinstance(patching, dict) and patching.get("enabled") is True
    return problems + _duty_warnings(doc, accounts, patching_on) + _programmatic_user_warnings(doc, data["iam"], (data.get("ci") or {}).get("github"))


def _programmatic_user_warnings(doc, iam, ci_github=None) -> list[Problem]:
    """W433: a programmatic user's permissions act in the identity account only, where workloads do not run."""
    problems = []
    if ci_github:
        return problems  # W439 says the user is unnecessary
    for i, user in enumerate(iam.get("users") or []):
        if isinstance(user, dict) and user.get("programmatic") and (user.get("statements") or user.get("managed_policy_arns")):
            problems.append(_problem(doc, ("iam", "users", i), f"programmatic user {user.get('name')!r} lives in the identity "
                                     f"account ({iam.get('identity_account')}), and its policies act there only, not in the "
                                     "accounts where the workloads run; a CI user is unnecessary: set ci.github and remove the user (the "
                                     "pipeline then deploys through the baseline's OIDC roles in every account, no access keys); another "
                                     "program: accept that it works in the identity account only", "W433", "warning"))
    return problems
