"""Compiled templates kept next to the package's own compiled Python, so a render does not compile every template
again (compiling them takes longer than rendering a small change).

The folder is ``baselinegen/__pycache__/templates-<key>/``: it has the trust of the ``.pyc`` files beside it (whoever
can write there can already change baselinegen's code), which is why it is not in the user cache folder, where
loading Jinja's pickled checksums and marshalled code would run whatever someone put there. ``<key>`` covers the
Jinja version and the environment's options; each entry also carries the Python version and its template's
checksum, so an edited template is compiled again. Like Python with its ``.pyc`` files, entries are read always
and written unless ``sys.dont_write_bytecode`` (PYTHONDONTWRITEBYTECODE); a folder that cannot be written, or an
entry that cannot be read, only means compiling again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

PACKAGE_CACHE = Path(__file__).resolve().parent.parent / "__pycache__"
_PREFIX = "templates-"
_READY: dict[Path, bool] = {}  # folder -> whether entries can be written there (decided once per process)


def cache_folder(options: dict) -> Path:
    import jinja2

    described = f"{jinja2.__version__}\0{sorted((k, repr(v)) for k, v in options.items())!r}"
    return PACKAGE_CACHE / f"{_PREFIX}{hashlib.sha256(described.encode()).hexdigest()[:16]}"


def bytecode_cache(folder: Path):
    """A jinja2 bytecode cache in ``folder`` that never fails a render."""
    import jinja2

    class QuietFileSystemBytecodeCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # unreadable or damaged: pickle and marshal raise many kinds
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            if sys.dont_write_bytecode or not _ready(folder):
                return
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return QuietFileSystemBytecodeCache(str(folder))


def _ready(folder: Path) -> bool:
    """Create ``folder`` (dropping the folders of other keys: their templates are out of date) once per process."""
    if folder in _READY:
        return _READY[folder]
    try:
        if not folder.is_dir():
            for other in folder.parent.glob(f"{_PREFIX}*"):
                shutil.rmtree(other, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        _READY[folder] = os.access(folder, os.W_OK)
    except OSError:
        _READY[folder] = False
    return _READY[folder]

