"""The rows of the profile reference: every key of the Cerberus schema with its type, default, allowed values and
description, read from the rules and their ``meta`` (``description``, ``allowed``, ``default``, ``example``).

Paths are dotted; a list's items are written ``[]`` (``iam.groups[].name``). A map (a mapping whose keys the user
names, such as ``organization.tags``) is one row: its keys and values are described in its allowed cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

import yaml

from .regions import AWS_REGIONS

ITEM = "[]"  # the path part of a list's items

_TYPE_NAMES = {"string": ("string", "strings"), "integer": ("integer", "integers"), "boolean": ("boolean", "booleans"),
               "number": ("number", "numbers"), "dict": ("mapping", "mappings"), "date": ("date", "dates")}


@dataclass(frozen=True)
class KeyRow:
    """One key of the profile, as the reference shows it."""

    path: tuple  # ("iam", "groups", "[]", "name")
    rules: dict = field(repr=False)
    preset_values: dict = field(default_factory=dict, repr=False)  # preset name -> the value it sets here

    @property
    def dotted(self) -> str:
        return ".".join(self.path).replace("." + ITEM, ITEM)

    @property
    def section(self) -> str:
        return self.path[0]

    @property
    def meta(self) -> dict:
        return self.rules.get("meta", {})

    @property
    def type_text(self) -> str:
        return type_text(self.rules)

    @property
    def default_text(self) -> str:
        """``required``, the schema default, the ``meta`` default (a sentence), or ``—`` (unset unless written)."""
        if self.rules.get("required"):
            text = "required"
        elif "default" in self.meta:
            text = self.meta["default"]
        elif "default" in self.rules:
            text = f"`{flow(self.rules['default'])}`"
        else:
            text = "—"
        if self.preset_values:
            by_value: dict[str, list[str]] = {}
            for preset, value in self.preset_values.items():
                by_value.setdefault(flow(value), []).append(preset)
            presets = "; ".join(f"{', '.join(names)} preset{'s' if len(names) > 1 else ''}: `{value}`"
                                for value, names in by_value.items())
            text += f" ({presets})"
        return text

    @property
    def allowed_text(self) -> str:
        return allowed_text(self.rules)

    @property
    def description(self) -> str:
        return self.meta.get("description", "")

    @property
    def example(self) -> Any:
        """The key's own example value (``meta`` ``example``), or None."""
        return self.meta.get("example")


def flow(value: Any) -> str:
    """A value as one line of YAML flow style, as a profile would write it."""
    text = yaml.safe_dump(value, default_flow_style=True, width=float("inf"), allow_unicode=True, sort_keys=False)
    return text.removesuffix("\n...\n").rstrip("\n")


def type_text(rules: dict, plural: bool = False) -> str:
    kind = rules.get("type")
    if kind == "list":
        item = rules.get("schema")
        text = "lists" if plural else "list"
        if item:
            text += " of " + type_text(item, plural=True)
    elif kind == "dict" and "schema" not in rules:
        text = ("maps" if plural else "map") + " of " + type_text(rules.get("keysrules", {"type": "string"}), plural=True)
        text += " to " + (type_text(rules["valuesrules"], plural=True) if "valuesrules" in rules else "values")
    else:
        text = _TYPE_NAMES[kind][1 if plural else 0]
    return text + (" or null" if rules.get("nullable") else "")


def _number_range(rules: dict) -> str:
    low, high = rules.get("min"), rules.get("max")
    if low is not None and high is not None:
        return f"{low}–{high}"
    if low is not None:
        return f"at least {low}"
    return f"at most {high}" if high is not None else ""


def _length(rules: dict) -> str:
    unit = "item" if rules.get("type") == "list" else "character"
    low, high = rules.get("minlength"), rules.get("maxlength")
    if low is not None and high is not None:
        return f"{low}–{high} {unit}s"
    if low is not None:
        return f"at least {low} {unit}{'s' if low != 1 else ''}"
    return f"at most {high} {unit}s" if high is not None else ""


def _values(allowed: list) -> str:
    if list(allowed) == list(AWS_REGIONS):
        return "an AWS Region (see [AWS Regions](#aws-regions))"
    return ", ".join(f"`{flow(v)}`" for v in allowed)


def allowed_text(rules: dict) -> str:
    """What a value may be: the ``meta`` allowed text, or the allowed values, range and lengths of the rules."""
    if "allowed" in rules.get("meta", {}):
        return rules["meta"]["allowed"]
    parts = []
    if "allowed" in rules:
        parts.append(_values(rules["allowed"]))
    elif "regex" in rules:
        parts.append(f"matches `{rules['regex']}`")
    parts += [p for p in (_number_range(rules), _length(rules)) if p]
    kind = rules.get("type")
    if kind == "list" and rules.get("schema", {}).get("type") not in (None, "dict"):
        each = allowed_text(rules["schema"])
        if each:
            parts.append(f"each: {each}")
    if kind == "dict" and "schema" not in rules:
        for word, key in (("keys", "keysrules"), ("values", "valuesrules")):
            text = allowed_text(rules.get(key, {}))
            if text:
                parts.append(f"{word}: {text}")
    return "; ".join(parts)


def _walk(rules: dict, path: tuple) -> Iterator[tuple[tuple, dict]]:
    yield path, rules
    kind = rules.get("type")
    if kind == "dict" and "schema" in rules:
        for key, sub in rules["schema"].items():
            yield from _walk(sub, path + (key,))
    elif kind == "list" and rules.get("schema", {}).get("type") == "dict" and "schema" in rules["schema"]:
        for key, sub in rules["schema"]["schema"].items():
            yield from _walk(sub, path + (ITEM, key))


def _leaves(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every value a preset sets, by schema path (mappings only: presets hold no lists of items)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, path + (key,))
    else:
        yield path, data


def key_rows(schema: dict, presets: dict[str, dict]) -> list[KeyRow]:
    """Every key of ``schema`` in schema order; ``presets`` maps each preset name to its data."""
    set_by: dict[tuple, dict] = {}
    for name, data in presets.items():
        for path, value in _leaves(data):
            set_by.setdefault(path, {})[name] = value
    return [KeyRow(path, rules, set_by.get(path, {}))
            for key, section in schema.items() for path, rules in _walk(section, (key,))]
