"""Account roots that are alike in both trees, reviewed once.

An organisation's workload roots differ only by the account's name and ids (validate/shapes.py) and call the same
modules, so a change to those modules reaches each the same way. Roots that the change did not touch themselves (their
own files are the same in both trees), whose files are the same shapes (or the same texts) and that call the same
modules form a group; the review indexes the first of each group (its representative) and says for every other what
it says for the representative, with the member's name and ids in place of its own (``Alike.expand_*``). What the
review says about such a root depends only on it and the modules it calls, and its lines are ordered by rule and then
by root (review/security.py), so this is the review of every root, faster. A root that changed itself is never
grouped: lines about a reach, an enrolment or Control Tower mode weigh it against other roots.

A line that does not fit this (one about the representative and another root at once, a replaced resource whose line
names its account) raises ``Unlike``: the caller reviews every root.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from ..validate.readings import Reading
from .model import Change, Replacement


class Unlike(Exception):
    """The review cannot be said root by root from the representatives: review every root instead."""


@dataclass
class Alike:
    members: dict[str, list[tuple[str, dict[str, str]]]] = field(default_factory=dict)  # representative root -> (root, values)

    @property
    def skipped(self) -> set[str]:
        """The roots the review does not index: every member that is not a representative."""
        return {root for found in self.members.values() for root, _ in found}

    def expand_changes(self, changes: list[tuple[Change, int]]) -> list[tuple[Change, int]]:
        """Each summary line (with the number of the rule that found it) about a representative's root said for
        each member too, with the member's values; summarize orders them by rule and root and merges lines of the
        same text, as it does when every root was indexed. A line about a representative and another root: Unlike."""
        out = []
        for change, rule in changes:
            roots = set(map(_root, change.addresses))
            if not roots & set(self.members):
                out.append((change, rule))
                continue
            if len(roots) > 1:
                raise Unlike(change.text)
            out.append((change, rule))
            out += [(Change(change.area, change.action, _substituted(change.text, values),
                            tuple(_substituted(a, values) for a in change.addresses)), rule)
                    for _, values in self.members[roots.pop()]]
        return out

    def expand_addresses(self, addresses) -> tuple[str, ...]:
        """Addresses (destroyed ones), with the members' beside each representative's; sorted."""
        return tuple(sorted(set(addresses) | {_substituted(a, values) for a in addresses if _root(a) in self.members
                                              for _, values in self.members[_root(a)]}))

    def expand_moves(self, moves) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(set(moves) | {(_substituted(a, values), _substituted(b, values)) for a, b in moves
                                          if _root(a) in self.members for _, values in self.members[_root(a)]}))

    def expand_replaced(self, replaced) -> tuple[Replacement, ...]:
        found = {(r.address, r.argument): r for r in replaced}
        for r in replaced:
            for _, values in self.members.get(_root(r.address), ()):
                copy = Replacement(_substituted(r.address, values), r.argument, _substituted(r.old, values), _substituted(r.new, values))
                found[(copy.address, copy.argument)] = copy
        return tuple(found[k] for k in sorted(found))

    def expand_lines(self, changes) -> tuple[Change, ...]:
        """Lines that list what they concern in address order (replaced resources), the members' addresses added; a
        line whose text names its account would be a line per member: Unlike."""
        out = []
        for change in changes:
            reps = {_root(a) for a in change.addresses} & set(self.members)
            if any(_substituted(change.text, values) != change.text for r in reps for _, values in self.members[r]):
                raise Unlike(change.text)
            more = [_substituted(a, values) for a in change.addresses if _root(a) in reps for _, values in self.members[_root(a)]]
            out.append(Change(change.area, change.action, change.text, tuple(sorted(set(change.addresses) | set(more)))
                              if more else change.addresses))
        return tuple(out)


def alike_roots(old: dict[str, str], new: dict[str, str], old_layout, new_layout, reached: tuple[dict, dict],
                candidates: set[str]) -> Alike:
    """The groups of alike account roots among ``candidates`` (root folders in both trees); ``reached``: each
    tree's roots -> the folders their module calls reach (tree.configuration_roots)."""
    groups: dict[tuple, list[tuple[str, tuple]]] = {}
    for root in sorted(candidates):
        if not root.startswith("accounts/") or reached[0].get(root) != reached[1].get(root):
            continue
        found = _signature(root, old, new, old_layout, new_layout, reached[0][root] - {root})
        if found is not None:
            signature, values = found
            groups.setdefault(signature, []).append((root, values))
    alike = Alike()
    for (_, folders), found in groups.items():
        (rep, rep_values), rest = found[0], found[1:]
        members = [(root, mapping) for root, values in rest if (mapping := _mapping(rep_values, values)) is not None]
        own = {value for _, mapping in members for value in mapping}  # what is the representative's own
        modules = _module_texts(old, new, set(folders))
        if members and not any(value in text for value in own for text in modules):  # only its own files hold them
            alike.members[rep] = members
    return alike


def _module_texts(old: dict[str, str], new: dict[str, str], folders: set[str]) -> list[str]:
    return [text for files in (old, new) for path, text in files.items()
            if path.endswith(".tf") and posixpath.dirname(path) in folders]


def _signature(root: str, old: dict[str, str], new: dict[str, str], old_layout, new_layout, folders: set[str]):
    """(what the root is made of, but for its values; its values in order), or None when it cannot be grouped."""
    own = sorted(p for p, _ in old_layout.by_dir.get(root, []))
    if own != sorted(p for p, _ in new_layout.by_dir.get(root, [])) or any(old[p] != new[p] for p in own):
        return None  # the root itself changed: lines may weigh it against other roots (a reach, Control Tower mode)
    parts, values = [], []
    for path in own:
        reading = Reading.of(path, new[path])
        if len(reading.pieces) != 1:
            return None  # a large root file (the management root's imports): that root is one of a kind
        parts.append((posixpath.basename(path), reading.pieces[0][0]))
        values.append(reading.values or ())
    return (tuple(parts), tuple(sorted(folders))), tuple(values)


def _mapping(rep: tuple, member: tuple) -> dict[str, str] | None:
    """Representative value -> member value over every file; None unless it is one to one."""
    mapping: dict[str, str] = {}
    for rep_values, member_values in zip(rep, member):
        for (stand_in, value), (other_stand_in, other) in zip(rep_values, member_values):
            if stand_in != other_stand_in or mapping.setdefault(value, other) != other:
                return None
    if len(set(mapping.values())) != len(mapping):
        return None
    return {value: other for value, other in mapping.items() if value != other}


def _root(address: str) -> str:
    """``accounts/x:module...`` -> ``accounts/x``; "" outside the account roots."""
    head, colon, _ = address.partition(":")
    return head if colon else ""


def _substituted(text: str, values: dict[str, str]) -> str:
    """``text`` with each of the representative's values as the member's. Every place its files hold them (which
    shapes.py checked are whole names and ids) is one, and nothing else in a line about it holds them (the modules
    it calls do not: alike_roots)."""
    if not values or not any(value in text for value in values):
        return text
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    return pattern.sub(lambda m: values[m.group()], text)
