"""What an output folder's files held when baselinegen last read them: each file's status (size, change and
modification times, inode) with the hash of its bytes, kept in the user cache folder (usercache), so that a plan
does not read again a file nobody has touched since, as git's index spares reading a working tree.

A file's status changes whenever its bytes do: writing it sets its change time (ctime), which no program can set
back, and replacing it gives another inode. The one case a status cannot tell apart is a write within the same tick
of the file system's clock as the status that was read; so a status is only noted when both times are older than the
reading by more than a tick (``SETTLED_NS``: 0.1 s, 2 s on a file system that keeps whole seconds). A status that
differs in anything means reading the file, as without this table.

Only a cache: a table that cannot be read or written means reading every file; it is trusted like the other caches
of the user cache folder, which only its owner can write. The folder is named by its resolved absolute path.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

from ..json_table import JsonTable
from ..usercache import cache_dir
from .manifest import sha256

_FORMAT = "baselinegen-file-states-1"
_TABLE = JsonTable("file-states-1.sqlite3", accept=lambda value: isinstance(value, dict))
SETTLED_NS = 100_000_000  # a Linux file system's clock moves by a tick of at most 10 ms
SETTLED_WHOLE_SECONDS_NS = 2_000_000_000  # FAT keeps modification times to 2 s
FEW = 16  # files whose statuses are not worth storing the table again (see FileStates.save)


def _status(found: os.stat_result) -> list[int]:
    return [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev]


def _settled(found: os.stat_result, read_at_ns: int) -> bool:
    """Whether a later write to the file must change its status (see the module's docstring)."""
    whole_seconds = found.st_mtime_ns % 1_000_000_000 == 0 and found.st_ctime_ns % 1_000_000_000 == 0
    margin = SETTLED_WHOLE_SECONDS_NS if whole_seconds else SETTLED_NS
    return max(found.st_mtime_ns, found.st_ctime_ns) < read_at_ns - margin


class FileStates:
    """The noted statuses of one output folder's files: ``known`` answers from them, ``note`` adds what a plan read,
    ``save`` keeps them for the next command."""

    def __init__(self, root: Path):
        try:
            self._key = hashlib.sha256(f"{_FORMAT}\0{os.path.realpath(root)}".encode("utf-8", "surrogateescape")).hexdigest()
        except (OSError, ValueError):
            self._key = None
        self._folder = cache_dir()
        self._read_at = time.time_ns()  # before any file of this plan is read: a file written since is not settled
        stored = _TABLE.load(self._folder, [self._key]).get(self._key, {}) if self._key else {}
        self._noted: dict[str, list] = {path: entry for path, entry in stored.items() if _well_formed(entry)}
        self._new: dict[str, list] = {}

    def known(self, relative: str, found: os.stat_result | None) -> str | None:
        """The hash of ``relative``'s bytes when its status ``found`` (os.lstat) is the one noted with it; else None."""
        entry = self._noted.get(relative)
        if entry is None or found is None or not stat.S_ISREG(found.st_mode) or entry[:5] != _status(found):
            return None
        self._new[relative] = entry
        return entry[5]

    def note(self, relative: str, found: os.stat_result | None, data: bytes) -> None:
        """``relative``, whose status was ``found`` just before its bytes ``data`` were read (hashed only when kept)."""
        if found is not None and stat.S_ISREG(found.st_mode) and _settled(found, self._read_at):
            self._new[relative] = _status(found) + [sha256(data)]

    def save(self) -> None:
        """Keep the statuses this plan found or noted (those of the files it did not meet are dropped), unless they
        differ from the kept ones in a few files only (``FEW``): reading those again costs less than storing all."""
        if not self._key:
            return
        differ = sum(1 for path, entry in self._new.items() if self._noted.get(path) != entry)
        differ += sum(1 for path in self._noted if path not in self._new)
        if differ > max(FEW, len(self._new) // 64):
            _TABLE.store(self._folder, {self._key: self._new})


def _well_formed(entry: object) -> bool:
    return (isinstance(entry, list) and len(entry) == 6 and all(type(x) is int for x in entry[:5])
            and isinstance(entry[5], str))
