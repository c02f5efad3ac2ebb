"""The grammar of organisation policy documents, checked offline: what AWS Organizations would refuse at apply time.

Service control and resource control policies follow the IAM policy grammar (Version, Statement, Sid, Effect,
Action/NotAction, Resource/NotResource, Condition with known operators); an SCP names no Principal, an RCP names
``"*"`` and denies only (Allow is AWS's own RCPFullAWSAccess). Declarative EC2 policies start with ``ec2_attributes``
and name known attributes; tag, backup and AI opt-out policies are JSON objects (their own grammar is AWS's to check).
Each problem is (JSON path, message)."""

from __future__ import annotations

import json
import re

from .quotas import AUTHORIZATION_TYPES

CONDITION_OPERATORS = {
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
    "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
    "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
    "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals",
    "ArnNotLike",
}
_OPERATOR = re.compile(r"^(ForAllValues:|ForAnyValue:)?([A-Za-z]+?)(IfExists)?$")
_ACTION = re.compile(r"^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$")
_SID = re.compile(r"^[A-Za-z0-9]*$")
EC2_ATTRIBUTES = ("exception_message", "image_block_public_access", "allowed_images_settings", "instance_metadata_defaults",
                  "serial_console", "snapshot_block_public_access", "vpc_block_public_access")


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(f"the key {key!r} is written twice in one object")
        seen[key] = value
    return seen


def parse(text: str):
    """The JSON document, or raises ValueError with a one-line reason (line and column of the JSON text)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except DuplicateKey as exc:
        raise ValueError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def _strings(value) -> list | None:
    """A string or a non-empty list of strings, as a list; None otherwise."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    return None


def _statement_problems(st, where: str, type_: str) -> list[tuple[str, str]]:
    if not isinstance(st, dict):
        return [(where, "a statement is a JSON object")]
    allowed = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"} | ({"Principal"} if type_ == "rcp" else set())
    out = [(f"{where}.{k}", f"{k} is not a statement element of {'an RCP' if type_ == 'rcp' else 'an SCP'}"
            + (" (an SCP applies to the accounts' own principals: it names none)" if k in ("Principal", "NotPrincipal") and type_ == "scp" else ""))
           for k in st if k not in allowed]
    if "Sid" in st and not (isinstance(st["Sid"], str) and _SID.match(st["Sid"])):
        out.append((f"{where}.Sid", "Sid is letters and digits only"))
    effects = ("Deny",) if type_ == "rcp" else ("Allow", "Deny")
    if st.get("Effect") not in effects:
        out.append((f"{where}.Effect", f"Effect is {' or '.join(effects)}" + (" (Allow is AWS's own RCPFullAWSAccess)" if type_ == "rcp" else "")))
    if type_ == "rcp" and st.get("Principal") != "*":
        out.append((f"{where}.Principal", 'an RCP statement names Principal "*" (conditions narrow it)'))
    for one, other in (("Action", "NotAction"), ("Resource", "NotResource")):
        if (one in st) == (other in st):
            out.append((where, f"a statement has exactly one of {one} and {other}"))
            continue
        key = one if one in st else other
        values = _strings(st[key])
        if values is None:
            out.append((f"{where}.{key}", f"{key} is a string or a list of strings"))
        elif one == "Action":
            out += [(f"{where}.{key}", f"{v!r} is not an action: service:Operation (wildcards * and ? allowed)")
                    for v in values if not _ACTION.match(v)]
    condition = st.get("Condition", {})
    if not isinstance(condition, dict):
        return out + [(f"{where}.Condition", "Condition is an object of operators")]
    for operator, keys in condition.items():
        m = _OPERATOR.match(operator)
        if not m or (m.group(2) not in CONDITION_OPERATORS and m.group(2) != "Null") or (m.group(2) == "Null" and (m.group(1) or m.group(3))):
            out.append((f"{where}.Condition", f"{operator!r} is not a condition operator"))
        elif not isinstance(keys, dict) or not all(isinstance(v, (str, bool, int, list)) for v in keys.values()):
            out.append((f"{where}.Condition.{operator}", "an operator maps condition keys to a value or a list of values"))
    return out


def _authorization_problems(doc, type_: str) -> list[tuple[str, str]]:
    out = [(k, f"{k} is not an element of a policy (Version, Statement{', Id' if type_ == 'scp' else ''})")
           for k in doc if k not in ("Version", "Statement", "Id")]
    if doc.get("Version") != "2012-10-17":
        out.append(("Version", 'Version is "2012-10-17"'))
    statements = doc.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        return out + [("Statement", "Statement is a statement object or a non-empty list of them")]
    for i, st in enumerate(statements):
        out += _statement_problems(st, f"Statement[{i}]", type_)
    return out


# Values AWS accepts for the attributes whose values were read (AWS Organizations User Guide, "Declarative policy
# syntax and examples", VPC Block Public Access; read 2026-12-05). The others are AWS's to check.
EC2_VALUES = {("vpc_block_public_access", "internet_gateway_block", "mode"): ("off", "block_ingress", "block_bidirectional"),
              ("vpc_block_public_access", "internet_gateway_block", "exclusions_allowed"): ("enabled", "disabled")}


def _value_problems(attributes: dict) -> list[tuple[str, str]]:
    out = []
    for path, allowed in EC2_VALUES.items():
        node = attributes
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            continue
        value = node.get("@@assign") if isinstance(node, dict) else None
        if value not in allowed:
            out.append(("ec2_attributes." + ".".join(path), f"{{\"@@assign\": one of {', '.join(allowed)}}}, not {json.dumps(node)}"))
    return out


def problems(doc, type_: str) -> list[tuple[str, str]]:
    """What AWS Organizations would refuse in the policy ``doc`` of type ``type_`` (quotas.POLICY_TYPES)."""
    if not isinstance(doc, dict):
        return [("", "a policy is a JSON object")]
    if type_ in AUTHORIZATION_TYPES:
        return _authorization_problems(doc, type_)
    if type_ == "declarative-ec2":
        attributes = doc.get("ec2_attributes")
        if set(doc) != {"ec2_attributes"} or not isinstance(attributes, dict) or not attributes:
            return [("", "a declarative EC2 policy is {\"ec2_attributes\": {...}} with at least one attribute")]
        out = [(f"ec2_attributes.{k}", f"{k!r} is not an EC2 attribute of declarative policies ({', '.join(EC2_ATTRIBUTES)})")
               for k in attributes if k not in EC2_ATTRIBUTES]
        return out + _value_problems(attributes)
    return []


def minified(doc) -> str:
    """The document as baselinegen sends it: minified JSON."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
