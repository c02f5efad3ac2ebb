"""The review's import lines: ``import`` blocks of each root's ``imports.tf`` that a regeneration adds (the resource
is adopted: imported, not created) or removes (nothing changes in AWS: the resource stays, and in the state).
The generated files hold one ``import { to = ... id = ... }`` block each, as templates/root/imports.tf.j2 writes."""

from __future__ import annotations

import posixpath
import re

from .names import type_name

FILE = "imports.tf"
_TO = re.compile(r'^import \{\n  to = (\S+)\n', re.M)
_ADDRESS = re.compile(r'(?:^|\.)(aws_[a-z0-9_]+)\.[\w-]+(?:\["([^"]+)"\])?$')


def _targets(files: dict[str, str]) -> set[tuple[str, str]]:
    """(root folder, address) of every import block."""
    return {(posixpath.dirname(path), to) for path, text in files.items()
            if posixpath.basename(path) == FILE for to in _TO.findall(text)}


def _what(root: str, address: str) -> str:
    match = _ADDRESS.search(address)
    kind = type_name(match[1]) if match else "resource"
    where = f" in {match[2]}" if match and match[2] and re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", match[2]) else ""
    account = f"{root}: " if root else ""
    return f"{account}{kind[:1].upper()}{kind[1:]}{where}"


def import_lines(old: dict[str, str], new: dict[str, str]) -> tuple[str, ...]:
    """One line per import block added or removed, added first, each sorted by root and address."""
    before, after = _targets(old), _targets(new)
    added = [f"{_what(root, to)}: adopted (imported, not created; `{to}`); its settings are brought to the profile by "
             "the same apply; the import block is safe to remove after that first apply (before it, Terraform would create the "
             "resource again)" for root, to in sorted(after - before)]
    removed = [f"{_what(root, to)}: import block removed: nothing changes in AWS (`{to}`; Terraform keeps managing it "
               "once an apply imported it)" for root, to in sorted(before - after)]
    return tuple(added + removed)
