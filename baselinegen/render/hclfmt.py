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


def _bracket_balance(text: str) -> int:
    """Net count of (, [, { opened minus closed, ignoring string contents."""
    depth = 0
    in_string = False
    i = 0
    while i < len(text):
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                in_string = False
        else:
            if ch == '"':
                in_string = True
            elif ch == "#" or text.startswith("//", i):
                break
            elif ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
        i += 1
    return depth


def align_attributes(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    chain: list[re.Match] = []

    def flush() -> None:
        if not chain:
            return
        width = max(len(m.group("key")) for m in chain)
        for m in chain:
            out.append(f"{m.group('indent')}{m.group('key').ljust(width)} = {m.group('value')}")
        chain.clear()

    for line in lines:
        match = _ATTRIBUTE.match(line)
        if match and _bracket_balance(match.group("value")) == 0 and "<<" not in match.group("value"):
            if chain and chain[-1].group("indent") != match.group("indent"):
                flush()
            chain.append(match)
            continue
        flush()
        if match:
            line = f"{match.group('indent')}{match.group('key')} = {match.group('value')}"
        out.append(line)
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
