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

Every command that opens the folder recovers first (``recover``), under the folder's exclusive lock. The journal is
read as untrusted (a pull request may add one): each path is checked like a manifest path."""

from __future__ import annotations

import json
import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import FileSystemError, OutputError, os_reason
from .lock import STATE_DIR

TMP_SUFFIX = ".baselinegen-tmp"
DELETED_SUFFIX = ".baselinegen-deleted"
FORMAT = "baselinegen-journal-1"
STATES = ("staging", "committed", "reverting")
_MAX_BYTES = 64 * 1024 * 1024

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
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(fsync_folder, folders):
            pass


def fsync_write(path: str, data: bytes) -> None:
    """Write ``data`` to a new file at ``path`` (never through a link) and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
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
    except FileNotFoundError:
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


# -- recovery -------------------------------------------------------------------------------------------------
def _refuse(path: str, what: str) -> OutputError:
    return OutputError(f"{path}: {what}; it must be the journal baselinegen writes. Delete it after checking the "
                       f"folder (files named *{TMP_SUFFIX} are new files of the interrupted render, *{DELETED_SUFFIX} old ones)")


def _read_journal(root: str, state: str, targets) -> Journal:
    path = journal_path(root, state)
    if os.path.islink(path):
        raise OutputError(f"{path}: is a symbolic link; refusing to read it")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise FileSystemError("read", path, os_reason(exc)) from None
    if len(raw) > _MAX_BYTES:
        raise _refuse(path, f"is larger than {_MAX_BYTES // (1024 * 1024)} MiB")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise _refuse(path, "is not valid JSON") from None
    lists = ("writes", "replaced", "deletes", "folders")
    if not isinstance(data, dict) or data.get("format") != FORMAT or not all(
            isinstance(data.get(key), list) and all(isinstance(item, str) for item in data[key]) for key in lists):
        raise _refuse(path, f"is not a {FORMAT} journal")
    for key in lists:
        for relative in data[key]:
            if relative.split("/")[0] == STATE_DIR and not relative == f"{STATE_DIR}/manifest.json":
                raise _refuse(path, f"{key}: names baselinegen's own folder")
            try:
                targets.checked(relative)  # inside the folder, no link on the way
            except OutputError as exc:
                raise _refuse(path, f"{key}: {exc}") from None
    if not set(data["replaced"]) <= set(data["writes"]):
        raise _refuse(path, "replaced: names a path that is not written")
    journal = Journal(root, data["writes"], set(data["replaced"]), data["deletes"], data["folders"])
    journal.state = state
    return journal


def pending_state(root: str) -> str | None:
    """The state of an unfinished journal in ``root`` (None: there is none)."""
    found = [state for state in STATES if os.path.lexists(journal_path(root, state))]
    if len(found) > 1:
        raise OutputError(f"{os.path.join(root, STATE_DIR)}: holds journals {', '.join(found)} at once; "
                          "only baselinegen writes them, one at a time: check the folder, then delete them")
    if found:
        return found[0]
    return "orphan" if os.path.lexists(os.path.join(root, STATE_DIR, "journal" + TMP_SUFFIX)) else None


def recover(root: str, targets) -> str | None:
    """Finish or undo the transaction an interrupted command left in ``root``; returns the line to print (None:
    nothing to do). Call it holding the folder's exclusive lock."""
    state = pending_state(root)
    if state is None:
        return None
    if state == "orphan":  # killed while writing the journal: nothing was staged yet
        _unlink(os.path.join(root, STATE_DIR, "journal" + TMP_SUFFIX))
        return None
    journal = _read_journal(root, state, targets)
    try:
        if state == "committed":
            journal.forward()
            journal.finish()
            return (f"baselinegen: {root}: completed an interrupted render ({len(journal.writes)} file(s) written, "
                    f"{len(journal.deletes)} deleted); the folder is what that render wrote")
        if state == "reverting":
            journal.revert()
        else:
            journal.discard()
    except OSError as exc:
        raise FileSystemError("write", _shown(exc, root), os_reason(exc),
                              "baselinegen: the interrupted render's journal is kept; run the command again") from None
    return f"baselinegen: {root}: rolled back an interrupted render; the folder is as it was before that render"


def _shown(exc: OSError, root: str) -> str:
    """The path an OSError is about, as the user knows it (a staged or moved-aside file: its target)."""
    path = exc.filename if isinstance(exc.filename, str) else root
    for suffix in (TMP_SUFFIX, DELETED_SUFFIX):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


shown_path = _shown
