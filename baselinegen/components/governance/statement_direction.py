"""Which way a changed SCP or RCP document moved, statement by statement (issue 21): a Deny or Allow statement added
or removed, its effect flipped, its actions, resources or condition values widened or narrowed, a condition added or
removed. Statements are matched by Sid (by position without one). Documents are JSON-shaped (Statement, Effect,
Action, ...): governance.policies' own, or a root guardrail's aws_iam_policy_document read back (invariants.policy_json).

The words come from the rules of review/direction.py (``scp.*``): a Deny that covers more is stronger, an Allow that
covers more is weaker; a condition narrows what its statement covers; a negated operator's values (StringNotEquals,
ArnNotLike, ...) are exemptions, a positive operator's values are what it matches. A Region restriction's
aws:RequestedRegion is left to the Region lines ("eu-west-2 now allowed")."""

from __future__ import annotations

import importlib

from ...policy_presets.evaluate import action_matches



def _rules():
    """review/direction.py, read at call time: the review package imports this module while it loads."""
    return importlib.import_module("baselinegen.review.direction")

REGION_KEY = "aws:requestedregion"
NEGATED = ("StringNot", "ArnNot", "NotIpAddress")
SCOPES = (("Action", "actions"), ("NotAction", "actions not covered"), ("Resource", "resources"),
          ("NotResource", "resources not covered"))


def _list(value) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else [value] if value is not None else [])]


def by_sid(doc) -> dict[str, dict]:
    statements = (doc or {}).get("Statement") or []
    statements = statements if isinstance(statements, list) else [statements]
    return {(st.get("Sid") or f"#{i + 1}"): st for i, st in enumerate(statements) if isinstance(st, dict)}


def _covers(patterns: list[str], values: list[str]) -> bool:
    """Every value (itself maybe a pattern) is matched by one of ``patterns``."""
    return all(action_matches(patterns, v) for v in values)


def _scope_words(effect: str, key: str, old: list[str], new: list[str]) -> str:
    """`` (stronger)``/`` (weaker)``/"" for a statement's Action/Resource (or Not...) going from ``old`` to ``new``."""
    wider, narrower = _covers(new, old), _covers(old, new)
    if wider == narrower:
        return ""
    covers_more = wider if not key.startswith("Not") else narrower  # NotAction widened: the statement covers less
    rule = "scp.deny_scope" if effect == "Deny" else "scp.allow_scope"
    return _rules().set_verdict(rule, ("more",) if covers_more else (), () if covers_more else ("fewer",))


def _plus_minus(old: list[str], new: list[str]) -> str:
    return ", ".join([f"+{v}" for v in new if v not in old] + [f"-{v}" for v in old if v not in new])


def _conditions(st: dict) -> dict[tuple[str, str], list[str]]:
    out = {}
    for operator, keys in (st.get("Condition") or {}).items():
        for key, values in (keys or {}).items() if isinstance(keys, dict) else ():
            out[(operator, key)] = _list(values)
    return out


def _condition_lines(sid: str, effect: str, a: dict, b: dict) -> list[str]:
    old, new = _conditions(a), _conditions(b)
    rule = "scp.deny_condition" if effect == "Deny" else "scp.allow_condition"
    lines = []
    for operator, key in [k for k in new if k not in old]:
        lines.append(f"statement `{sid}` condition {operator} {key} added{_rules().presence(rule, True)}")
    for operator, key in [k for k in old if k not in new]:
        lines.append(f"statement `{sid}` condition {operator} {key} removed{_rules().presence(rule, False)}")
    for (operator, key) in [k for k in new if k in old and old[k] != new[k]]:
        if key.lower() == REGION_KEY:
            continue  # the Region lines say it
        added = [v for v in new[(operator, key)] if v not in old[(operator, key)]]
        removed = [v for v in old[(operator, key)] if v not in new[(operator, key)]]
        words = ""
        if not operator.startswith(("Null", "Bool", "Numeric", "Date", "ForAllValues")):
            exempts = any(operator.removeprefix("ForAnyValue:").startswith(n) for n in NEGATED)
            # values of a positive operator widen what the statement covers; of a negated one, narrow it
            covers_more, covers_less = (removed, added) if exempts else (added, removed)
            words = _rules().set_verdict("scp.deny_scope" if effect == "Deny" else "scp.allow_scope", covers_more, covers_less)
        lines.append(f"statement `{sid}` condition {operator} {key} {_plus_minus(old[(operator, key)], new[(operator, key)])}{words}")
    return lines


def statement_lines(old_doc, new_doc) -> list[tuple[str, str]]:
    """(action, phrase) per statement added, removed or changed, each with its direction where it has one."""
    a, b = by_sid(old_doc), by_sid(new_doc)
    out = []
    for sid in [s for s in b if s not in a]:
        effect = b[sid].get("Effect")
        words = _rules().presence("scp.deny_statement", True) if effect == "Deny" else _rules().presence("scp.allow_statement", True)
        out.append(("added", f"{effect} statement `{sid}` added{words}"))
    for sid in [s for s in a if s not in b]:
        effect = a[sid].get("Effect")
        words = _rules().presence("scp.deny_statement", False) if effect == "Deny" else _rules().presence("scp.allow_statement", False)
        out.append(("removed", f"{effect} statement `{sid}` removed{words}"))
    for sid in [s for s in b if s in a and a[s] != b[s]]:
        before, after = a[sid], b[sid]
        if before.get("Effect") != after.get("Effect"):
            out.append(("changed", f"statement `{sid}` {before.get('Effect')} → {after.get('Effect')}"
                                   f"{_rules().verdict('scp.effect', before.get('Effect'), after.get('Effect'))}"))
            continue
        effect = after.get("Effect")
        for key, words in SCOPES:
            old, new = _list(before.get(key)), _list(after.get(key))
            if old != new and (old or new):
                out.append(("changed", f"statement `{sid}` {words} {_plus_minus(old, new)}{_scope_words(effect, key, old, new)}"
                            if old and new else f"statement `{sid}` {words} {'set' if new else 'dropped'}: {_plus_minus(old, new)}"))
        out += [("changed", line) for line in _condition_lines(sid, effect, before, after)]
        rest = sorted(k for k in set(before) | set(after) if k not in {"Sid", "Effect", "Condition"} | {k for k, _ in SCOPES}
                      and before.get(k) != after.get(k))
        if rest:
            out.append(("changed", f"statement `{sid}` changed: {', '.join(rest)}"))
    return out
