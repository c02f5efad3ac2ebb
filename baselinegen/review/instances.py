"""The instance keys of a resource, where ``for_each``/``count`` can be evaluated without Terraform.

Only the shapes baselinegen writes are understood: literal maps and ``toset([...])``, ``var.regions`` (the
Regions the root passes to the module), locals holding literal maps or lists, ``keys()``, ``setsubtract()``,
``setproduct`` and ``merge([for ...]...)`` comprehensions keyed ``"<a>/<b>"``, another resource's instances,
literal counts and ``length(x) > 0 ? 1 : 0``. Anything else is unknown: the resource is then compared as a
whole. ``sources`` records what the keys were derived from (``var.regions``, ``local.<name>``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable

from ..validate.hclcheck import label

UNKNOWN = object()
_MAX_DEPTH = 24


@dataclass(frozen=True)
class Instances:
    """``kind``: ``single`` (no for_each/count), ``keys`` (``keys`` known) or ``unknown``."""

    kind: str
    keys: tuple = ()
    sources: frozenset = field(default_factory=frozenset)


def _outside_strings(text: str):
    """(index, character, bracket depth after it) for every character outside quoted strings."""
    depth, quoted, escaped = 0, False, False
    for i, ch in enumerate(text):
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
            continue
        if ch == '"':
            quoted = True
            continue
        depth += (ch in "([{") - (ch in ")]}")
        yield i, ch, depth
    if quoted:
        yield len(text), "", -1  # an unterminated string never balances


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split at ``sep`` outside brackets and quoted strings."""
    parts, start = [], 0
    for i, ch, depth in _outside_strings(text):
        if ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def expression(value) -> str | None:
    """The expression inside a parsed ``"${...}"`` value, or None for literals."""
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        return value[2:-1]
    return None


_STRING = re.compile(r'^"(?:[^"\\$]|\\.|\$(?!\{))*"$')
_CALL = re.compile(r"^([a-z]+)\((.*)\)$", re.S)
_BLOCK_REF = re.compile(r"^((?:data\.)?aws_\w+\.[\w-]+)$")
_PRODUCT = re.compile(r'^\{\s*for (\w+) in setproduct\((.+?)\)\s*:\s*"\$\{\1\[0\]\}/\$\{\1\[1\]\}"\s*=>', re.S)
_FOR_KEY = re.compile(r"^\{\s*for (\w+), (\w+) in ([\w.]+)\s*:\s*\1\s*=>", re.S)
_FOR_ITEM = re.compile(r"^\{\s*for (\w+) in ([\w.]+)\s*:\s*\1\s*=>", re.S)
_MERGE_FOR = re.compile(r'^merge\(\[\s*for (\w+) in ([\w.]+)\s*:\s*\{\s*for (\w+), (\w+) in ([\w.]+)\s*:\s*"\$\{\1\}/\$\{\3\}"\s*=>(.*)\}\s*\]\s*\.\.\.\s*\)$', re.S)
_HOME_ONLY = re.compile(r'^(\w+) == "([^"]+)" \|\| !(\w+)\.(\w+)$')
_POSITIVE_COUNT = re.compile(r"^length\((.+)\) > 0 \? 1 : 0$", re.S)


class KeyEvaluator:
    """Evaluates for_each/count expressions of one module instance."""

    def __init__(self, locals_: dict, regions: tuple[str, ...] | None, block_keys: Callable[[str], object]):
        self.locals = locals_
        self.regions = regions
        self.block_keys = block_keys  # "aws_x.y" / "data.aws_x.y" -> that block's Instances (or UNKNOWN)
        self.sources: set[str] = set()
        self.depth = 0

    def instances(self, body: dict) -> Instances:
        self.sources = set()
        if "for_each" in body:
            value = self.convert(body["for_each"])
        elif "count" in body:
            value = self.convert(body["count"])
            value = list(range(value)) if isinstance(value, int) and not isinstance(value, bool) else UNKNOWN
        else:
            return Instances("single")
        keys = self.keys_of(value)
        if keys is None:
            return Instances("unknown", (), frozenset(self.sources))
        return Instances("keys", tuple(keys), frozenset(self.sources))

    @staticmethod
    def keys_of(value):
        if isinstance(value, dict):
            return sorted(value)
        if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            return sorted(set(value), key=lambda v: (isinstance(v, str), v))
        return None

    def convert(self, raw):
        """A parsed value as Python: dicts keep raw values, lists and scalars are evaluated."""
        if isinstance(raw, dict):
            return {label(k): v for k, v in raw.items() if k != "__is_block__"}
        if isinstance(raw, list):
            items = [self.convert(v) for v in raw]
            return UNKNOWN if any(v is UNKNOWN for v in items) else items
        inner = expression(raw)
        if inner is not None:
            return self.evaluate(inner)
        if isinstance(raw, str):
            return json.loads(raw) if _STRING.match(raw) else UNKNOWN
        return raw

    def evaluate(self, text: str):
        self.depth += 1
        try:
            return UNKNOWN if self.depth > _MAX_DEPTH else self._evaluate(text.strip())
        finally:
            self.depth -= 1

    def _evaluate(self, text: str):
        if _STRING.match(text):
            return json.loads(text)
        if text.isdigit():
            return int(text)
        if text == "var.regions":
            self.sources.add("var.regions")
            return list(self.regions) if self.regions is not None else UNKNOWN
        if re.fullmatch(r"local\.\w+", text):
            name = text[len("local."):]
            self.sources.add(text)
            return self.convert(self.locals[name]) if name in self.locals else UNKNOWN
        if _BLOCK_REF.match(text):
            found = self.block_keys(text)
            if not isinstance(found, Instances) or found.kind != "keys":
                return UNKNOWN
            self.sources.update(found.sources)
            return list(found.keys)
        if text.startswith("[") and text.endswith("]"):
            items = [self.evaluate(p) for p in split_top_level(text[1:-1])]
            return UNKNOWN if any(v is UNKNOWN for v in items) else items
        if text.startswith("{"):
            return self._comprehension(text)
        merged = _MERGE_FOR.match(text)
        if merged:
            return self._merge_for(merged)
        positive = _POSITIVE_COUNT.match(text)
        if positive:
            inner = self.keys_of(self.evaluate(positive.group(1)))
            return UNKNOWN if inner is None else (1 if inner else 0)
        call = _CALL.match(text)
        if call and _balanced(call.group(2)):
            return self._call(call.group(1), split_top_level(call.group(2)))
        return UNKNOWN

    def _call(self, name: str, args: list[str]):
        values = [self.evaluate(a) for a in args]
        if any(v is UNKNOWN for v in values):
            return UNKNOWN
        if name in ("toset", "tolist", "sort") and len(values) == 1:
            return self.keys_of(values[0]) if isinstance(values[0], list) else UNKNOWN
        if name == "keys" and len(values) == 1 and isinstance(values[0], dict):
            return sorted(values[0])
        if name == "setsubtract" and len(values) == 2:
            first, second = self.keys_of(values[0]), self.keys_of(values[1])
            if first is None or second is None:
                return UNKNOWN
            return [v for v in first if v not in second]
        return UNKNOWN

    def _comprehension(self, text: str):
        product = _PRODUCT.match(text)
        if product:
            args = split_top_level(product.group(2))
            if len(args) != 2:
                return UNKNOWN
            first, second = (self.keys_of(self.evaluate(a)) for a in args)
            if first is None or second is None:
                return UNKNOWN
            return {f"{a}/{b}": None for a in first for b in second}
        by_key = _FOR_KEY.match(text) or _FOR_ITEM.match(text)
        if by_key:
            collection = self.evaluate(by_key.group(by_key.lastindex))
            keys = self.keys_of(collection)
            return UNKNOWN if keys is None else {str(k): None for k in keys}
        return UNKNOWN

    def _merge_for(self, match: re.Match):
        outer_var, outer_expr, _inner_key, inner_value, inner_expr, rest = match.groups()
        outer = self.keys_of(self.evaluate(outer_expr))
        inner = self.evaluate(inner_expr)
        if outer is None or not isinstance(inner, dict):
            return UNKNOWN
        condition = rest.rsplit(" if ", 1)[1].strip() if " if " in rest else None
        home_only = _HOME_ONLY.match(condition) if condition else None
        if condition and not (home_only and home_only.group(1) == outer_var and home_only.group(3) == inner_value):
            home_only = None  # an unknown filter: every pair (a superset)
        out = {}
        for a in outer:
            for name, raw in inner.items():
                if home_only and a != home_only.group(2):
                    attrs = raw if isinstance(raw, dict) else {}
                    if attrs.get(home_only.group(4)) is True:
                        continue
                out[f"{a}/{name}"] = None
        return out


def _balanced(text: str) -> bool:
    """Brackets balance in ``text`` (outside quoted strings) and never close more than they opened."""
    depth = 0
    for _, _, depth in _outside_strings(text):
        if depth < 0:
            return False
    return depth == 0
