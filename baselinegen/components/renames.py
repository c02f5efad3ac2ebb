"""``renamed_from``: the former names of profile items whose names are part of Terraform addresses.

A group, user, key, custom alarm or patch group renamed in the profile would get new resource addresses, and
Terraform would destroy the old resources and create new ones. Listing the former names (oldest first) makes
baselinegen render ``moved`` blocks into ``modules/<module>/migrations.tf`` instead (see
``baselinegen/migrations.py``). This module holds the schema piece and the checks every section shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..errors import Problem
from ..profile.loader import LoadedDocument, problem_at as _problem
from ..render.filters import tf_identifier

RENAMED_FROM = {
    "type": "list",
    "default": [],
    "schema": {"type": "string"},
    "meta": {"description": "Former names, oldest first: baselinegen renders moved blocks so that Terraform renames "
                            "the resources instead of destroying and recreating them.",
             "allowed": "valid names of the item's kind (E243) that no item of the kind has now (E241), each claimed once "
                        "(E242), with Terraform names unlike every current and former one (E244)"},
}


def _same(name: str) -> str:
    return name


def _nothing(name: str) -> str:
    return ""


@dataclass(frozen=True)
class NameKind:
    """What a name of one kind may be, and how it becomes part of a Terraform address."""

    noun: str  # "group", "user", "key", "custom alarm", "patch group"
    regex: str
    allowed: str
    case_insensitive: bool = False  # IAM names: "Admins" and "admins" are the same name
    identifier: Callable[[str], str] = _same  # the name as it appears in addresses
    reserved: tuple[str, ...] = ()  # names no item of this kind may have (they would collide with other resources)
    taken: Callable[[str], str] = _nothing  # what else uses a name in the same addresses ("" for nothing)
    word: str = "name"  # what the profile calls the name: "name", "id"
    article: str = "a"  # "an" for an account

    def key(self, name: str) -> str:
        return name.lower() if self.case_insensitive else name


@dataclass(frozen=True)
class Renamed:
    """One item's current name and its former names, with where they are written."""

    name: str
    old_names: list
    path: tuple  # path of the renamed_from list


def renamed_from_problems(doc: LoadedDocument, kind: NameKind, items: list[Renamed]) -> list[Problem]:
    """E241 former name still in use, E242 claimed twice, E243 not a valid name, E244 same Terraform name."""
    problems: list[Problem] = []
    current = {kind.key(item.name): item.name for item in items}
    current_ids = {kind.identifier(item.name): item.name for item in items}
    claimed: dict[str, tuple[str, str]] = {}  # former name key -> (the item claiming it, the former name as written)
    claimed_ids: dict[str, str] = {}  # Terraform name of a former name -> that former name
    for item in items:
        for j, old in enumerate(item.old_names):
            if not isinstance(old, str):
                continue  # the schema already reported it
            found = _old_name_problem(kind, item, old, current, claimed)
            if found is None:
                claimed[kind.key(old)] = (item.name, old)
                ident = kind.identifier(old)
                if ident in current_ids:
                    whose = "the current name" if current_ids[ident] == item.name else f"{kind.noun} {current_ids[ident]!r}"
                    found = ("E244", f"former {kind.word} {old!r} gives the Terraform name {ident!r}, the same as {whose}; moved blocks need "
                                     "different addresses (Terraform names are lowercase, with _ for other characters)")
                elif ident in claimed_ids:
                    found = ("E244", f"former {kind.word} {old!r} gives the Terraform name {ident!r}, the same as former {kind.word} "
                                     f"{claimed_ids[ident]!r}; moved blocks need different addresses")
                claimed_ids.setdefault(ident, old)
            if found:
                problems.append(_problem(doc, item.path + (j,), found[1], found[0]))
    return problems


def _old_name_problem(kind: NameKind, item: Renamed, old: str, current: dict, claimed: dict) -> tuple[str, str] | None:
    if not re.fullmatch(kind.regex, old):
        return "E243", f"former {kind.noun} {kind.word} {old!r} is not valid; allowed: {kind.allowed}"
    if old in kind.reserved:
        return "E243", f"former {kind.noun} {kind.word} {old!r} is reserved ({', '.join(kind.reserved)} cannot be used)"
    if old == item.name:
        return "E241", f"{old!r} is this {kind.noun}'s current {kind.word}; renamed_from lists only former {kind.word}s"
    if kind.taken(old):
        return "E241", f"{old!r} is {kind.taken(old)}; {kind.article} {kind.noun} can only be renamed from a former {kind.noun} {kind.word}"
    in_use = current.get(kind.key(old))
    if in_use is not None and in_use != item.name:
        return "E241", f"{old!r} is the {kind.word} of {kind.noun} {in_use!r}; {kind.article} {kind.noun} can only be renamed from a {kind.word} no {kind.noun} has now"
    if kind.key(old) in claimed:
        owner, first = claimed[kind.key(old)]
        same = "" if first == old else f" (as {first!r}; IAM names are case-insensitive)"
        if owner == item.name:
            return "E242", f"former {kind.word} {old!r} is listed twice{same}"
        return "E242", f"former {kind.word} {old!r} is already claimed by {kind.noun} {owner!r}{same}; each former {kind.word} belongs to one {kind.noun}"
    return None


def tf_name_kind(noun: str, regex: str, allowed: str, *, case_insensitive: bool = False, reserved: tuple[str, ...] = ()) -> NameKind:
    """A kind whose names become resource names through ``tf_identifier`` (IAM groups and users, KMS keys)."""
    return NameKind(noun, regex, allowed, case_insensitive, tf_identifier, reserved)
