"""``.baselinegen/manifest.json``: which files baselinegen owns, how, and their hash at the last render.

The manifest is read back from the output folder, so it is untrusted input: every path is checked
(relative, no ``..``, no link leading out of the folder) before anything is read or written through it."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import OutputError
from .writer import Targets

MANIFEST_PATH = ".baselinegen/manifest.json"
SCHEMA_VERSION = 1
MODES = ("managed", "seeded", "sectioned")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True)
class Entry:
    mode: str
    sha256: str  # of the whole file; of the owned section for sectioned files


@dataclass(frozen=True)
class Manifest:
    files: dict[str, Entry] = field(default_factory=dict)
    generator_version: str = ""
    profile_path: str = ""  # relative to the output folder, "/"-separated
    profile_sha256: str = ""

    def text(self) -> str:
        """``json.dumps(..., indent=2, sort_keys=True, ensure_ascii=False)`` of the manifest, written out directly
        (the indenting encoder is slow on thousands of files). Built once: a manifest is not changed."""
        return self._text

    @cached_property
    def _text(self) -> str:
        def string(value: str) -> str:
            return json.dumps(value, ensure_ascii=False)

        files = ",\n".join(f'    {string(path)}: {{\n      "mode": {string(e.mode)},\n      "sha256": {string(e.sha256)}\n    }}'
                           for path, e in sorted(self.files.items()))
        return (
            "{\n"
            + (f'  "files": {{\n{files}\n  }},\n' if files else '  "files": {},\n')
            + f'  "generator": {{\n    "name": "baselinegen",\n    "version": {string(self.generator_version)}\n  }},\n'
            + f'  "profile": {{\n    "path": {string(self.profile_path)},\n    "sha256": {string(self.profile_sha256)}\n  }},\n'
            + f'  "schema": {SCHEMA_VERSION}\n'
            + "}\n"
        )


def _refuse(root: Path, what: str, allowed: str) -> OutputError:
    return OutputError(f"{root / MANIFEST_PATH}: {what}; {allowed}. Fix or delete the manifest "
                       "(baselinegen then adopts the files that match and reports the others as conflicts)")


def load_manifest(root: Path, targets: Targets | None = None) -> Manifest | None:
    """The manifest of ``root``, or None when there is none (a first render). Raises OutputError when
    it is unreadable or names a path baselinegen must not touch (``targets``: the checker to use)."""
    path = root / MANIFEST_PATH
    if path.is_symlink():
        raise _refuse(root, "is a symbolic link", "it must be a regular file written by baselinegen")
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _refuse(root, f"cannot be read as JSON ({exc})", "it must be the JSON baselinegen writes") from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise _refuse(root, f"has schema {found!r}", f"this baselinegen reads schema {SCHEMA_VERSION}")
    files, generator, profile = data.get("files"), data.get("generator"), data.get("profile")
    if not isinstance(files, dict) or not isinstance(generator, dict) or not isinstance(profile, dict):
        raise _refuse(root, "lacks the objects files, generator and profile", "it must be the JSON baselinegen writes")
    entries = {}
    targets = targets or Targets(root)
    for relative, entry in files.items():
        where = f"files[{json.dumps(relative)}]"
        try:
            targets.checked(relative)
        except OutputError as exc:
            raise _refuse(root, f"{where}: {exc}", "entries must be relative paths inside the output folder") from None
        if relative == MANIFEST_PATH or relative.startswith(".baselinegen/"):
            raise _refuse(root, f"{where}: names baselinegen's own folder", "the manifest never lists itself")
        if not isinstance(entry, dict) or entry.get("mode") not in MODES or not _SHA256.fullmatch(str(entry.get("sha256", ""))):
            raise _refuse(root, f"{where}: is not {{mode, sha256}}", f"mode is one of {', '.join(MODES)} and sha256 is 64 lowercase hex digits")
        entries[relative] = Entry(entry["mode"], entry["sha256"])
    return Manifest(files=entries, generator_version=str(generator.get("version", "")),
                    profile_path=str(profile.get("path", "")), profile_sha256=str(profile.get("sha256", "")))
