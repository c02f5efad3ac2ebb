"""A profile document as plain data with where each value and key was written, built from composed YAML nodes
(yaml_compose: bounded, merge keys resolved). Only plain YAML values get through: a node with a tag the profile
does not know, a scalar its tag cannot read or a key that is not a name is a located problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Location, Problem
from .wording import shown, shown_key
from .yaml_compose import tag_problem

PathKey = tuple  # ("iam", "groups", 0, "name")


@dataclass
class LoadedDocument:
    """Plain Python data plus where each value (and each mapping key) was written."""

    data: Any
    file: str
    value_locations: dict[PathKey, Location] = field(default_factory=dict)
    key_locations: dict[PathKey, Location] = field(default_factory=dict)

    def locate(self, path: PathKey, *, prefer_key: bool = False) -> Location:
        """Where ``path`` was written; for a missing path, its nearest written ancestor."""
        path = tuple(path)
        while True:
            first, second = (self.key_locations, self.value_locations)
            if not prefer_key:
                first, second = second, first
            for table in (first, second):
                if path in table:
                    return table[path]
            if not path:
                return Location(self.file, 1, 1)
            path = path[:-1]


def mark_location(file: str, mark) -> Location:
    """A YAML mark (0-based) as a Location (1-based)."""
    return Location(file, mark.line + 1, mark.column + 1)


_KINDS = {bool: "a boolean", int: "a number", float: "a number", type(None): "null"}


class Builder:
    """Turns a composed YAML node tree (yaml_compose: bounded, merge keys resolved) into plain data, recording
    locations. Problems of a node reached through several aliases are reported once."""

    def __init__(self, file: str, loader):
        self.file = file
        self.loader = loader
        self.doc = LoadedDocument(data=None, file=file)
        self.problems: list[Problem] = []
        self.fatal = False  # a node that is not plain YAML: the document is not checked further
        self._reported: set = set()

    def _problem(self, node, path: PathKey, message: str, code: str, *, fatal: bool = False) -> None:
        self.fatal = self.fatal or fatal
        if (id(node), code) not in self._reported:
            self._reported.add((id(node), code))
            self.problems.append(Problem(mark_location(self.file, node.start_mark), _dotted(path), message, code))

    def build(self, node, path: PathKey) -> Any:
        self.doc.value_locations[path] = mark_location(self.file, node.start_mark)
        why = tag_problem(node)
        if why:  # reported; a list or mapping is still built for the problems inside it
            self._problem(node, path, why, "E105", fatal=True)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        value = self._scalar(node, path) if not why else _FAILED
        return None if value is _FAILED else value

    def _scalar(self, node, path: PathKey) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except Exception as exc:  # noqa: BLE001 - '!!int x', '2026-13-45', 5,000 digits: the constructor's own errors
            self._problem(node, path, _unreadable_scalar(node, exc), "E106", fatal=True)
            return _FAILED
        if isinstance(value, str) and _SURROGATE.search(value):
            self._problem(node, path, f"{shown(value)} holds an escape (\\uD800-\\uDFFF) that is not a character", "E106",
                          fatal=True)
        return value

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict:
        winners: dict = {}  # key -> (key node, value node, merged), in first-written order
        for key_node, value_node, merged in node.pairs:  # merged pairs first
            written = path + (_key_text(key_node),)
            why = tag_problem(key_node)
            if why:
                self._problem(key_node, written, why, "E105", fatal=True)
                continue
            key = self._scalar(key_node, written) if isinstance(key_node, yaml.ScalarNode) else _FAILED
            if key is _FAILED and isinstance(key_node, yaml.ScalarNode):
                continue
            if not isinstance(key, str):
                self._problem(key_node, written, _not_a_name(key_node, key), "E101")
                continue
            if key in winners and not winners[key][2]:
                first = mark_location(self.file, winners[key][0].start_mark)
                self._problem(key_node, path + (key,), f"duplicate key (first written at line {first.line}); write each key once",
                              "E102")
                continue
            if key not in winners or not merged:  # the mapping's own key overrides merged ones; the first merged wins
                winners[key] = (key_node, value_node, merged)
        result: dict = {}
        for key, (key_node, value_node, _) in winners.items():
            self.doc.key_locations[path + (key,)] = mark_location(self.file, key_node.start_mark)
            result[key] = self.build(value_node, path + (key,))
        return result


_FAILED = object()  # a scalar that cannot be read (its problem is reported)


def _key_text(node) -> str:
    """A key as written, for its key path: ``1``, ``true``, ``[a, b]``."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.value or node.style else "null"
    if isinstance(node, yaml.SequenceNode):
        return "[" + ", ".join(_key_text(item) for item in node.value[:5]) + (", ..." if len(node.value) > 5 else "") + "]"
    pairs = [f"{_key_text(k)}: {_key_text(v)}" for k, v in node.value[:5]]
    return "{" + ", ".join(pairs) + (", ..." if len(node.value) > 5 else "") + "}"


def _not_a_name(node, key) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "this key is a list; keys must be names such as 'iam'"
    if isinstance(node, yaml.MappingNode):
        return "this key is a mapping; keys must be names such as 'iam'"
    kind = _KINDS.get(type(key), "a date" if hasattr(key, "year") else "not text")
    return f"this key is {kind}, not a name; quote it if it is meant as text: '{shown_key(node.value)}'"


def _unreadable_scalar(node, exc: Exception) -> str:
    kind = node.tag.rsplit(":", 1)[-1]
    kind = {"int": "an integer", "float": "a number", "bool": "a boolean", "timestamp": "a date", "null": "null"}.get(kind, kind)
    return f"{shown(node.value)} cannot be read as {kind}; quote it if it is meant as text"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _dotted(path: PathKey) -> str:
    """``iam.groups[0].name``; a path deeper than any profile's shows its first and last keys."""
    if len(path) > 12:
        return f"{_dotted(path[:6])}...{_dotted(path[-3:])}"
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + shown_key(part)
    return out


dotted_path = _dotted
