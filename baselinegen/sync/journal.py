"""The intent journal: what makes a write of the output folder all-or-nothing, even when the process is killed.

Before the first staged file is written, the journal (the paths to write, which of them replace a file, the paths
to delete and the folders to create) is written and fsynced as ``.baselinegen/journal.staging``. Once every new
file is staged next to its target (``NAME.baselinegen-tmp``, fsynced, and so are their folders), the journal is
renamed ``journal.committed``: from then on the render is completed, never lost. Each old file is moved aside
(``NAME.baselinegen-deleted``), each staged file moved into place; then the old files are deleted, emptied folders
removed and the journal deleted. A failure while moving renames the journal ``journal.reverting`` and moves every
file back. Every step is a rename, so every state is one of a chain a recovery can walk in either direction:

- ``journal.staging`` found: the staged files are deleted: the folder is exactly as before the render;
- ``journal.committed``: the moves are completed: the folder is exactly what the render wrote;
- ``journal.reverting``: the moves are undone: the folder is exactly as before.

Every command that opens the folder recovers first (recovery.py), under the folder's exclusive lock."""

from __future__ import annotations

import json
import os
import signal
import threading

from .lock import STATE_DIR

TMP_SUFFIX = ".baselinegen-tmp"
DELETED_SUFFIX = ".baselinegen-deleted"
FORMAT = "baselinegen-journal-1"
STATES = ("staging", "committed", "reverting")

# Test hook: BASELINEGEN_TEST_KILL_AT=POINT[:N] sends SIGKILL to this process the N-th time (default 1st) it reaches
# POINT (journal, staged, committed, moved, moved-all, deleted). Read once; when unset the hook does nothing.
_KILL_AT = os.environ.get("BASELINEGEN_TEST_KILL_AT", "")
_reached: dict[str, int] = {}
_reached_lock = threading.Lock()


def checkpoint(point: str) -> None:
    if not _KILL_AT:
        return
    name, _, count = _KILL_AT.partition(":")
    if name != point:
        return
    with _reached_lock:
        _reached[point] = _reached.get(point, 0) + 1
        if _reached[point] == int(count or 1):
            os.kill(os.getpid(), signal.SIGKILL)


def journal_path(root: str, state: str) -> str:
    return os.path.join(root, STATE_DIR, f"journal.{state}")


def fsync_folder(folder: str) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, folder) from None
    finally:
        os.close(fd)


def fsync_folders(folders) -> None:
    """fsync every folder of ``folders`` (many at once: the file system overlaps them)."""
    folders = sorted(set(folders))
    if len(folders) < 4:
        for folder in folders:
            fsync_folder(folder)
        return
    from concurrent.futures import ThreadPoolExecutor  # here: a command that needs no pool does not import it
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(fsync_folder, folders):
            pass


def fsync_write(path: str, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to a new file at ``path`` (never through a link) and fsync it; ``exclusive``: fail if it exists."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from None
    finally:
        os.close(fd)


class Journal:
    """One transaction on ``root``: ``writes`` (relative paths, in order), the subset ``replaced`` that replace a
    file, ``deletes``, and the ``folders`` to create (parents first)."""

    def __init__(self, root: str, writes: list[str], replaced: set[str], deletes: list[str], folders: list[str]):
        self.root, self.writes, self.replaced, self.deletes, self.folders = root, writes, replaced, deletes, folders
        self.state = ""

    def target(self, relative: str) -> str:
        return os.path.join(self.root, *relative.split("/"))

    def text(self) -> str:
        return json.dumps({"format": FORMAT, "writes": self.writes, "replaced": sorted(self.replaced),
                           "deletes": self.deletes, "folders": self.folders}, ensure_ascii=False)

    # -- the states -------------------------------------------------------------------------------------------
    def begin(self) -> None:
        state_dir = os.path.join(self.root, STATE_DIR)
        pending = os.path.join(state_dir, "journal" + TMP_SUFFIX)
        try:
            fsync_write(pending, self.text().encode("utf-8"))
            os.rename(pending, journal_path(self.root, "staging"))
        except BaseException:
            _unlink(pending)
            raise
        self.state = "staging"
        fsync_folder(state_dir)
        checkpoint("journal")

    def _move_to(self, state: str) -> None:
        os.rename(journal_path(self.root, self.state), journal_path(self.root, state))
        self.state = state
        fsync_folder(os.path.join(self.root, STATE_DIR))

    def commit(self) -> None:
        self._move_to("committed")
        checkpoint("committed")

    # -- forward --------------------------------------------------------------------------------------------
    def forward(self) -> None:
        """Move every old file aside and every staged file into place (each step skipped when already done)."""
        touched = set()
        for relative in self.deletes:
            target = self.target(relative)
            if os.path.lexists(target):
                os.rename(target, target + DELETED_SUFFIX)
                checkpoint("moved")
            touched.add(os.path.dirname(target))
        for relative in self.writes:
            target = self.target(relative)
            if os.path.lexists(target + TMP_SUFFIX):
                if relative in self.replaced and os.path.lexists(target) and not os.path.lexists(target + DELETED_SUFFIX):
                    os.rename(target, target + DELETED_SUFFIX)
                    checkpoint("moved")
                os.rename(target + TMP_SUFFIX, target)
                checkpoint("moved")
            touched.add(os.path.dirname(target))
        fsync_folders(touched)
        checkpoint("moved-all")

    def finish(self) -> None:
        """Delete the old files moved aside, the folders deletions emptied, then the journal."""
        for relative in self.deletes + sorted(self.replaced):
            _unlink(self.target(relative) + DELETED_SUFFIX)
            checkpoint("deleted")
        for relative in self.deletes:
            _remove_empty_parents(self.root, os.path.dirname(self.target(relative)))
        os.unlink(journal_path(self.root, self.state))
        self.state = ""

    # -- backward -------------------------------------------------------------------------------------------
    def revert(self) -> None:
        """Undo every move (each step skipped when not done), then discard what was staged."""
        if self.state == "committed":
            self._move_to("reverting")
        for relative in reversed(self.writes):
            target = self.target(relative)
            if not os.path.lexists(target + TMP_SUFFIX) and os.path.lexists(target):
                os.rename(target, target + TMP_SUFFIX)
            if relative in self.replaced and os.path.lexists(target + DELETED_SUFFIX):
                os.rename(target + DELETED_SUFFIX, target)
        for relative in reversed(self.deletes):
            target = self.target(relative)
            if os.path.lexists(target + DELETED_SUFFIX):
                os.rename(target + DELETED_SUFFIX, target)
        self.discard()

    def discard(self) -> None:
        """Delete every staged file and the folders made for them: the folder is as before the transaction."""
        for relative in self.writes:
            _unlink(self.target(relative) + TMP_SUFFIX)
        for relative in reversed(self.folders):
            try:
                os.rmdir(self.target(relative))
            except FileNotFoundError:
                pass
            except OSError:
                if os.path.isdir(self.target(relative)) and not os.listdir(self.target(relative)):
                    raise
        if self.state:
            os.unlink(journal_path(self.root, self.state))
        _unlink(os.path.join(self.root, STATE_DIR, "journal" + TMP_SUFFIX))
        self.state = ""


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except (FileNotFoundError, NotADirectoryError):  # not there (a file in the way of its folder: not there either)
        pass


def _remove_empty_parents(root: str, folder: str) -> None:
    root = os.path.normpath(root)
    folder = os.path.normpath(folder)
    while folder != root and folder.startswith(root + os.sep if root != "." else ""):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder) or "."


def shown_path(exc: OSError, root: str) -> str:
    """The path an OSError is about, as the user knows it (a staged or moved-aside file: its target)."""
    path = exc.filename if isinstance(exc.filename, str) else root
    for suffix in (TMP_SUFFIX, DELETED_SUFFIX):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path

