"""baselinegen's cache folder: ``$BASELINEGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/baselinegen``, else
``~/.cache/baselinegen``. It holds data only, never code: python-hcl2 parse results (JSON in one SQLite file,
see validate/parse_cache.py), render stamps (sync/stamps.py) and validated profile sections
(profile/section_cache.py), each JSON file written atomically.

The cache is only ever a shortcut: a folder that cannot be read or written, or an entry that is not what
was stored, means the work is done again. Nothing in it is needed, so the folder can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

from .version import __version__
from .resources import profiles_dir, templates_dir

_replace = os.replace  # bound at import: tests that make os.replace fail in the output folder leave the cache alone

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
    from importlib.metadata import PackageNotFoundError, version  # on first use: most commands never ask

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


@lru_cache(maxsize=1)
def generator_digest() -> str:
    """SHA-256 of everything that decides what this baselinegen makes of a profile: its version, its code, its
    templates and presets, the Python version and the versions of the packages in DEPENDENCIES. Computed from
    the files' contents (a checkout edited without a version bump gets a new digest)."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version_info[:2]}\0".encode())
    for name in DEPENDENCIES:
        digest.update(f"{name}={package_version(name)}\0".encode())
    package = Path(__file__).resolve().parent
    folders = [("code", package, "*.py"), ("templates", templates_dir(), "*"), ("profiles", profiles_dir(), "*")]
    for label, folder, pattern in folders:
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def read_json(path: Path):
    """The JSON value stored at ``path``, or None when it is absent or unreadable."""
    try:
        return json.loads(path.read_bytes())
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
