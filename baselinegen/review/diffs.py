"""Unified diffs of the files that differ between the two trees."""

from __future__ import annotations

import difflib

from .model import FileDiff

_NO_NEWLINE = "\\ No newline at end of file\n"


def file_diffs(old: dict[str, str], new: dict[str, str]) -> tuple[FileDiff, ...]:
    out = []
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path), new.get(path)
        if a == b:
            continue
        status = "added" if a is None else "removed" if b is None else "modified"
        out.append(FileDiff(path, status, unified_diff(path, a, b)))
    return tuple(out)


def unified_diff(path: str, old: str | None, new: str | None, labels: tuple[str, str] | None = None) -> str:
    """``git diff``-style text: ``--- a/path`` / ``+++ b/path`` (``/dev/null`` for an added or removed file),
    or the given (from, to) labels."""
    fromfile, tofile = labels or ("/dev/null" if old is None else f"a/{path}", "/dev/null" if new is None else f"b/{path}")
    lines = difflib.unified_diff(_lines(old), _lines(new), fromfile=fromfile, tofile=tofile, n=3)
    out = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n" + _NO_NEWLINE)
    return "".join(out)


def _lines(text: str | None) -> list[str]:
    """Lines with their newline; only a line feed ends a line, as in git."""
    if text is None:
        return []
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def line_counts(diff: str) -> tuple[int, int]:
    """(lines added, lines removed) of a unified diff."""
    added = removed = 0
    in_hunk = False
    for line in diff.split("\n"):
        if line.startswith("@@"):
            in_hunk = True
        elif in_hunk and line.startswith("+"):
            added += 1
        elif in_hunk and line.startswith("-"):
            removed += 1
    return added, removed
