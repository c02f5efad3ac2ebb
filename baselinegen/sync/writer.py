"""Write the rendered tree atomically: every file is staged first, then swapped in; any failure rolls
back what was swapped, so the output folder is left exactly as it was."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import OutputError
from ..render.env import RenderedFile

TMP_SUFFIX = ".baselinegen-tmp"


@dataclass(frozen=True)
class FileAction:
    path: str
    action: str  # "create", "update", "unchanged", "keep" (seeded file already present)


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


def plan_writes(root: Path, files: list[RenderedFile]) -> list[FileAction]:
    actions = []
    for f in files:
        target = safe_target(root, f.path)
        if target.is_dir():
            raise OutputError(f"{f.path}: a directory is in the way of a generated file")
        if not target.exists():
            actions.append(FileAction(f.path, "create"))
        elif f.mode == "seeded":
            actions.append(FileAction(f.path, "keep"))
        elif target.read_bytes() == f.content.encode("utf-8"):
            actions.append(FileAction(f.path, "unchanged"))
        else:
            actions.append(FileAction(f.path, "update"))
    return actions


def _fsync_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def apply_writes(root: Path, files: list[RenderedFile], actions: list[FileAction]) -> None:
    """Stage every changed file next to its target, then swap them in; roll back on any failure."""
    content = {f.path: f.content.encode("utf-8") for f in files}
    todo = [a for a in actions if a.action in ("create", "update")]
    created_dirs: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    swapped: list[tuple[Path, bytes | None]] = []
    try:
        for action in todo:
            target = safe_target(root, action.path)
            missing = [p for p in [target.parent, *target.parent.parents] if not p.exists()]
            for directory in reversed(missing):
                directory.mkdir()
                created_dirs.append(directory)
            tmp = target.with_name(target.name + TMP_SUFFIX)
            _fsync_write(tmp, content[action.path])
            staged.append((tmp, target))
        for tmp, target in staged:
            previous = target.read_bytes() if target.exists() else None
            os.replace(tmp, target)
            swapped.append((target, previous))
    except BaseException as exc:
        _roll_back(staged, swapped, created_dirs)
        if isinstance(exc, OSError):
            raise OutputError(f"could not write the output folder ({exc}); nothing was changed") from exc
        raise


def _roll_back(staged, swapped, created_dirs) -> None:
    for target, previous in reversed(swapped):
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            _fsync_write(target, previous)
    for tmp, _ in staged:
        tmp.unlink(missing_ok=True)
    for directory in reversed(created_dirs):
        try:
            directory.rmdir()
        except OSError:
            pass
