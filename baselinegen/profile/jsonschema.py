"""JSON Schema (draft 2020-12) derived from the Cerberus schema, for editor completion."""

from __future__ import annotations

from typing import Any

_TYPES = {"string": "string", "integer": "integer", "boolean": "boolean", "dict": "object", "list": "array", "number": "number",
          "date": "string"}  # a YAML date (2027-06-30, unquoted): a string of format date in JSON Schema


def _convert(rules: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    meta = rules.get("meta", {})
    if "description" in meta:
        default = f" Default: {meta['default'].replace('`', '')}." if "default" in meta else ""
        out["description"] = meta["description"] + default
    kind = rules.get("type")
    if kind:
        out["type"] = [_TYPES[kind], "null"] if rules.get("nullable") else _TYPES[kind]
        if kind == "date":
            out["format"] = "date"
    if "allowed" in rules:
        out["enum"] = list(rules["allowed"])
    if "regex" in rules:
        out["pattern"] = rules["regex"]
    for src, dst in (("min", "minimum"), ("max", "maximum")):
        if src in rules:
            out[dst] = rules[src]
    if "minlength" in rules:
        out["minItems" if kind == "list" else "minLength"] = rules["minlength"]
    if "maxlength" in rules:
        out["maxItems" if kind == "list" else "maxLength"] = rules["maxlength"]
    if "default" in rules and rules["default"] not in ({}, []):
        out["default"] = rules["default"]
    if "example" in meta:
        out["examples"] = [meta["example"]]
    if kind == "dict":
        if "schema" in rules:
            out.update(_object(rules["schema"]))
        elif "valuesrules" in rules:
            out["additionalProperties"] = _convert(rules["valuesrules"])
            if "keysrules" in rules:
                out["propertyNames"] = _convert(rules["keysrules"])
    if kind == "list" and "schema" in rules:
        out["items"] = _convert(rules["schema"])
    return out


def _object(schema: dict) -> dict[str, Any]:
    return {
        "properties": {key: _convert(rules) for key, rules in schema.items()},
        "required": sorted(key for key, rules in schema.items() if rules.get("required")),
        "additionalProperties": False,
    }


def json_schema(schema: dict) -> dict[str, Any]:
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://baselinegen.dev/schema/profile-v1.json",
        "title": "baselinegen profile",
        "description": "An organisation's security profile, rendered into a Terraform AWS security baseline.",
        "type": "object",
    }
    doc.update(_object(schema))
    return doc
