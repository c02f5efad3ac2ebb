"""Write the rendered tree as one transaction: every file is staged first, then swapped in (see journal.py); any
failure rolls back what was swapped, so the output folder is left exactly as it was."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FileSystemError, OutputError, os_reason
from .journal import TMP_SUFFIX, Journal, checkpoint, fsync_folders, fsync_write, shown_path
from .lock import NOT_A_FOLDER

if TYPE_CHECKING:  # rendered files are only passed through here: no need to load the templates' machinery
    from ..render.env import RenderedFile


def quoted(value: str, limit: int = 60) -> str:
    """``value`` for a message: JSON-quoted when it holds odd characters, cut to ``limit`` characters (with its length)."""
    shown = value if value.isprintable() and value.strip() == value and value else json.dumps(value, ensure_ascii=True)
    if len(shown) > limit:
        return f"{shown[:limit]}... ({len(value)} characters)"
    return shown


def relative_parts(relative: str) -> list[str]:
    """The parts of a path inside the output folder; refuses an absolute path, ``..``, a backslash or a NUL."""
    if relative.startswith("/") or "\\" in relative or "\0" in relative or ".." in relative.split("/"):
        raise OutputError(f"{quoted(relative)}: refusing a path outside the output folder")
    parts = [part for part in relative.split("/") if part not in ("", ".")]  # as PurePosixPath reads it
    if not parts:
        raise OutputError(f"{quoted(relative)}: refusing a path outside the output folder")
    return parts


class Targets:
    """Paths inside one output folder, each checked before use: refuses anything that would leave the folder and
    any symbolic link on the way, even one pointing inside it (a link is never written through). Remembers the
    folders it found, so use one instance for one operation only."""

    def __init__(self, root: Path):
        self.root = root
        self._root = os.path.normpath(os.fspath(root))
        self._kinds: dict[str, str] = {}  # a relative folder -> folder, link, other (a file) or missing
        self._checked: dict[str, str] = {}  # a relative path that passed -> its target
        self._statuses: dict[str, os.stat_result | None] = {}  # a relative path that passed -> its os.lstat (None: absent)
        self._passed: set[str] = set()  # relative folders whose way from the root was checked
        self._prefix = self._root if self._root.endswith("/") else self._root + "/"

    def __call__(self, relative: str) -> Path:
        return Path(self.checked(relative))

    def checked(self, relative: str) -> str:
        """``__call__`` as a plain string (no Path object for the thousands of files a plan reads). A path checked
        before by this instance is not checked again."""
        known = self._checked.get(relative)
        if known is not None:
            return known
        target = self._checked[relative] = self._check(relative)
        return target

    def _check(self, relative: str) -> str:
        parts = relative_parts(relative)
        parent = "/".join(parts[:-1])
        if parent and parent not in self._passed:
            self._check_folders(relative, parts)
            self._passed.add(parent)
        target = self._prefix + "/".join(parts)
        try:
            found = os.lstat(target)
        except (OSError, ValueError):  # absent, or not to be reached: reading or writing it says which
            found = None
        if found is not None and stat.S_ISLNK(found.st_mode):
            raise OutputError(f"{quoted(relative)}: is a symbolic link; refusing to write through it")
        self._statuses[relative] = found
        return target

    def _check_folders(self, relative: str, parts: list[str]) -> None:
        """Refuses a symbolic link among the folders on the way to ``relative``."""
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            kind = self._kinds.get(folder)
            if kind is None:
                kind = self._kinds[folder] = _kind(self._prefix + folder)
            if kind == "link":
                raise OutputError(f"{quoted(relative)}: the folder {folder} is a symbolic link; refusing to write through it"
                                  " (baselinegen writes only plain folders inside the output folder)")
            if kind != "folder":
                break  # missing (created as a plain folder) or a file in the way (reported when written)

    def status(self, relative: str) -> os.stat_result | None:
        """The os.lstat of ``relative`` when it was checked (None: absent, or not checked yet)."""
        return self._statuses.get(relative)


def _kind(path: str) -> str:
    """link, folder, other (a file) or missing: what ``path`` is, itself (one lstat)."""
    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError):
        return "missing"
    return "link" if stat.S_ISLNK(mode) else "folder" if stat.S_ISDIR(mode) else "other"


def safe_target(root: Path, relative: str) -> Path:
    """The absolute path of ``relative`` inside ``root``; refuses anything that would leave it."""
    return Targets(root)(relative)


_WRITERS = 8  # files staged at once: the file system overlaps their fsyncs


def _stage(jobs: list[tuple[str, bytes]]) -> None:
    """Write and fsync every staged file (many at once; the first failure is raised once all have finished)."""
    def stage(job: tuple[str, bytes]) -> None:
        fsync_write(*job)
        checkpoint("staged")

    if len(jobs) < 2 * _WRITERS:
        for job in jobs:
            stage(job)
        return
    from concurrent.futures import ThreadPoolExecutor  # here: a command that needs no pool does not import it
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        for _ in pool.map(stage, jobs):
            pass


def _missing_folders(root: str, relatives: list[str]) -> list[str]:
    """The folders to create for ``relatives`` (relative, parents first); a file where a folder must go is refused."""
    missing: dict[str, None] = {}
    seen: set[str] = set()
    for relative in relatives:
        parts = relative.split("/")[:-1]
        for depth in range(len(parts), 0, -1):
            folder = "/".join(parts[:depth])
            if folder in seen:
                break
            seen.add(folder)
            path = os.path.join(root, *parts[:depth])
            if os.path.isdir(path) and not os.path.islink(path):
                break
            if os.path.lexists(path):
                raise FileSystemError("write", path, NOT_A_FOLDER)
            missing[folder] = None
    return sorted(missing, key=lambda folder: (folder.count("/"), folder))


def apply_changes(root: Path, writes: dict[str, bytes], deletes: list[str], last: tuple[str, bytes] | None = None) -> None:
    """Write ``writes`` and delete ``deletes`` inside ``root`` as one transaction (see journal.py), ``last`` (the
    manifest) after everything else. Any failure puts every file back as it was; a process killed on the way leaves
    a journal the next command completes or rolls back. Raises FileSystemError when the system refuses a step."""
    ordered = sorted(writes.items()) + ([last] if last else [])
    root_name = os.fspath(root)
    if not os.path.isdir(root_name):
        raise FileSystemError("write", root_name, "exists and is not a folder" if os.path.lexists(root_name) else "No such file or directory")
    targets = Targets(root)
    for relative in [relative for relative, _ in ordered] + deletes:
        targets.checked(relative)
    replaced = {relative for relative, _ in ordered if os.path.lexists(targets.checked(relative))}
    folders = _missing_folders(root_name, [relative for relative, _ in ordered])
    journal = Journal(root_name, [relative for relative, _ in ordered], replaced, sorted(deletes), folders)
    try:
        journal.begin()
        for folder in folders:
            os.mkdir(journal.target(folder))
        _stage([(journal.target(relative) + TMP_SUFFIX, data) for relative, data in ordered])
        fsync_folders({os.path.dirname(journal.target(relative)) for relative, _ in ordered}
                      | {os.path.dirname(journal.target(folder)) for folder in folders})
        journal.commit()
    except BaseException as exc:
        _undo(journal, exc, journal.discard)
        raise
    try:
        journal.forward()
    except BaseException as exc:
        _undo(journal, exc, journal.revert)
        raise
    try:
        journal.finish()
    except OSError as exc:
        raise FileSystemError("write", shown_path(exc, root_name), os_reason(exc),
                              "baselinegen: the new files are in place; the next baselinegen command on this folder "
                              "finishes deleting the old ones") from None


def _undo(journal: Journal, exc: BaseException, undo) -> None:
    """Put the folder back after ``exc``; raise ``exc`` as a FileSystemError when it is the system's refusal. An
    undo step that fails is tried once more; if it fails again the journal stays for the next command."""
    failure = None
    for _ in range(2):
        try:
            undo()
            failure = None
            break
        except OSError as second:
            failure = second
    if not isinstance(exc, OSError):
        return
    note = ""
    if failure is not None:
        note = (f"baselinegen: could not put the folder back either (cannot write {shown_path(failure, journal.root)}: "
                f"{os_reason(failure)}); the next baselinegen command on this folder finishes restoring it")
    raise FileSystemError("write", shown_path(exc, journal.root), os_reason(exc), note) from None


def write_files(root: Path, files: list[RenderedFile]) -> None:
    """Write ``files`` (no manifest: for exports such as ``policies``), skipping unchanged ones."""
    writes = {}
    targets = Targets(root)
    for f in files:
        target = targets(f.path)
        data = f.content.encode("utf-8")
        try:
            same = target.is_file() and target.read_bytes() == data
        except OSError as exc:
            raise FileSystemError("read", str(target), os_reason(exc)) from None
        if not same:
            writes[f.path] = data
    if writes:
        apply_changes(root, writes, [])
