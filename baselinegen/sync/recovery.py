"""Recovery: finish or undo the transaction a killed command left in an output folder (see journal.py).

The journal is read as untrusted (a pull request may add one to a repository): its format is checked, and each path
like a manifest path (inside the folder, no link on the way, never baselinegen's own files but the manifest)."""

from __future__ import annotations

import json
import os

from ..errors import FileSystemError, OutputError, os_reason
from .journal import DELETED_SUFFIX, FORMAT, STATES, TMP_SUFFIX, Journal, _unlink, journal_path, shown_path
from .lock import STATE_DIR

_MAX_BYTES = 64 * 1024 * 1024


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
        raise FileSystemError("write", shown_path(exc, root), os_reason(exc),
                              "baselinegen: the interrupted render's journal is kept; run the command again") from None
    return f"baselinegen: {root}: rolled back an interrupted render; the folder is as it was before that render"
