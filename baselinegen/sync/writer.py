"""Write the rendered tree atomically: every file is staged first, then swapped in; any failure rolls
back what was swapped, so the output folder is left exactly as it was."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError

if TYPE_CHECKING:  # rendered files are only passed through here: no need to load the templates' machinery
    from ..render.env import RenderedFile

TMP_SUFFIX = ".baselinegen-tmp"


class Targets:
    """Paths inside one output folder, each checked before use: refuses anything that would leave the folder.
    Remembers the folders it found inside the output folder, so use one instance for one operation only."""

    def __init__(self, root: Path):
        self.root = root
        self._root = os.path.normpath(os.fspath(root))
        self._resolved_root: str | None = None
        self._inside: dict[str, bool] = {}  # an existing folder -> it resolves inside the output folder
        self._checked: dict[str, str] = {}  # a relative path that passed -> its target

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
        parts = [part for part in relative.split("/") if part not in ("", ".")]  # as PurePosixPath reads it
        if relative.startswith("/") or not parts or ".." in parts or "\\" in relative:
            raise OutputError(f"{relative}: refusing a path outside the output folder")
        target = os.path.join(self._root, *parts)
        if self._resolved_root is None and os.path.exists(self._root):
            self._resolved_root = os.path.realpath(self._root)
        if self._resolved_root is not None and not self._parent_inside(os.path.dirname(target)):
            raise OutputError(f"{relative}: a link leads outside the output folder; refusing to write there")
        if os.path.islink(target):
            raise OutputError(f"{relative}: is a symbolic link; refusing to write through it")
        return target

    def _parent_inside(self, parent: str) -> bool:
        known = self._inside.get(parent)
        if known is not None:
            return known
        if parent.startswith(self._root + os.sep) and os.path.isdir(parent) and not os.path.islink(parent):
            inside = self._inside[parent] = self._parent_inside(os.path.dirname(parent))  # a plain folder: as its parent
            return inside
        existing = parent
        while not os.path.exists(existing) and os.path.dirname(existing) != existing:
            existing = os.path.dirname(existing)
        resolved, root = os.path.realpath(existing), self._resolved_root
        inside = resolved == root or resolved.startswith(root if root.endswith(os.sep) else root + os.sep)
        if existing == parent:  # a folder that does not exist yet may be created as anything: not remembered
            self._inside[parent] = inside
        return inside


def safe_target(root: Path, relative: str) -> Path:
    """The absolute path of ``relative`` inside ``root``; refuses anything that would leave it."""
    return Targets(root)(relative)


def _fsync_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


DELETED_SUFFIX = ".baselinegen-deleted"
_WRITERS = 8  # files staged at once: the file system overlaps their fsyncs


def _stage(ordered: list[tuple[str, bytes]], staged: list[tuple[Path, Path]]) -> None:
    """Write and fsync every staged file (many at once; the first failure is raised once all have finished)."""
    jobs = [(tmp, data) for (tmp, _), (_, data) in zip(staged, ordered)]
    if len(jobs) < 2 * _WRITERS:
        for tmp, data in jobs:
            _fsync_write(tmp, data)
        return
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        for _ in pool.map(lambda job: _fsync_write(*job), jobs):
            pass


def apply_changes(root: Path, writes: dict[str, bytes], deletes: list[str], last: tuple[str, bytes] | None = None) -> None:
    """Write ``writes`` and delete ``deletes`` inside ``root`` as one transaction, ``last`` (the
    manifest) after everything else. Every new file is staged next to its target first; deleted files
    are moved aside until the end. Any failure puts every file back as it was."""
    ordered = sorted(writes.items()) + ([last] if last else [])
    targets = Targets(root)
    created_dirs: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    swapped: list[tuple[Path, bytes | None]] = []
    moved_aside: list[tuple[Path, Path]] = []
    try:
        existing: set[Path] = set()
        for relative, _ in ordered:
            target = targets(relative)
            missing = []
            directory = target.parent
            while directory not in existing and not directory.exists():
                missing.append(directory)
                directory = directory.parent
            for directory in reversed(missing):
                directory.mkdir()
                created_dirs.append(directory)
            existing.update(missing + [directory])
            staged.append((target.with_name(target.name + TMP_SUFFIX), target))
        _stage(ordered, staged)
        for relative in sorted(deletes):
            target = targets(relative)
            aside = target.with_name(target.name + DELETED_SUFFIX)
            os.replace(target, aside)
            moved_aside.append((aside, target))
        for tmp, target in staged:
            previous = target.read_bytes() if target.exists() else None
            os.replace(tmp, target)
            swapped.append((target, previous))
    except BaseException as exc:
        _roll_back(staged, swapped, moved_aside, created_dirs)
        if isinstance(exc, OSError):
            raise OutputError(f"could not write the output folder ({exc}); nothing was changed") from exc
        raise
    for aside, target in moved_aside:
        aside.unlink(missing_ok=True)
        _remove_empty_parents(root, target.parent)


def _remove_empty_parents(root: Path, directory: Path) -> None:
    while directory != root and root in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


def _roll_back(staged, swapped, moved_aside, created_dirs) -> None:
    for target, previous in reversed(swapped):
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            _fsync_write(target, previous)
    for aside, target in reversed(moved_aside):
        os.replace(aside, target)
    for tmp, _ in staged:
        tmp.unlink(missing_ok=True)
    for directory in reversed(created_dirs):
        try:
            directory.rmdir()
        except OSError:
            pass


def write_files(root: Path, files: list[RenderedFile]) -> None:
    """Write ``files`` (no manifest: for exports such as ``policies``), skipping unchanged ones."""
    writes = {}
    targets = Targets(root)
    for f in files:
        target = targets(f.path)
        data = f.content.encode("utf-8")
        if not (target.is_file() and target.read_bytes() == data):
            writes[f.path] = data
    apply_changes(root, writes, [])
