"""Accepted checkov checks as inline skips: ``#checkov:skip=ID:reason`` on exactly the resources (and data sources) of
the check's types in the exception's ``where``, right after the block's opening line (where the templates put their
own skips), and one accepted finding per resource for the generated README."""

from __future__ import annotations

import dataclasses
import posixpath
import re

from ..findings import AcceptedFinding
from ..render.env import RenderedFile
from . import Deviation, checkov_checks

_BLOCK = re.compile(r'^(resource|data) "([a-z0-9_]+)" "([A-Za-z0-9_-]+)" \{$')


def _in_scope(d: Deviation, folder: str) -> bool:
    if d.where == "all":
        return True
    if d.where.startswith("modules/"):
        return folder == d.where
    return folder == "accounts/" + d.where[len("account "):]


def _address(folder: str, mode: str, type_: str, name: str) -> str:
    local = ("data." if mode == "data" else "") + f"{type_}.{name}"
    if folder.startswith("modules/") and folder.count("/") == 1:
        return f"module.{folder[len('modules/'):]}.{local}"
    return f"{folder}:{local}" if folder else local


def apply(found: list[Deviation], files: list[RenderedFile]) -> tuple[list[RenderedFile], list[AcceptedFinding]]:
    """The files with the skips added, and the accepted findings they make."""
    checks = [d for d in found if d.kind == "checkov" and d.where and d.check in checkov_checks()]
    if not checks:
        return files, []
    out, findings = [], []
    for f in files:
        folder = posixpath.dirname(f.path)
        wanted = [d for d in checks if _in_scope(d, folder)] if f.path.endswith(".tf") and f.mode == "managed" else []
        if not wanted:
            out.append(f)
            continue
        lines, new = f.content.split("\n"), []
        for i, line in enumerate(lines):
            new.append(line)
            match = _BLOCK.match(line)
            if not match:
                continue
            mode, type_, name = match.groups()
            kind = type_ if mode == "resource" else f"data.{type_}"
            present = set()
            for following in lines[i + 1:]:
                if not following.startswith("  #checkov:skip="):
                    break
                present.add(following[len("  #checkov:skip="):].split(":", 1)[0])
            for d in wanted:
                if kind in checkov_checks()[d.check] and d.check not in present:
                    new.append(f"  #checkov:skip={d.check}:{d.reason}")
                    present.add(d.check)
                    findings.append(AcceptedFinding(d.check, _address(folder, mode, type_, name), d.reason))
        out.append(dataclasses.replace(f, content="\n".join(new)) if len(new) != len(lines) else f)
    return out, findings


def table_rows(found: list[Deviation]) -> list[dict]:
    """The README's accepted-deviations rows, in the profile's order."""
    return [{"check": d.check, "where": d.where, "reason": d.reason, "accepted_by": d.accepted_by,
             "until": d.until.isoformat() if d.until else "—"} for d in found]
