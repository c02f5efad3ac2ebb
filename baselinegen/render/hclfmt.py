"""Make rendered HCL ``terraform fmt``-canonical: align ``=`` the way hclwrite does, tidy blank lines.

Templates write ``key = value`` with single spaces; this pass computes the padding. Rules (from
hashicorp/hcl hclwrite/format.go, confirmed with terraform 1.11): consecutive attribute lines at the
same nesting whose value closes on the same line form a chain and align their ``=`` one space past the
longest key. Anything else (blank line, comment, block header, closing brace, an attribute whose
value opens a multi-line expression) ends the chain and is written with one space before ``=``.
"""

from __future__ import annotations

import re

_ATTRIBUTE = re.compile(r'^(?P<indent>[ ]*)(?P<key>[A-Za-z_][\w-]*|"(?:[^"\\]|\\.)*")[ ]*=(?![=>])[ ]*(?P<value>.*)$')


# A string (to its closing quote, or the end of the text) or a comment: brackets inside them do not count.
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\]|\\.?)*"?|(?:#|//).*', re.S)


def _bracket_balance(text: str) -> int:
    """Net count of (, [, { opened minus closed, ignoring string contents and comments."""
    code = _STRING_OR_COMMENT.sub("", text) if '"' in text or "#" in text or "/" in text else text
    return code.count("(") + code.count("[") + code.count("{") - code.count(")") - code.count("]") - code.count("}")


_BRACKETS = frozenset("()[]{}")


def _closes_on_its_line(value: str) -> bool:
    """The attribute's value ends on its own line (it may join a chain)."""
    return "<<" not in value and (_BRACKETS.isdisjoint(value) or _bracket_balance(value) == 0)


def align_attributes(text: str) -> str:
    out: list[str] = []
    chain: list[tuple[str, str, str]] = []  # (indent, key, value) of consecutive one-line attributes

    def flush() -> None:
        width = max(len(key) for _, key, _ in chain)
        out.extend(f"{indent}{key.ljust(width)} = {value}" for indent, key, value in chain)
        chain.clear()

    for line in text.split("\n"):
        match = _ATTRIBUTE.match(line) if "=" in line else None
        if match is None:
            if chain:
                flush()
            out.append(line)
            continue
        indent, key, value = match.group("indent", "key", "value")
        if _closes_on_its_line(value):
            if chain and chain[-1][0] != indent:
                flush()
            chain.append((indent, key, value))
            continue
        if chain:
            flush()
        out.append(f"{indent}{key} = {value}")
    if chain:
        flush()
    return "\n".join(out)


def tidy_blank_lines(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, none just inside braces, one final newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "":
            if not out or out[-1] == "" or out[-1].endswith(("{", "[")):
                continue
        elif line.lstrip().startswith(("}", "]")) and out and out[-1] == "":
            out.pop()
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def format_hcl(text: str) -> str:
    return align_attributes(tidy_blank_lines(text))
