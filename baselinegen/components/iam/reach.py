"""Where people may go: ``iam.groups[].reach``, the accounts in which a job function has its role.

A reach lists targets (``profile/units.py``): ``root`` (every account), a unit path of ``organization.units`` (the
accounts in that unit and below it) or an account name. Without ``reach`` a group reaches every account, as before.
The role ``<org>-<Group>`` exists only in the accounts its group reaches (``job_roles``, by the module input
``reached_job_functions``), and the group's assume-role policy in the identity account names those roles only.

Checks (FILE:LINE:COL): an unknown target (E320, with did-you-mean), ``reach`` in a profile without accounts (E321),
a target listed twice (E322), a reach that covers no account (E323); an account no administrator group reaches
(W460: nobody could repair it with the administrator role).
"""

from __future__ import annotations

import difflib

from ...errors import Problem
from ...profile.loader import LoadedDocument, problem_at
from ...profile.model import Account, Group, Profile
from ...profile.units import ROOT, accounts_reached, unit_paths
from ...profile.wording import names_in

REACH_INPUT = "reached_job_functions"  # the job_roles module's input: limited job functions whose role an account has


def reach_targets(data: dict) -> list[str]:
    """Every target a reach may name: root, the unit paths, the account names (in that order)."""
    units = (data.get("organization") or {}).get("units") or []
    accounts = [a["name"] for a in data.get("accounts") or () if isinstance(a, dict) and isinstance(a.get("name"), str)]
    return [ROOT] + unit_paths(units) + accounts


def _target_problem(doc: LoadedDocument, path: tuple, target: str, known: list[str]) -> Problem:
    close = difflib.get_close_matches(target, known, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return problem_at(doc, path, f"reach target {target!r} is neither root, a unit path of organization.units nor an "
                                 f"account name{hint}; known: {names_in(known, 'organization.units and accounts')}", "E320")


def reach_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    groups = data["iam"]["groups"]
    known = reach_targets(data)
    problems: list[Problem] = []
    for i, group in enumerate(groups):
        reach = group.get("reach")
        if reach is None:
            continue
        path = ("iam", "groups", i, "reach")
        if not data.get("accounts"):
            problems.append(problem_at(doc, path, "reach needs accounts: in a single-account profile every group works in "
                                                  "the one account; remove reach", "E321"))
            continue
        found = len(problems)
        seen: set[str] = set()
        for j, target in enumerate(reach):
            if target not in known:
                problems.append(_target_problem(doc, path + (j,), target, known))
            elif target in seen:
                problems.append(problem_at(doc, path + (j,), f"reach target {target!r} is listed twice", "E322"))
            seen.add(target)
        if len(problems) == found and not accounts_reached(data, reach):
            problems.append(problem_at(doc, path, f"group {group['name']!r} reaches no account: "
                                                  f"{', '.join(reach)} holds no account yet; place an account there or "
                                                  "name accounts", "E323"))
    return problems + _unrepairable(data, doc)


def _unrepairable(data: dict, doc: LoadedDocument) -> list[Problem]:
    """W460: an account no administrator group reaches (only when some administrator group has a reach)."""
    admins = [(i, g) for i, g in enumerate(data["iam"]["groups"]) if g["duty"] == "administrator"]
    if not data.get("accounts") or not admins or all(g.get("reach") is None for _, g in admins):
        return []
    reached = {name for _, g in admins for name in (accounts_reached(data, g["reach"]) if g.get("reach") is not None
                                                    else accounts_reached(data, [ROOT]))}
    missing = [a["name"] for a in data["accounts"] if a["name"] not in reached]
    if not missing:
        return []
    first = next(i for i, g in admins if g.get("reach") is not None)
    return [problem_at(doc, ("iam", "groups", first, "reach"),
                       f"no administrator group reaches {', '.join(missing)}: nobody can repair "
                       f"{'that account' if len(missing) == 1 else 'those accounts'} through a job function role",
                       "W460", "warning")]


def reached(profile: Profile, group: Group) -> tuple[Account, ...]:
    """The accounts whose job_roles hold the group's role, in profile order."""
    if group.reach is None:
        return profile.organization.accounts
    return tuple(a for a in profile.organization.accounts if group.reaches(a.name))


def limited(profile: Profile) -> tuple[Group, ...]:
    """The groups with a reach: their role is counted in and out per account."""
    return tuple(g for g in profile.iam.groups if g.reach is not None)


def account_input(profile: Profile, account: Account) -> tuple[str, str]:
    """``reached_job_functions = [...]``: the limited job functions whose role this account holds."""
    names = [g.name for g in limited(profile) if g.reaches(account.name)]
    return (REACH_INPUT, "[" + ", ".join(f'"{name}"' for name in names) + "]")
