"""The organisation's tree: ``organization.units`` (schema: profile/accounts_schema.py) and ``accounts[].unit``.

The management root creates each unit (or imports one that already exists, ``id``) and places every member account
(``aws_organizations_account``, imported by its id: the baseline moves accounts between units, never creates, closes
or removes one). Checks: E300 a unit named root (the attachment target of the whole organisation), E301 two sibling
units of one name, E302 an account's unit that is no unit path (did-you-mean), E303 a sixth level, E304 an OU id
listed twice, E305 units or a unit without accounts, E306 the management account in a unit."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ...errors import Problem
from ...profile.accounts_schema import UNIT_MAX_DEPTH
from ...profile.loader import LoadedDocument, problem_at as _problem
from ...profile.units import ROOT, account_unit, unit_paths
from ...profile.wording import names_in
from ..base import Import

UNIT_ADDRESS = "aws_organizations_organizational_unit.level_{level}"
ACCOUNT_ADDRESS = "aws_organizations_account.member"


@dataclass(frozen=True)
class Unit:
    path: str  # Workloads/Prod
    name: str
    level: int  # 1: directly under the root
    id: str | None = None  # an existing OU, imported

    @property
    def parent(self) -> str:
        return self.path.rpartition("/")[0] or ROOT


@dataclass(frozen=True)
class Placement:
    account: str  # the account's name
    id: str
    unit: str  # a unit path, or root


def _walk(units, prefix: str = "", level: int = 1, at: tuple = ("organization", "units")):
    """(path, unit dict, level, key path of the unit) of every well-formed unit, parents first, in profile order."""
    for i, unit in enumerate(units if isinstance(units, list) else ()):
        if isinstance(unit, dict) and isinstance(unit.get("name"), str):
            path, here = prefix + unit["name"], at + (i,)
            yield path, unit, level, here
            yield from _walk(unit.get("units") or [], path + "/", level + 1, here + ("units",))


def build_units(data: dict) -> tuple[Unit, ...]:
    return tuple(Unit(path, unit["name"], level, unit.get("id"))
                 for path, unit, level, _ in _walk(data["organization"].get("units") or []))


def build_placements(data: dict) -> tuple[Placement, ...]:
    """Every member account and where it goes, in profile order; nothing while the profile has no units (the
    accounts stay where they are, unmanaged)."""
    if not data["organization"].get("units"):
        return ()
    return tuple(Placement(a["name"], a["id"], account_unit(a) or ROOT)
                 for a in data.get("accounts") or () if a["role"] != "management")


def _tree_problems(doc: LoadedDocument, units) -> list[Problem]:
    problems, ids, seen = [], {}, set()
    for path, unit, level, where in _walk(units):
        if unit["name"] == ROOT and level == 1:
            problems.append(_problem(doc, where + ("name",), f"{ROOT!r} names the organisation root in governance.policies[].attach "
                                                            "and iam.groups[].reach; name the unit otherwise", "E300"))
        if path in seen:
            problems.append(_problem(doc, where + ("name",), f"unit {path!r} is listed twice under the same parent; one name "
                                                            "per unit among its siblings", "E301"))
        seen.add(path)
        if level == UNIT_MAX_DEPTH and unit.get("units"):
            problems.append(_problem(doc, where + ("units",), f"unit {path!r} is at level {UNIT_MAX_DEPTH}: AWS Organizations nests "
                                                             f"units at most {UNIT_MAX_DEPTH} levels below the root", "E303"))
        if isinstance(unit.get("id"), str):
            if unit["id"] in ids:
                problems.append(_problem(doc, where + ("id",), f"OU {unit['id']} is already unit {ids[unit['id']]!r}; one OU is one unit", "E304"))
            ids.setdefault(unit["id"], path)
    return problems


def _placement_problems(doc: LoadedDocument, data: dict, paths: list[str]) -> list[Problem]:
    problems = []
    for i, account in enumerate(data["accounts"]):
        unit = account.get("unit") if isinstance(account, dict) else None
        if not isinstance(unit, str):
            continue
        where = ("accounts", i, "unit")
        if account.get("role") == "management":
            problems.append(_problem(doc, where, "the management account stays at the organisation root: no service control policy "
                                                 "ever applies to it, and a unit would suggest otherwise; remove unit", "E306"))
        elif unit not in paths:
            close = difflib.get_close_matches(unit, paths, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            paths = list(dict.fromkeys(paths))
            listed = names_in(paths, "organization.units") if paths else "none (organization.units is empty)"
            problems.append(_problem(doc, where, f"no unit has the path {unit!r}{hint}; units: {listed}", "E302"))
    return problems


def unit_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    units = data["organization"].get("units")
    placed = [i for i, a in enumerate(data.get("accounts") or ()) if isinstance(a, dict) and "unit" in a]
    if data.get("accounts") is None:
        return [_problem(doc, ("organization", "units"), "organisational units exist only in an organisation profile (with "
                                                         "accounts); remove them, or list the accounts", "E305")] if units is not None else []
    problems = _tree_problems(doc, units or [])
    if placed and not units:
        return problems + [_problem(doc, ("accounts", placed[0], "unit"), "the profile has no organization.units to place "
                                                                         "accounts in; list the units first", "E305")]
    return problems + _placement_problems(doc, data, unit_paths(units or []))


def unit_imports(units: tuple[Unit, ...], placements: tuple[Placement, ...]) -> tuple[Import, ...]:
    """Import blocks (addressed in the module): the existing OUs, and every placed account (by id: it exists)."""
    out = [Import(f'{UNIT_ADDRESS.format(level=u.level)}["{u.path}"]', u.id,
                  f"organization.units: the OU {u.path} already exists; Terraform adopts it") for u in units if u.id]
    out += [Import(f'{ACCOUNT_ADDRESS}["{p.account}"]', p.id,
                   f"account {p.account} exists: Terraform manages only where it is placed (never closes or removes it)")
            for p in placements]
    return tuple(out)


def levels(units: tuple[Unit, ...]) -> list[list[Unit]]:
    """The units by level, each level sorted by path (the for_each maps of the template)."""
    depth = max((u.level for u in units), default=0)
    return [sorted((u for u in units if u.level == level), key=lambda u: u.path) for level in range(1, depth + 1)]


def tree_invariant_problems(parsed, directory: str, units: tuple[Unit, ...], placements: tuple[Placement, ...]) -> list[str]:
    """The rendered units are the profile's, level by level, each under its parent; every member account is placed
    where the profile says, and can be neither closed nor removed by a plan."""
    from ...validate.hclcheck import resource_bodies, unquote

    found = resource_bodies(parsed, directory, "resource", "aws_organizations_organizational_unit")
    problems = []
    for level, want in enumerate(levels(units), start=1):
        body = found.pop(f"level_{level}", {})
        got = {unquote(k): (unquote(v) if level == 1 else (unquote(v.get("name")), unquote(v.get("parent"))))
               for k, v in (body.get("for_each") or {}).items()}
        expect = {u.path: (u.name if level == 1 else (u.name, u.parent)) for u in want}
        if got != expect:
            problems.append(f"{directory}: the units of level {level} are {got}, the profile says {expect}")
    problems += [f"{directory}: aws_organizations_organizational_unit.{name} is not a level of organization.units" for name in sorted(found)]
    member = resource_bodies(parsed, directory, "resource", "aws_organizations_account").get("member")
    got = {unquote(k): (unquote(v.get("id")), unquote(v.get("unit"))) for k, v in ((member or {}).get("for_each") or {}).items()}
    if got != {p.account: (p.id, p.unit) for p in placements}:
        problems.append(f"{directory}: the accounts placed are {got}, the profile says {[(p.account, p.id, p.unit) for p in placements]}")
    if member is not None:
        lifecycle = (member.get("lifecycle") or [{}])[0]
        if member.get("close_on_deletion") is not False or lifecycle.get("prevent_destroy") is not True:
            problems.append(f"{directory}: a placed account could be closed or removed from the organisation "
                            "(close_on_deletion false and prevent_destroy true are required)")
    return problems
