"""Parsed Terraform values in plain words, and field-by-field comparison of two blocks."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..validate.hclcheck import label, unquote
from .direction import set_verdict, verdict

MISSING = object()
_LONG = 60
_TOKENS = ((re.compile(r"\$\{local\.account_id\}|\$\{data\.aws_caller_identity\.current\.account_id\}"), "<account>"),
           (re.compile(r"\$\{local\.partition\}|\$\{data\.aws_partition\.current\.partition\}"), "<partition>"),
           (re.compile(r"\$\{each\.value\.(\w+)\}"), r"<\1>"),
           (re.compile(r"\$\{each\.(?:key|value)\}"), "<key>"))
IDENTITY_KEYS = ("sid", "name", "id", "field", "key")


def plain(value) -> str:
    """A value as a reviewer reads it: strings unquoted, expressions bare, account id as ``<account>``."""
    if value is MISSING or value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}") and value.count("${") == 1:
            return value[2:-1]
        text = unquote(value) if value.startswith('"') else value
        for pattern, replacement in _TOKENS:
            text = pattern.sub(replacement, text)
        return text.replace("$${", "${")
    if isinstance(value, list):
        return "[" + ", ".join(plain(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{label(k)} = {plain(v)}" for k, v in value.items() if k != "__is_block__") + "}"
    return str(value)


def scalars(value) -> list[str] | None:
    """A list of literals as plain strings (None if ``value`` is not such a list)."""
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return [plain(v) for v in value]
    return None


def is_block_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and v.get("__is_block__") for v in value)


def identity(block: dict) -> str | None:
    for key in IDENTITY_KEYS:
        if key in block and not isinstance(block[key], (dict, list)):
            return plain(block[key])
    return None


def flatten(value, prefix: str = "") -> dict[str, object]:
    """Dotted paths to leaf values; nested blocks are named by their sid/name/id (``rule[expire].days``)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k != "__is_block__":
                out.update(flatten(v, f"{prefix}.{label(k)}" if prefix else label(k)))
        return out if out or not prefix else {prefix: {}}
    if is_block_list(value):
        out = {}
        for i, block in enumerate(value):
            name = identity(block)
            path = prefix if len(value) == 1 and name is None else f"{prefix}[{name if name is not None else i}]"
            out.update(flatten(block, path))
        return out
    return {prefix: value}


def changed_paths(old: dict, new: dict, ignore=("for_each", "count")) -> list[tuple[str, object, object]]:
    """(path, old value, new value) of every leaf that differs (MISSING where absent)."""
    a = {k: v for k, v in flatten(old).items() if k.split(".")[0].split("[")[0] not in ignore}
    b = {k: v for k, v in flatten(new).items() if k.split(".")[0].split("[")[0] not in ignore}
    return [(p, a.get(p, MISSING), b.get(p, MISSING)) for p in sorted(set(a) | set(b)) if a.get(p, MISSING) != b.get(p, MISSING)]


def generic_path(path: str) -> str:
    """``rule[expire].days`` -> ``rule.days``: the path a Field is declared under."""
    return re.sub(r"\[[^\]]*\]", "", path)


@dataclass(frozen=True)
class Field:
    """How one attribute's change reads. ``kind``: ``value`` (a → b), ``switch`` (turned on/off) or ``set``
    (+a, -b). ``rule``: the row of review/direction.RULES that says which side is safer (the line then ends
    "(weaker)" or "(stronger)"); ``stronger`` (``higher``/``lower``) is the older spelling for numbers."""

    label: str
    kind: str = "value"
    stronger: str | None = None
    unit: str = ""
    on: str = "turned on"
    off: str = "turned off"
    rule: str | None = None


def describe(field: Field, old, new) -> str:
    a, b = (None if v is MISSING else v for v in (old, new))
    if field.kind == "switch":
        state = new if new is not MISSING else False
        return f"{field.label} {field.on if _on(state) else field.off}".strip() + verdict(field.rule, _on(a), _on(state))
    if field.kind == "set":
        before, after = scalars(old) or [], scalars(new) or []
        words = set_verdict(field.rule, set(after) - set(before), set(before) - set(after)) if field.rule else ""
        return f"{field.label} {plus_minus(before, after)}".strip() + words
    before, after = plain(old), plain(new)
    words = verdict(field.rule, a, b)
    if len(before) > _LONG or len(after) > _LONG:
        return f"{field.label} changed{words}"
    unit = field.unit
    text = f"{field.label} {before}{unit if old not in (MISSING, None) else ''} → {after}{unit if new not in (MISSING, None) else ''}"
    if words:
        return text + words
    if field.stronger and _number(old) and _number(new) and old != new:
        stronger = (new > old) == (field.stronger == "higher")
        text += " (stronger)" if stronger else " (weaker)"
    return text


def _on(value) -> bool:
    return value is True or (value is not MISSING and plain(value).lower() in ("true", "enabled"))


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def plus_minus(old: list[str], new: list[str], limit: int = 16) -> str:
    """``+a, +b, -c`` for the items new adds and removes (the first ``limit``, then a count)."""
    items = [f"+{v}" for v in sorted(set(new) - set(old))] + [f"-{v}" for v in sorted(set(old) - set(new))]
    if not items:
        return "reordered"
    shown = ", ".join(items[:limit])
    return shown + (f", … {len(items) - limit} more" if len(items) > limit else "")


def describe_changes(old: dict, new: dict, fields: dict[str, Field], ignore=("for_each", "count")) -> list[str]:
    """One phrase per declared field that changed, then one ``changed: ...`` phrase for everything else.
    A field declared as ``name.*`` describes every path under ``name`` (its label formats the rest)."""
    if old == new:
        return []  # most blocks of a large tree: nothing to walk
    phrases, other, done = [], [], set()
    for path, before, after in changed_paths(old, new, ignore):
        key = generic_path(path)
        top, _, rest = key.partition(".")
        wildcard = fields.get(f"{top}.*") if rest else None
        if wildcard is not None:
            rule = wildcard.rule.format(rest) if wildcard.rule else None
            phrases.append(describe(dataclasses.replace(wildcard, label=wildcard.label.format(rest), rule=rule), before, after))
            continue
        field = fields.get(key) or fields.get(top)
        if field is not None and field.kind == "switch" and _on(before) == _on(after):
            continue  # absent and false read the same: off
        if field is not None:
            name = key if key in fields else top
            if name in done:
                continue
            if name == top and name != key:  # a field declared on a whole nested block or list
                before, after = _top(old, top), _top(new, top)
            done.add(name)
            phrases.append(describe(field, before, after))
        else:
            other.append(_path_change(path, before, after))
    if other:
        phrases.append("changed: " + "; ".join(other))
    return phrases


def _top(body: dict, name: str):
    return body.get(name, MISSING)


def _path_change(path: str, before, after) -> str:
    a, b = plain(before), plain(after)
    if before is MISSING:
        return f"{path} set to {b}" if len(b) <= _LONG else f"{path} added"
    if after is MISSING:
        return f"{path} removed"
    if len(a) > _LONG or len(b) > _LONG:
        return f"{path} changed"
    return f"{path} {a} → {b}"
