"""``.baselinegen/manifest.json``: which files baselinegen owns, how, and their hash at the last render.

The manifest is read back from the output folder, so it is untrusted input: every path is checked
(relative, no ``..``, no link leading out of the folder) before anything is read or written through it."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import FileSystemError, OutputError, os_reason
from .writer import Targets, quoted, relative_parts

MANIFEST_PATH = ".baselinegen/manifest.json"
SCHEMA_VERSION = 1
MODES = ("managed", "starter", "sectioned")
LEGACY_MODES = {"seeded": "starter"}  # what manifests written by baselinegen 0.1.0 called a mode
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


MAX_BYTES = 64 * 1024 * 1024  # a 500-account render's manifest is about 1 MiB


def _refuse(root: Path, what: str, allowed: str) -> OutputError:
    return OutputError(f"{root / MANIFEST_PATH}: {what}; {allowed}. Fix or delete the manifest "
                       "(baselinegen then adopts the files that match and reports the others as conflicts)")


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    seen = dict(pairs)
    if len(seen) != len(pairs):
        first: set[str] = set()
        for key, _ in pairs:
            if key in first:
                raise _Duplicate(key)
            first.add(key)
    return seen


def _shown(value: object) -> str:
    """A JSON value for a message, cut to a readable length."""
    if isinstance(value, str):
        return _key(value)
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 60 else f"{text[:60]}... ({len(text)} characters)"


def _key(relative: str) -> str:
    """A path of the manifest as JSON, cut to a readable length."""
    text = json.dumps(relative[:60], ensure_ascii=True)
    return text if len(relative) <= 60 else f"{text[:-1]}...\" ({len(relative)} characters)"


def _entry_at(relative: str) -> str:
    """Where an entry of ``files`` is, for a message (made only when one is raised)."""
    return f"files[{_key(relative)}]"


def _read(root: Path) -> bytes:
    path = root / MANIFEST_PATH
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise _refuse(root, "is a folder", "it must be the JSON file baselinegen writes") from None
    except OSError as exc:
        raise FileSystemError("read", str(path), os_reason(exc)) from None
    if len(raw) > MAX_BYTES:
        raise _refuse(root, f"is larger than {MAX_BYTES // (1024 * 1024)} MiB", "it must be the JSON baselinegen writes")
    return raw


def _string(root: Path, where: str, value: object, pattern: re.Pattern | None = None, allowed: str = "a string") -> str:
    if not isinstance(value, str) or (pattern is not None and not pattern.fullmatch(value)):
        raise _refuse(root, f"{where} is {_shown(value)}", f"it must be {allowed}")
    return value


_VERSION = re.compile(r"[0-9A-Za-z.+_-]{0,64}")
_SHA256_OR_EMPTY = re.compile(r"(?:[0-9a-f]{64})?")
_PROFILE_PATH = re.compile(r"[^\0]{0,4096}")


def load_manifest(root: Path, targets: Targets | None = None) -> Manifest | None:
    """The manifest of ``root``, or None when there is none (a first render). Raises OutputError when
    it is unreadable, malformed or names a path outside the folder (``targets``: unused, kept for callers; a link on
    the way of a listed path is refused where that path is read)."""
    path = root / MANIFEST_PATH
    if os.path.islink(root / ".baselinegen"):
        raise _refuse(root, "is inside .baselinegen, a symbolic link", "it must be a regular file written by baselinegen")
    if path.is_symlink():
        raise _refuse(root, "is a symbolic link", "it must be a regular file written by baselinegen")
    if not path.exists():
        return None
    raw = _read(root)
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except _Duplicate as exc:
        raise _refuse(root, f"names the key {_key(str(exc))} twice", "every key appears once") from None
    except (ValueError, RecursionError) as exc:  # also not UTF-8, numbers past Python's digit limit, deep nesting
        reason = (str(exc) if isinstance(exc, json.JSONDecodeError) else "it is not UTF-8" if isinstance(exc, UnicodeDecodeError)
                  else "it is nested too deeply" if isinstance(exc, RecursionError) else "a number in it is too large")
        raise _refuse(root, f"cannot be read as JSON ({reason[:120]})", "it must be the JSON baselinegen writes") from None
    if not isinstance(data, dict):
        raise _refuse(root, f"is a JSON {type(data).__name__.replace('dict', 'object')}, not an object", "it must be the JSON baselinegen writes")
    if type(data.get("schema")) is not int or data.get("schema") != SCHEMA_VERSION:
        raise _refuse(root, f"has schema {_shown(data.get('schema'))}", f"this baselinegen reads schema {SCHEMA_VERSION}")
    files, generator, profile = data.get("files"), data.get("generator"), data.get("profile")
    if not isinstance(files, dict) or not isinstance(generator, dict) or not isinstance(profile, dict):
        raise _refuse(root, "lacks the objects files, generator and profile", "it must be the JSON baselinegen writes")
    entries = {}
    for relative, entry in files.items():
        try:
            parts = relative_parts(relative)  # a link on the way is refused where the file is read or written (plan.py)
        except OutputError as exc:
            raise _refuse(root, f"{_entry_at(relative)}: {str(exc).removeprefix(quoted(relative) + ': ')}",
                          "entries must be relative paths inside the output folder") from None
        if relative != "/".join(parts) or len(relative) > 4096:
            raise _refuse(root, f"{_entry_at(relative)}: is not a plain relative path", "entries are paths like modules/iam/main.tf")
        if relative == MANIFEST_PATH or parts[0] == ".baselinegen":
            raise _refuse(root, f"{_entry_at(relative)}: names baselinegen's own folder", "the manifest never lists itself")
        if isinstance(entry, dict) and isinstance(entry.get("mode"), str) and entry["mode"] in LEGACY_MODES:
            entry = dict(entry, mode=LEGACY_MODES[entry["mode"]])
        if (not isinstance(entry, dict) or len(entry) != 2 or entry.get("mode") not in MODES
                or not isinstance(entry.get("sha256"), str) or not _SHA256.fullmatch(entry["sha256"])):
            raise _refuse(root, f"{_entry_at(relative)}: is {_shown(entry)}, not {{mode, sha256}}",
                          f"mode is one of {', '.join(MODES)} and sha256 is 64 lowercase hex digits")
        entries[relative] = Entry(entry["mode"], entry["sha256"])
    version = _string(root, "generator.version", generator.get("version", ""), _VERSION, "a version like 1.2.0")
    profile_path = _string(root, "profile.path", profile.get("path", ""), _PROFILE_PATH, "a path of at most 4096 characters, without NUL")
    profile_sha256 = _string(root, "profile.sha256", profile.get("sha256", ""), _SHA256_OR_EMPTY, "64 lowercase hex digits")
    return Manifest(files=entries, generator_version=version, profile_path=profile_path, profile_sha256=profile_sha256)
