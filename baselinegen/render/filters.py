"""HCL quoting filters: every profile string reaches the output through one of these."""

from __future__ import annotations

import re

from ..policy.document import ACCOUNT_TOKEN, PARTITION_TOKEN

_SIMPLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


# A template sequence that python-hcl2 8.x can read back in its escaped form ($${...} / %%{...}).
_CLOSED_TEMPLATE = re.compile(r'[$%]\{[^{}"\\\x00-\x1f\x7f]*\}')
# What hcl_escape rewrites, left to right: a template opening, a quote, a backslash, a control character.
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]|[$%]\{')


def hcl_escape(value: str) -> str:
    """Escape text for the inside of an HCL quoted string (no surrounding quotes).

    A literal ``${`` or ``%{`` must not start a template: when it is closed (``${aws:username}``) it
    is written in the conventional escaped form ``$${aws:username}``; an unclosed one is written
    ``\\u0024{`` / ``\\u0025{``, which Terraform reads the same way and python-hcl2 can parse back.
    """
    return _NEEDS_ESCAPE.sub(lambda match: _escaped(value, match), value)


def _escaped(value: str, match: re.Match) -> str:
    found = match.group()
    if len(found) == 2:  # ${ or %{
        if _CLOSED_TEMPLATE.match(value, match.start()):
            return found[0] + found
        return "\\u0024{" if found[0] == "$" else "\\u0025{"
    return _SIMPLE_ESCAPES.get(found) or f"\\u{ord(found):04x}"


def hcl_string(value) -> str:
    """A quoted HCL string literal."""
    if not isinstance(value, str):
        raise TypeError(f"hcl_string expects a string, got {type(value).__name__}")
    return f'"{hcl_escape(value)}"'


def hcl_value(value) -> str:
    """A literal HCL value for a Python str/bool/int/None."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return hcl_string(value)
    raise TypeError(f"no HCL literal for {type(value).__name__}")


def hcl_inline_list(values) -> str:
    return "[" + ", ".join(hcl_value(v) for v in values) + "]"


_ARN_TOKENS = {ACCOUNT_TOKEN: "${local.account_id}"}


def hcl_arn(value: str, partition: str) -> str:
    """Quote an ARN that may carry ``<partition>`` / ``<account>`` tokens (see policy.document).
    A value that is only the account token becomes the bare expression ``local.account_id``."""
    if value == ACCOUNT_TOKEN:
        return "local.account_id"
    escaped = hcl_escape(value.replace(PARTITION_TOKEN, partition))
    for token, expression in _ARN_TOKENS.items():
        escaped = escaped.replace(hcl_escape(token), expression)
    return f'"{escaped}"'


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def tf_identifier(name: str) -> str:
    """A Terraform resource name derived from a profile name: ``InfraAdmins`` -> ``infra_admins``."""
    spaced = _CAMEL_BOUNDARY.sub("_", name)
    ident = re.sub(r"[^A-Za-z0-9_]+", "_", spaced).strip("_").lower()
    ident = re.sub(r"_+", "_", ident)
    if not ident or not (ident[0].isalpha() or ident[0] == "_"):
        ident = "n_" + ident
    return ident


def yaml_string(value) -> str:
    """A double-quoted YAML scalar: JSON's string syntax, ASCII only, is a subset of YAML's double-quoted style, so a
    value (a profile string) can end neither the string nor the line, whatever it holds."""
    import json

    if not isinstance(value, str):
        raise TypeError(f"yaml_string expects a string, got {type(value).__name__}")
    return json.dumps(value, ensure_ascii=True)


FILTERS = {
    "yaml_string": yaml_string,
    "hcl_escape": hcl_escape,
    "hcl_string": hcl_string,
    "hcl_value": hcl_value,
    "hcl_inline_list": hcl_inline_list,
    "hcl_arn": hcl_arn,
    "tf_id": tf_identifier,
}
