"""Write the rendered tree atomically: every file is staged first, then swapped in; any failure rolls
back what was swapped, so the output folder is left exactly as it was."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from ..errors import OutputError
from ..render.env import RenderedFile

TMP_SUFFIX = ".baselinegen-tmp"


def safe_target(root: Path, relative: str) -> Path:
    """The absolute path of ``relative`` inside ``root``; refuses anything that would leave it."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or not pure.parts or any(part in ("..", "") for part in pure.parts) or "\\" in relative:
        raise OutputError(f"{relative}: refusing a path outside the output folder")
    target = root.joinpath(*pure.parts)
    if root.exists():
        resolved_root = root.resolve()
        parent = target.parent
        while not parent.exists():
            parent = parent.parent
        if resolved_root != parent.resolve() and resolved_root not in parent.resolve().parents:
            raise OutputError(f"{relative}: a link leads outside the output folder; refusing to write there")
    if target.is_symlink():
        raise OutputError(f"{relative}: is a symbolic link; refusing to write through it")
    return target


def _fsync_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


DELETED_SUFFIX = ".baselinegen-deleted"


def apply_changes(root: Path, writes: dict[str, bytes], deletes: list[str], last: tuple[str, bytes] | None = None) -> None:
    """Write ``writes`` and delete ``deletes`` inside ``root`` as one transaction, ``last`` (the
    manifest) after everything else. Every new file is staged next to its target first; deleted files
    are moved aside until the end. Any failure puts every file back as it was."""
    ordered = sorted(writes.items()) + ([last] if last else [])
    created_dirs: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    swapped: list[tuple[Path, bytes | None]] = []
    moved_aside: list[tuple[Path, Path]] = []
    try:
        for relative, data in ordered:
            target = safe_target(root, relative)
            missing = [p for p in [target.parent, *target.parent.parents] if not p.exists()]
            for directory in reversed(missing):
                directory.mkdir()
                created_dirs.append(directory)
            tmp = target.with_name(target.name + TMP_SUFFIX)
            _fsync_write(tmp, data)
            staged.append((tmp, target))
        for relative in sorted(deletes):
            target = safe_target(root, relative)
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
    for f in files:
        target = safe_target(root, f.path)
        data = f.content.encode("utf-8")
        if not (target.is_file() and target.read_bytes() == data):
            writes[f.path] = data
    apply_changes(root, writes, [])
