"""Opening an output folder: take its lock, then finish or undo what an interrupted command left (journal.py)."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .recovery import pending_state, recover
from .lock import STATE_DIR, FolderLock
from .writer import Targets


def _to_stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _recover(root: Path, note: Callable[[str], None]) -> None:
    line = recover(os.fspath(root), Targets(root))
    if line:
        note(line)


def _interrupted(root: Path) -> bool:
    return os.path.isdir(os.path.join(root, STATE_DIR)) and pending_state(os.fspath(root)) is not None


def _hold(root: Path, write: bool, note: Callable[[str], None]) -> FolderLock:
    while True:
        lock = FolderLock(root, exclusive=write)
        lock.acquire()
        try:
            if not _interrupted(root):
                return lock
            if write or lock.fd is None:  # writing, or a folder too read-only to lock (the recovery says why it fails)
                _recover(root, note)
                return lock
        except BaseException:
            lock.release()
            raise
        lock.release()  # a reader found an interrupted transaction: recover it holding the lock exclusively
        writer = FolderLock(root, exclusive=True)
        writer.acquire()
        try:
            _recover(root, note)
        finally:
            writer.release()


@contextmanager
def open_folder(root: str | os.PathLike, *, write: bool, note: Callable[[str], None] = _to_stderr) -> Iterator[None]:
    """Hold ``root``'s lock (exclusive to ``write``, shared to read) with no interrupted transaction left in it;
    ``note`` gets the line that says a recovery happened (default: printed on stderr)."""
    lock = _hold(Path(root), write, note)
    try:
        yield
    finally:
        lock.release()
