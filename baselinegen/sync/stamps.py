"""Render stamps: what lets a render that would change nothing skip rendering.

After ``render`` wrote a folder (or ``check`` found it up to date) a stamp in the user cache records that the
folder's manifest is exactly what this baselinegen (usercache.generator_digest: version, code, templates,
presets, dependencies) makes of this profile (its bytes, the path it was named by, its path from the folder),
together with the profile's warnings, accepted findings and ci.baselinegen. The key covers all of these, so a stamp is found
only when every input is the same; the files on disk are then compared with the manifest by the caller.
"""

from __future__ import annotations

import hashlib

from ..findings import AcceptedFinding
from ..errors import Location, Problem
from ..usercache import cache_dir, generator_digest, read_json, write_json

_FORMAT = "baselinegen-render-stamp-2"


def stamp_key(profile: bytes, profile_name: str, relative_profile: str, manifest: bytes) -> str:
    """``profile_name``: the profile's path as given (the warnings quote it); ``relative_profile``: from the folder."""
    digest = hashlib.sha256(f"{_FORMAT}\0{generator_digest()}\0".encode())
    for part in (hashlib.sha256(profile).hexdigest(), profile_name, relative_profile, hashlib.sha256(manifest).hexdigest()):
        digest.update(part.encode("utf-8", errors="surrogateescape") + b"\0")
    return digest.hexdigest()


def _entry(key: str):
    return cache_dir() / "renders" / key[:2] / f"{key}.json"


def record(key: str, warnings: list[Problem], accepted_findings: list[AcceptedFinding], requirement: str = "") -> None:
    value = {
        "key": key,
        "requirement": requirement,
        "warnings": [{"file": w.location.file, "line": w.location.line, "column": w.location.column, "path": w.path,
                      "message": w.message, "code": w.code, "severity": w.severity} for w in warnings],
        "accepted_findings": [{"check_id": f.check_id, "address": f.address, "reason": f.reason} for f in accepted_findings],
    }
    write_json(_entry(key), value)


def recall(key: str) -> tuple[list[Problem], list[AcceptedFinding], str] | None:
    """(warnings, accepted findings, ci.baselinegen) of the stamp ``key``, or None when there is none (or it is not what was stored)."""
    value = read_json(_entry(key))
    try:
        if value["key"] != key:
            return None
        warnings = [Problem(Location(_text(w["file"]), _number(w["line"]), _number(w["column"])), _text(w["path"]),
                            _text(w["message"]), _text(w["code"]), _text(w["severity"])) for w in value["warnings"]]
        findings = [AcceptedFinding(_text(f["check_id"]), _text(f["address"]), _text(f["reason"])) for f in value["accepted_findings"]]
        requirement = _text(value["requirement"])
    except (KeyError, TypeError):
        return None
    return warnings, findings, requirement


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _number(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(value)
    return value
