"""baselinegen's cache folder: ``$BASELINEGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/baselinegen``, else
``~/.cache/baselinegen``. It holds data only, never code: python-hcl2 parse results, remembered renders and file
statuses (JSON in SQLite tables, see json_table.py), render stamps (sync/stamps.py), validated profile sections
(profile/section_cache.py) and the remembered installation, each JSON file written atomically.

It stays bounded: an entry nobody used for KEEP_DAYS days is deleted (a table's when it is next written, see
json_table; a JSON file's by the daily pruning below, which a read keeps from it), and a table never holds much more
than TABLE_BYTES_MAX. Pruning deletes only what baselinegen writes there (the folders and names it gives its files),
never anything else the folder holds, and follows no link.

The cache is only ever a shortcut: a folder that cannot be read or written, or an entry that is not what
was stored, means the work is done again. Nothing in it is needed, so the folder can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from functools import lru_cache
from pathlib import Path

from .version import __version__
from .resources import profiles_dir, templates_dir

_replace = os.replace  # bound at import: tests that make os.replace fail in the output folder leave the cache alone

DAY = 86_400  # seconds
KEEP_DAYS = 30  # an entry nobody stored or read for this long is deleted
TABLE_BYTES_MAX = 256 * 1024 * 1024  # a table above this loses its least recently used entries (json_table)
ENTRY_FOLDERS = {"installation": 0, "profile-sections": 1, "renders": 1}  # folders of a JSON file per entry: subfolder depth
RETIRED = ("hcl2-parse.sqlite3",)  # what earlier versions kept in the folder and this one never reads
PRUNED = "pruned"  # a file whose modification time is that of the last pruning of the entry folders
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
_LEFT_BY_A_WRITE = re.compile(r"[0-9a-f]{64}\.json\.[0-9]+\.tmp")  # write_json's temporary file of a write that died

# The packages whose behaviour shapes what a render produces or which problems a profile has.
DEPENDENCIES = ("jinja2", "pyyaml", "cerberus", "python-hcl2", "lark", "packaging")


def cache_dir() -> Path:
    """The cache folder (it may not exist yet)."""
    override = os.environ.get("BASELINEGEN_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "baselinegen"


def package_version(name: str) -> str:
    """The installed version of ``name`` ("unknown" when it is not installed); those in DEPENDENCIES come from the
    remembered installation (see installation) without asking importlib.metadata."""
    if name in DEPENDENCIES:
        return installation()["versions"][name]
    return _metadata_version(name)


def _metadata_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version  # on first use: most commands never ask

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def generator_digest() -> str:
    """SHA-256 of everything that decides what this baselinegen makes of a profile: its version, its code, its
    templates and presets, the Python version and the versions of the packages in DEPENDENCIES. Computed from
    the files' contents (a checkout edited without a version bump gets a new digest)."""
    return installation()["digest"]


def _digest(versions: dict[str, str]) -> str:
    digest = hashlib.sha256(f"{__version__}\0{sys.version_info[:2]}\0".encode())
    for name in DEPENDENCIES:
        digest.update(f"{name}={versions[name]}\0".encode())
    for label, name, path in _generator_files():
        digest.update(f"{label}/{name}\0".encode())
        with open(path, "rb") as file:
            digest.update(hashlib.sha256(file.read()).digest())
    return digest.hexdigest()


def _generator_files() -> list[tuple[str, str, str]]:
    """(label, path in its folder, path) of each file the digest reads: the package's code, the templates, the
    presets; in a fixed order."""
    package = os.path.dirname(os.path.abspath(__file__))
    files = []
    folders = (("code", package, ".py"), ("templates", str(templates_dir()), ""), ("profiles", str(profiles_dir()), ""))
    for label, folder, suffix in folders:
        for where, subfolders, names in os.walk(folder):
            subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
            inside = where[len(folder) + 1:].replace(os.sep, "/")
            files += [(label, f"{inside}/{name}" if inside else name, os.path.join(where, name))
                      for name in sorted(names) if name.endswith(suffix)]
    return files


SETTLED_NS = 2_000_000_000  # a file changed this recently may change again within the same mtime: not remembered yet


def _installation_key() -> tuple[str, bool]:
    """(key, settled): a key for this installation read from file metadata only, no file's content. It covers the
    version, the Python, every folder of the import path but the current one with its change time (installing or
    upgrading a package changes its folder's) and the path, size, times and inode of each file the digest reads.
    ``settled``: no file changed within SETTLED_NS, so a file edited after the key is taken gets another key (as git's
    index)."""
    key = hashlib.sha256(f"{__version__}\0{sys.version}\0{sys.executable}\0".encode())
    try:
        here = os.getcwd()
    except OSError:  # the current folder was deleted: nothing is imported from it either
        here = ""
    newest = 0
    for entry in sys.path:
        if entry in ("", here):  # the current folder (python -m): a render into it changes it; it holds no dependency
            continue
        try:
            info = os.stat(entry)
        except OSError:
            continue
        key.update(f"path {entry}\0{info.st_mtime_ns}\0{info.st_ino}\0".encode())
    for label, _, path in _generator_files():
        info = os.stat(path)
        newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
        key.update(f"{label} {path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\0".encode())
    return key.hexdigest(), time.time_ns() - newest > SETTLED_NS


@lru_cache(maxsize=1)
def installation() -> dict:
    """{"digest": generator digest, "versions": {dependency: version}}, remembered in the cache folder under the
    installation key, so that a command does not read every file of the package and ask importlib.metadata for
    each dependency (~40 ms) when nothing was installed or edited since the last one."""
    key, settled = _installation_key()
    entry = cache_dir() / "installation" / f"{key}.json"
    found = read_json(entry)
    if _is_installation(found):
        return found
    versions = {name: _metadata_version(name) for name in DEPENDENCIES}
    value = {"digest": _digest(versions), "versions": versions}
    if settled:
        write_json(entry, value)
    return value


def _is_installation(value) -> bool:
    """``value`` is what installation stores (the cache folder is only ever trusted as far as it is checked)."""
    return (isinstance(value, dict) and isinstance(value.get("digest"), str) and len(value["digest"]) == 64
            and isinstance(value.get("versions"), dict) and set(value["versions"]) == set(DEPENDENCIES)
            and all(isinstance(v, str) for v in value["versions"].values()))


def read_json(path: Path):
    """The JSON value stored at ``path``, or None when it is absent or unreadable; a file read is noted as used (its
    modification time, once a day), which keeps it from pruning."""
    try:
        with open(path, "rb") as file:
            data = file.read()
            modified = os.fstat(file.fileno()).st_mtime
        if modified < time.time() - DAY:
            os.utime(path)
        return json.loads(data)
    except (OSError, ValueError):
        return None


def write_json(path: Path, value) -> None:
    """Store ``value`` at ``path`` atomically (best effort: a failure to write is ignored)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        _replace(tmp, path)
    except (OSError, TypeError, ValueError):
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return
    prune_daily(cache_dir())


def prune_daily(folder: Path) -> None:
    """Delete the entry files of ``folder`` that nobody used for KEEP_DAYS, the temporary files of writes that died and
    what earlier versions kept there; at most once a day (PRUNED notes when). Best effort: what cannot be read or
    deleted stays."""
    marker = folder / PRUNED
    started = time.time()
    try:
        if started - DAY < marker.stat().st_mtime <= started:
            return
    except OSError:
        pass  # never pruned
    try:
        marker.write_bytes(b"")  # first: a second command the same day does not prune again
        with os.scandir(folder) as entries:
            found = [(entry.path, entry.name) for entry in entries]
        for where, name in found:
            if name in ENTRY_FOLDERS and os.path.isdir(where) and not os.path.islink(where):
                _prune_entries(where, ENTRY_FOLDERS[name], started)
            elif name in RETIRED and os.path.isfile(where) and not os.path.islink(where):
                os.unlink(where)
    except OSError:
        pass


def _prune_entries(where: str, depth: int, started: float) -> None:
    """Below ``where`` (``depth`` levels of two-character subfolders): entry files unused for KEEP_DAYS, temporary
    files older than a day."""
    try:
        with os.scandir(where) as entries:
            listed = list(entries)
    except OSError:
        return
    for entry in listed:
        try:
            if depth and len(entry.name) == 2 and entry.is_dir(follow_symlinks=False):
                _prune_entries(entry.path, depth - 1, started)
            elif not depth and entry.is_file(follow_symlinks=False):
                age = started - entry.stat(follow_symlinks=False).st_mtime
                if (_ENTRY_NAME.fullmatch(entry.name) and age > KEEP_DAYS * DAY) or (_LEFT_BY_A_WRITE.fullmatch(entry.name) and age > DAY):
                    os.unlink(entry.path)
        except OSError:
            continue
