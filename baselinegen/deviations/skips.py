"""Accepted checkov checks as inline skips: ``#checkov:skip=ID:reason`` on exactly the resources (and data sources) of
the check's types in the exception's ``where``, right after the block's opening line (where the templates put their
own skips), and one accepted finding per resource for the generated README.

An account as ``where``: the account's resources are the module instances its root configuration
(``accounts/<name>/``) calls from the shared ``modules/`` (every root deploys into its own account only). A skip in a
shared module's file would skip every account, so the skip goes on the account root's ``module`` blocks whose module
(or a module it calls) holds a resource of the check's types: checkov pushes a skip on a ``module`` block down to that
call's resources only (checkov 3.3.30, ``terraform/runner.py``, ``push_skipped_checks_down_from_modules``), so the
other accounts' instances of the same module are still checked. Every other root that deploys into the account (its
provider pins the account's id: ``bootstrap/`` in the management account) gets the skip on its own resources."""

from __future__ import annotations

import dataclasses
import posixpath
import re

from ..findings import AcceptedFinding
from ..render.env import RenderedFile
from . import Deviation, checkov_checks

_BLOCK = re.compile(r'^(resource|data) "([a-z0-9_]+)" "([A-Za-z0-9_-]+)" \{$')
_MODULE = re.compile(r'^module "([A-Za-z0-9_-]+)" \{$')
_SOURCE = re.compile(r'^  source\s*=\s*"(\.{1,2}/[^"]+)"$')


_ACCOUNT_ID = re.compile(r'allowed_account_ids\s*=\s*\[\s*"(\d{12})"\s*\]')


def account_folders(files: list[RenderedFile]) -> dict[str, set[str]]:
    """Account name -> every root folder that deploys into that account: ``accounts/<name>/`` and any other root whose
    provider pins the same account id (``bootstrap/``, the state bucket and key, in the management account)."""
    ids = {posixpath.dirname(f.path): m.group(1) for f in files if f.path.endswith("providers.tf")
           for m in [_ACCOUNT_ID.search(f.content)] if m}
    out: dict[str, set[str]] = {}
    for folder, account_id in ids.items():
        if folder.startswith("accounts/") and folder.count("/") == 1:
            out[folder[len("accounts/"):]] = {f for f, i in ids.items() if i == account_id}
    return out


def _in_scope(d: Deviation, folder: str, accounts: dict[str, set[str]]) -> bool:
    if d.where == "all":
        return True
    if d.where.startswith("modules/"):
        return folder == d.where
    name = d.where[len("account "):]
    return folder in accounts.get(name, {"accounts/" + name})


def _address(folder: str, mode: str, type_: str, name: str) -> str:
    local = ("data." if mode == "data" else "") + f"{type_}.{name}"
    if folder.startswith("modules/") and folder.count("/") == 1:
        return f"module.{folder[len('modules/'):]}.{local}"
    return f"{folder}:{local}" if folder else local


def _present(lines: list[str], i: int) -> set[str]:
    """The checks the block opened at line ``i`` already skips."""
    present = set()
    for following in lines[i + 1:]:
        if not following.startswith("  #checkov:skip="):
            break
        present.add(following[len("  #checkov:skip="):].split(":", 1)[0])
    return present


def _calls(lines: list[str], i: int, folder: str) -> str | None:
    """The folder of the module the ``module`` block opened at line ``i`` calls (a local source), if any."""
    for following in lines[i + 1:]:
        if following == "}":
            return None
        source = _SOURCE.match(following)
        if source:
            return posixpath.normpath(posixpath.join(folder, source.group(1)))
    return None


class _Modules:
    """Per folder of managed ``.tf`` files: its blocks ((mode, type, name)) and module calls ((name, folder))."""

    def __init__(self, files: list[RenderedFile]):
        self.blocks: dict[str, list[tuple[str, str, str]]] = {}
        self.calls: dict[str, list[tuple[str, str]]] = {}
        for f in files:
            if not (f.path.endswith(".tf") and f.mode == "managed"):
                continue
            folder, lines = posixpath.dirname(f.path), f.content.split("\n")
            for i, line in enumerate(lines):
                block, module = _BLOCK.match(line), _MODULE.match(line)
                if block:
                    self.blocks.setdefault(folder, []).append(block.groups())
                elif module and _calls(lines, i, folder):
                    self.calls.setdefault(folder, []).append((module.group(1), _calls(lines, i, folder)))

    def resources(self, folder: str, kinds: tuple[str, ...], prefix: str, depth: int = 0) -> list[str]:
        """The addresses (under ``prefix``) of the blocks of ``kinds`` a call of ``folder`` creates, nested calls too."""
        out = [prefix + ("data." if mode == "data" else "") + f"{type_}.{name}" for mode, type_, name in self.blocks.get(folder, ())
               if (type_ if mode == "resource" else f"data.{type_}") in kinds]
        for name, called in self.calls.get(folder, ()) if depth < 8 else ():
            out += self.resources(called, kinds, f"{prefix}module.{name}.", depth + 1)
        return out


def apply(found: list[Deviation], files: list[RenderedFile]) -> tuple[list[RenderedFile], list[AcceptedFinding]]:
    """The files with the skips added, and the accepted findings they make."""
    checks = [d for d in found if d.kind == "checkov" and d.where and d.check in checkov_checks()]
    if not checks:
        return files, []
    out, findings = [], []
    scoped = any(d.where.startswith("account ") for d in checks)
    modules, accounts = (_Modules(files), account_folders(files)) if scoped else (None, {})
    for f in files:
        folder = posixpath.dirname(f.path)
        wanted = [d for d in checks if _in_scope(d, folder, accounts)] if f.path.endswith(".tf") and f.mode == "managed" else []
        if not wanted:
            out.append(f)
            continue
        lines, new = f.content.split("\n"), []
        for i, line in enumerate(lines):
            new.append(line)
            match, module = _BLOCK.match(line), _MODULE.match(line)
            if match:
                mode, type_, name = match.groups()
                kind = type_ if mode == "resource" else f"data.{type_}"
                addresses = {d.check: [_address(folder, mode, type_, name)] for d in wanted if kind in checkov_checks()[d.check]}
            elif module and modules is not None and _calls(lines, i, folder):
                prefix = f"{folder}:module.{module.group(1)}."
                addresses = {d.check: modules.resources(_calls(lines, i, folder), checkov_checks()[d.check], prefix)
                             for d in wanted if d.where.startswith("account ")}
            else:
                continue
            present = _present(lines, i)
            for d in wanted:
                if addresses.get(d.check) and d.check not in present:
                    new.append(f"  #checkov:skip={d.check}:{d.reason}")
                    present.add(d.check)
                    findings += [AcceptedFinding(d.check, a, d.reason) for a in addresses[d.check]]
        out.append(dataclasses.replace(f, content="\n".join(new)) if len(new) != len(lines) else f)
    return out, findings


def table_rows(found: list[Deviation]) -> list[dict]:
    """The README's accepted-deviations rows, in the profile's order."""
    return [{"check": d.check, "where": d.where, "reason": d.reason, "accepted_by": d.accepted_by,
             "until": d.until.isoformat() if d.until else "—"} for d in found]
