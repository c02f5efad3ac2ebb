"""Schema validation with Cerberus, every error turned into a located, plain-words message."""

from __future__ import annotations

import difflib
import re
from typing import Any

import cerberus
from cerberus.schema import DefinitionSchema, UnvalidatedSchema
from cerberus import errors as cerr

from ..errors import Problem
from . import section_cache
from .loader import LoadedDocument, dotted_path
from .regions import AWS_REGIONS
from .wording import CUT_OVER, allowed_list, shown

_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
    "dict": "a mapping",
    "list": "a list",
    "number": "a number",
}


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return shown(value)


def _suggest(word: Any, choices) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _leaf_errors(error: cerberus.errors.ValidationError):
    if error.is_group_error and error.child_errors:
        for child in error.child_errors:
            yield from _leaf_errors(child)
    else:
        yield error


def _rules_at(schema: dict, path: tuple) -> dict:
    """The rules that apply at ``path`` in the (nested) schema, or {}."""
    rules: dict = {"type": "dict", "schema": schema}
    for part in path:
        if isinstance(part, int):
            rules = rules.get("schema", {}) if rules.get("type") == "list" else {}
        else:
            sub = rules.get("schema", {})
            if "keysrules" in rules or "valuesrules" in rules:
                rules = rules.get("valuesrules", {})
            else:
                rules = sub.get(part, {}) if isinstance(sub, dict) else {}
    return rules


def _section(path: tuple) -> str | None:
    """The reference section of ``path``: its top-level key."""
    return path[0] if path and isinstance(path[0], str) else None


def _message(error, schema: dict) -> tuple[str, str]:
    """(code, message) for one Cerberus leaf error."""
    value = error.value
    path = tuple(error.document_path)
    rules = _rules_at(schema, path)
    if "keysrules" in error.schema_path:
        rules = _rules_at(schema, path[:-1]).get("keysrules", {})
        if error.code == cerr.REGEX_MISMATCH.code:
            return "E117", f"this key is not valid; allowed: {rules.get('meta', {}).get('allowed', error.constraint)}"
    meta = rules.get("meta", {}) if isinstance(rules, dict) else {}
    code = error.code
    if code == cerr.UNKNOWN_FIELD.code:
        parent = _rules_at(schema, path[:-1])
        allowed = sorted(parent.get("schema", {}).keys()) if isinstance(parent.get("schema"), dict) else []
        hint = _suggest(path[-1], allowed)
        return "E110", f"unknown key{hint}; allowed keys here: {allowed_list(allowed, _section(path[:-1]), what='keys')}"
    if code == cerr.REQUIRED_FIELD.code:
        what = meta.get("description", "")
        return "E111", f"required key is missing{' (' + what[0].lower() + what[1:].rstrip('.') + ')' if what else ''}"
    if code == cerr.BAD_TYPE.code:
        want = _TYPE_WORDS.get(str(error.constraint), str(error.constraint))
        hint = ""
        short = len(str(value)) <= CUT_OVER  # a long number is shown once, cut
        if error.constraint == "string" and isinstance(value, (int, float)) and not isinstance(value, bool) and short:
            if "number_hint" in meta:  # a key whose numbers YAML mangles (account ids): says why and how to quote
                return "E112", f"must be {want}: {meta['number_hint'](value)}"
            hint = f" (quote it: \"{value}\")"
        return "E112", f"must be {want}, not {_describe(value)}{hint}"
    if code == cerr.NOT_NULLABLE.code:
        return "E113", "must not be empty (null)"
    if code == cerr.EMPTY_NOT_ALLOWED.code:
        return "E113", "must not be empty"
    if code in (cerr.MIN_VALUE.code, cerr.MAX_VALUE.code):
        low, high = rules.get("min"), rules.get("max")
        rng = f"between {low} and {high}" if low is not None and high is not None else (f"at least {low}" if low is not None else f"at most {high}")
        extra = " or null" if rules.get("nullable") else ""
        return "E114", f"{_describe(value)} is out of range; allowed: {rng}{extra}"
    if code in (cerr.MIN_LENGTH.code, cerr.MAX_LENGTH.code):
        low, high = rules.get("minlength"), rules.get("maxlength")
        unit = "items" if isinstance(value, list) else "characters"
        if low == 1 and high is None:
            unit = unit[:-1]
        if low is not None and high is not None:
            rng = f"{low} to {high} {unit}"
        elif low is not None:
            rng = f"at least {low} {unit}"
        else:
            rng = f"at most {high} {unit}"
        plural = "items" if isinstance(value, list) else "characters"
        return "E115", f"has {len(value)} {plural}; allowed: {rng}"
    if code == cerr.UNALLOWED_VALUE.code:
        allowed = list(error.constraint)
        section = "aws-regions" if allowed == list(AWS_REGIONS) else _section(path)
        return "E116", f"{_describe(value)} is not allowed{_suggest(value, allowed)}; allowed values: {allowed_list(allowed, section)}"
    if code == cerr.REGEX_MISMATCH.code:
        allowed = meta.get("allowed", f"text matching {error.constraint}")
        return "E117", f"{_describe(value)} is not valid; allowed: {allowed}"
    if code == cerr.EXCLUDES_FIELD.code:
        return "E118", f"cannot be used together with {', '.join(error.info[0] if error.info else [])}"
    return "E119", str(error.rule) + ": " + ", ".join(str(i) for i in error.info) if error.info else f"invalid value ({error.rule})"


class ProfileValidator(cerberus.Validator):
    """Cerberus with whole-string regexes: its own check lets ``$`` match before a trailing newline, so
    ``"acme\\n"`` would pass ``^[a-z]+$`` and reach resource names and folder names."""

    def _validate_regex(self, pattern, field, value):
        """{'type': 'string'}"""
        if isinstance(value, str) and not re.fullmatch(pattern, value):
            self._error(field, cerr.REGEX_MISMATCH)


def trusted_schema(schema: dict) -> UnvalidatedSchema:
    """``schema`` expanded the way cerberus expands it, without cerberus checking it against its rules first
    (a check that costs more than validating a 500-account profile). The schema is code, not input: a test
    checks it in full (tests/test_profile_loading.py)."""
    return UnvalidatedSchema(DefinitionSchema.expand(schema))


def schema_problems(doc: LoadedDocument, schema: dict) -> tuple[list[Problem], dict | None]:
    """Validate and normalise. Returns (problems, normalised document); the document is normalised
    (defaults filled in) even when there are problems, so later checks can still look at it."""
    data, rest = doc.data, schema
    known = section_cache.recall(data) if isinstance(data, dict) else {}
    if known:  # the messages still name every key of the whole schema
        data = {name: value for name, value in data.items() if name not in known}
        rest = {name: rules for name, rules in schema.items() if name not in known}
    validator = ProfileValidator(trusted_schema(rest), allow_unknown=False)
    ok = validator.validate(data)
    normalized = _with_known(doc.data, known, validator.document) if known else validator.document
    if ok:
        if isinstance(data, dict):
            section_cache.record(data, normalized)
        return [], normalized
    problems = []
    seen = set()
    for top in validator._errors:
        for error in _leaf_errors(top):
            path = tuple(error.document_path)
            code, message = _message(error, schema)
            prefer_key = code == "E110" or "keysrules" in error.schema_path
            problem = Problem(doc.locate(path, prefer_key=prefer_key), dotted_path(path), message, code)
            if (problem.path, problem.message) not in seen:
                seen.add((problem.path, problem.message))
                problems.append(problem)
    return problems, normalized


def _with_known(data: dict, known: dict, validated: dict) -> dict:
    """The whole normalised document in cerberus' order: the sections as written, then the ones it added."""
    out = {name: known[name] if name in known else validated[name] for name in data if name in known or name in validated}
    out.update((name, value) for name, value in validated.items() if name not in out)
    return out
