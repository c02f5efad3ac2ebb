"""The review's import lines: ``import`` blocks of each root's ``imports.tf`` that a regeneration adds (the resource
is adopted: imported, not created) or removes (nothing changes in AWS: the resource stays, and in the state).
The generated files hold one ``import { to = ... id = ... }`` block each, as templates/root/imports.tf.j2 writes."""

from __future__ import annotations

import posixpath
import re

from .names import type_name

FILE = "imports.tf"
_TO = re.compile(r'^import \{\n  to = (\S+)\n', re.M)
_BLOCK = re.compile(r'^import \{\n  to = (\S+)\n  id = "([^"\n]*)"\n', re.M)
_NAMED = re.compile(r'\.aws_accessanalyzer_analyzer\.this\["[^"]+"\]$|\.aws_cloudtrail\.this$')
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


def _named(files: dict[str, str]) -> dict[tuple[str, str], str]:
    """(root folder, address) -> the existing name an import block of an analyzer or a trail adopted (adopt ``name``)."""
    found = {}
    for path, text in files.items():
        if posixpath.basename(path) == FILE:
            for to, id_ in _BLOCK.findall(text):
                if _NAMED.search(to):
                    found[(posixpath.dirname(path), to)] = id_.rsplit("/", 1)[-1].split("@", 1)[0]
    return found


def _renamed(root: str, to: str, name: str, old: dict[str, str], new: dict[str, str]) -> bool:
    """Whether the resource an adopt entry named loses that name in the new render (its name forces a replacement):
    the name the old render wrote (root ``analyzer_names``, the trail module) is nowhere in the new one."""
    quoted = f'"{name}"'
    where = ([posixpath.join(root, "main.tf")] if "aws_accessanalyzer_analyzer" in to
             else [p for p in old if p.endswith("modules/cloudtrail/main.tf")])
    return any(quoted in old.get(p, "") and quoted not in new.get(p, "") for p in where)


def import_lines(old: dict[str, str], new: dict[str, str]) -> tuple[str, ...]:
    """One line per import block added or removed, added first, each sorted by root and address."""
    before, after = _targets(old), _targets(new)
    added = [f"{_what(root, to)}: adopted (imported, not created; `{to}`); its settings are brought to the profile by "
             "the same apply; the import block is safe to remove after that first apply (before it, Terraform would create the "
             "resource again)" for root, to in sorted(after - before)]
    named = _named(old)
    removed = [f"{_what(root, to)}: import block removed with the adopt entry that named it `{named[(root, to)]}`: the "
               f"baseline's name comes back, and a new name replaces the resource (`{to}`); keep the entry (or "
               "logging.cloudtrail.name) to keep the name (weaker)"
               if (root, to) in named and _renamed(root, to, named[(root, to)], old, new) else
               f"{_what(root, to)}: import block removed: nothing changes in AWS (`{to}`; Terraform keeps managing it "
               "once an apply imported it)" for root, to in sorted(before - after)]
    return tuple(added + removed)
