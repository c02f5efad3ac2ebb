"""Does a policy's Deny statement match a request? Just enough of IAM's evaluation for guardrails: actions and
NotAction with wildcards, the string, ARN, Bool and Null condition operators (with IfExists), multi-valued keys as
AWS compares them (any value matches for positive operators, none for negated ones). A request is an action and its
context keys; a missing key makes a negated operator match, a positive one not, and IfExists match.

Used to prove that no preset denies what the rendered baseline itself does (governance/needs.py)."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    what: str  # for messages: who does what
    action: str  # e.g. s3:PutObject
    context: dict = field(default_factory=dict)  # condition key (any case) -> value or list of values


def _like(pattern: str, value: str, case: bool = True) -> bool:
    if not case:
        pattern, value = pattern.lower(), value.lower()
    return fnmatch.fnmatchcase(value, pattern.replace("[", "[[]"))


def _values(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in items]


def action_matches(patterns, action: str) -> bool:
    return any(_like(p, action, case=False) for p in _values(patterns))


_TESTS = {
    "StringEquals": lambda p, v: p == v, "StringLike": lambda p, v: _like(p, v),
    "StringEqualsIgnoreCase": lambda p, v: p.lower() == v.lower(),
    "ArnEquals": lambda p, v: _like(p, v), "ArnLike": lambda p, v: _like(p, v),
    "Bool": lambda p, v: p.lower() == v.lower(),
}
_NEGATED = {"StringNotEquals": "StringEquals", "StringNotLike": "StringLike", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
            "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike"}


def _condition(operator: str, key: str, wanted, context: dict) -> bool:
    present = {k.lower(): v for k, v in context.items()}
    if operator == "Null":
        return (key.lower() not in present) == (_values(wanted)[0] == "true")
    if_exists = operator.endswith("IfExists")
    base = operator[:-len("IfExists")] if if_exists else operator
    if key.lower() not in present:
        return if_exists or base in _NEGATED
    got = _values(present[key.lower()])
    if base in _NEGATED:
        test = _TESTS[_NEGATED[base]]
        return not any(test(p, v) for p in _values(wanted) for v in got)
    if base not in _TESTS:
        raise ValueError(f"the evaluator does not know the operator {operator}")
    return any(_TESTS[base](p, v) for p in _values(wanted) for v in got)


def denies(policy: dict, request: Request) -> str | None:
    """The Sid of the first Deny statement of ``policy`` that matches ``request``, or None."""
    statements = policy.get("Statement", [])
    for i, st in enumerate(statements if isinstance(statements, list) else [statements]):
        if st.get("Effect") != "Deny":
            continue
        if "Action" in st and not action_matches(st["Action"], request.action):
            continue
        if "NotAction" in st and action_matches(st["NotAction"], request.action):
            continue
        if all(_condition(op, key, wanted, request.context)
               for op, keys in (st.get("Condition") or {}).items() for key, wanted in keys.items()):
            return st.get("Sid") or f"Statement[{i}]"
    return None
