"""A folder's exact state, for before/after comparisons: every entry with its kind and bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def folder_state(root: Path) -> dict[str, object]:
    """Every file (its bytes), folder ("dir") and symbolic link ("-> target") under ``root``; {} when it is absent."""
    state: dict[str, object] = {}
    if not os.path.lexists(root):
        return state
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if os.path.islink(path):
                state[relative] = "-> " + os.readlink(path)
            elif os.path.isdir(path):
                state[relative] = "dir"
            else:
                with open(path, "rb") as handle:
                    state[relative] = handle.read()
    return state


def cli(*args, cwd: Path | None = None, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m baselinegen ARGS`` in a fresh process, this worktree's code first."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "baselinegen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=environment, timeout=timeout)
