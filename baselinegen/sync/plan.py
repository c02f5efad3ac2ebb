"""Classify every path before anything is written: the decision table of the regeneration design.

M = the hash recorded in the manifest, D = the file on disk, N = the new render (see README,
"Regeneration"). Each path gets one FileAction; ``apply`` in writer.py carries out the writes and
deletes, the manifest last."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FileSystemError, OutputError, os_reason
from . import sections
from .file_states import FileStates
from .manifest import Entry, Manifest, sha256
from .writer import Targets, quoted

if TYPE_CHECKING:  # rendered files are only passed through here: no need to load the templates' machinery
    from ..render.env import RenderedFile

WRITES = ("create", "update", "recreate")  # actions that write the new bytes
CLEAN = ("unchanged", "keep")
MANIFEST_ONLY = ("adopt", "forget", "yours")


@dataclass(frozen=True)
class FileAction:
    path: str
    action: str  # create update unchanged keep adopt recreate delete forget conflict yours
    mode: str  # managed, starter or sectioned
    row: int  # row of the decision table (1-11)
    disk: bytes | None = None  # the file on disk now (None: absent)
    new: bytes | None = None  # what the file becomes (None: deleted or left alone); for a conflict, what --force writes
    entry: Entry | None = None  # its manifest entry after the render (None: not recorded)
    reason: str = ""  # plain words for conflicts, recreations and deletions
    force: str = ""  # for a conflict, what --force does: "write" new, "delete" the file, "leave" it (dropped from the manifest)

    @property
    def status(self) -> str:
        """What ``check`` reports: clean, drift, manifest (drift of the manifest only) or conflict."""
        if self.action in CLEAN:
            return "clean"
        if self.action == "conflict":
            return self.action
        return "manifest" if self.action in MANIFEST_ONLY else "drift"


def _read(targets: Targets, relative: str, states: FileStates | None = None) -> bytes | None:
    """The file's bytes (None: absent); noted in ``states``."""
    target = targets.checked(relative)
    try:
        with open(target, "rb") as handle:
            data = handle.read()
        if states is not None:
            states.note(relative, targets.status(relative), data)
        return data
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        raise OutputError(f"{relative}: a folder is in the way of a file baselinegen owns") from None
    except OSError as exc:
        raise FileSystemError("read", target, os_reason(exc)) from None


HAND_EDITED = "edited by hand since the last render"
NOT_OURS = "a file baselinegen did not write is in the way"
NO_MANIFEST = ("; there is no manifest yet: if an earlier baselinegen rendered this folder, review the files and "
               "take them over with --force")


def _managed(path: str, recorded: Entry | None, disk: bytes | None, new: bytes | None) -> FileAction:
    entry = Entry("managed", sha256(new)) if new is not None else None
    on_disk = sha256(disk) if disk is not None else None
    if new is None:
        if disk is None:
            return FileAction(path, "forget", "managed", 11)
        if on_disk == recorded.sha256:
            return FileAction(path, "delete", "managed", 9, disk, reason="no longer generated; Terraform will destroy what it declared")
        return FileAction(path, "conflict", "managed", 10, disk, None, None, force="delete",
                          reason=f"no longer generated, but {HAND_EDITED}; it is not deleted")
    if recorded is None:
        if disk is None:
            return FileAction(path, "create", "managed", 1, None, new, entry)
        if disk == new:
            return FileAction(path, "adopt", "managed", 2, disk, new, entry)
        return FileAction(path, "conflict", "managed", 3, disk, new, entry, force="write", reason=NOT_OURS)
    if disk is None:
        return FileAction(path, "recreate", "managed", 8, None, new, entry, reason="was deleted by hand; it is written again")
    if on_disk == recorded.sha256:
        return FileAction(path, "unchanged" if disk == new else "update", "managed", 4 if disk == new else 5, disk, new, entry)
    if disk == new:
        return FileAction(path, "adopt", "managed", 6, disk, new, entry)
    return FileAction(path, "conflict", "managed", 7, disk, new, entry, force="write", reason=HAND_EDITED)


def _starter(path: str, recorded: Entry | None, disk: bytes | None, new: bytes | None) -> FileAction:
    """A starter file follows the render while it is as baselinegen wrote it (D = M); once changed (D != M) it is the
    user's: kept, with a note when the render changed since (N != M). M is always the hash of the last render, so a
    file that was already there is recorded as the render, not as found: it stays the user's."""
    if new is None:
        return FileAction(path, "forget", "starter", 11, disk, reason="no longer starter; left in place as your file" if disk is not None else "")
    entry = Entry("starter", sha256(new))
    if disk is None:
        return FileAction(path, "create" if recorded is None else "recreate", "starter", 1 if recorded is None else 8, None, new, entry)
    if recorded is None:
        return FileAction(path, "adopt", "starter", 2, disk, disk, entry, reason="" if disk == new else "yours: kept as it is")
    untouched = sha256(disk) == recorded.sha256
    if disk == new:
        return FileAction(path, "keep", "starter", 4, disk, disk, entry) if untouched else FileAction(path, "adopt", "starter", 6, disk, disk, entry)
    if untouched:
        return FileAction(path, "update", "starter", 5, disk, new, entry, reason=FOLLOWS)
    if entry == recorded:
        return FileAction(path, "keep", "starter", 7, disk, disk, recorded)
    return FileAction(path, "yours", "starter", 7, disk, disk, entry, reason=render_changed(disk, new))


FOLLOWS = "unchanged since baselinegen wrote it, so it follows the profile"
STARTER_NOW_GENERATED = "now generated from the profile (it was written once for you to edit)"


def render_changed(disk: bytes, new: bytes) -> str:
    """One line for a starter file the user changed when the render changed too: what the render has that the file
    lacks (or the other way round), to copy by hand."""
    mine = disk.decode("utf-8", errors="replace").splitlines()
    theirs = new.decode("utf-8", errors="replace").splitlines()
    mine_set, theirs_set = set(mine), set(theirs)
    added = [line.strip() for line in theirs if line.strip() and line not in mine_set]
    removed = [line.strip() for line in mine if line.strip() and line not in theirs_set]
    if added:
        what = f"{len(added)} line(s) of the render are not in your file, the first: `{quoted(added[0], 120)}`"
    elif removed:
        what = f"it no longer has {len(removed)} line(s) of your file, the first: `{quoted(removed[0], 120)}`"
    else:
        what = "only the order of its lines or blank lines differ"
    return f"yours since you changed it, so kept; the render changed since: {what}"


def _section_of(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return sections.owned_section(data.decode("utf-8"))
    except (UnicodeDecodeError, sections.SectionError):
        return None


def _sectioned(path: str, recorded: Entry | None, disk: bytes | None, new: bytes | None) -> FileAction:
    new_section = _section_of(new)
    entry = Entry("sectioned", sha256(new_section)) if new is not None else None
    disk_section = _section_of(disk)
    if disk is not None and disk_section is None:
        if new is None:
            return FileAction(path, "conflict", "sectioned", 10, disk, None, None, force="leave",
                              reason="no longer generated, and its baselinegen markers are gone; it is left alone")
        try:
            text = disk.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and sections.BEGIN not in text and sections.END not in text:
            forced, how = sections.append_section(text, new_section).encode(), "--force adds the generated section at its end"
        else:
            forced, how = new, "--force rewrites the whole file"
        return FileAction(path, "conflict", "sectioned", 3 if recorded is None else 7, disk, forced, entry, force="write",
                          reason=f"the marker lines {sections.BEGIN} / {sections.END} are missing or out of place; {how}")
    if new is None:
        if disk is None:
            return FileAction(path, "forget", "sectioned", 11)
        if sha256(disk_section) != recorded.sha256:
            return FileAction(path, "conflict", "sectioned", 10, disk, None, None, force="leave",
                              reason=f"no longer generated, but its section was {HAND_EDITED}; it is left alone")
        rest = sections.remove_section(disk.decode("utf-8"))
        return FileAction(path, "delete" if not rest.strip() else "update", "sectioned", 9, disk,
                          None if not rest.strip() else rest.encode(), None, reason="its baselinegen section is no longer generated")
    if disk is None:
        return FileAction(path, "create" if recorded is None else "recreate", "sectioned", 1 if recorded is None else 8, None, new, entry,
                          reason="" if recorded is None else "was deleted by hand; it is written again")
    spliced = sections.replace_section(disk.decode("utf-8"), new_section).encode()
    if recorded is None:
        if disk_section == new_section:
            return FileAction(path, "adopt", "sectioned", 2, disk, disk, entry)
        return FileAction(path, "conflict", "sectioned", 3, disk, spliced, entry, force="write",
                          reason="its section was not written by baselinegen")
    if sha256(disk_section) == recorded.sha256:
        if disk_section == new_section:
            return FileAction(path, "unchanged", "sectioned", 4, disk, disk, entry)
        return FileAction(path, "update", "sectioned", 5, disk, spliced, entry)
    if disk_section == new_section:
        return FileAction(path, "adopt", "sectioned", 6, disk, disk, entry)
    return FileAction(path, "conflict", "sectioned", 7, disk, spliced, entry, force="write", reason=f"its section was {HAND_EDITED}")


def _mode_changed(path: str, recorded: Entry, disk: bytes | None, new: bytes | None, mode: str) -> FileAction:
    """A file whose ownership mode changed (between versions, or starter -> managed when the profile now generates
    it): rewritten whole if it is as baselinegen left it; a starter file the user changed is refused like a hand edit;
    anything else is judged as a file baselinegen did not write."""
    if new is not None and disk is not None and sha256(disk) == recorded.sha256 and recorded.mode in ("managed", "starter"):
        entry = Entry(mode, sha256(_section_of(new)) if mode == "sectioned" else sha256(new))
        reason = STARTER_NOW_GENERATED + "; taken over, as you had not changed it" if recorded.mode == "starter" and disk != new else ""
        return FileAction(path, "unchanged" if disk == new else "update", mode, 5, disk, new, entry, reason=reason)
    action = CLASSIFIERS[mode](path, None, disk, new)
    if recorded.mode == "starter" and mode == "managed" and action.action == "conflict":
        return replace(action, row=7, reason=f"{STARTER_NOW_GENERATED}, but you changed it; it is not overwritten: move "
                                             "what you need into the profile, then render with --force")
    return action


CLASSIFIERS = {"managed": _managed, "starter": _starter, "sectioned": _sectioned}


def plan_files(root: Path, files: list[RenderedFile], manifest: Manifest | None, targets: Targets | None = None,
               states: FileStates | None = None) -> list[FileAction]:
    """One action per path of the new render and of the manifest, sorted by path (``targets``: the checker
    load_manifest used, so the paths it checked are not checked again; ``states``: what the files held when last read,
    so that a file that is as recorded and as rendered need not be read again)."""
    rendered = {f.path: f for f in files}
    recorded = manifest.files if manifest else {}
    actions = []
    targets = targets or Targets(root)
    for path in sorted(set(rendered) | set(recorded)):
        new = rendered.get(path)
        mode = new.mode if new else recorded[path].mode
        entry = recorded.get(path)
        data = new.content.encode("utf-8") if new else None
        if states is not None and data is not None and entry is not None and entry.mode == mode != "sectioned":
            as_noted = _as_noted(targets, states, path, entry, data)
            if as_noted is not None:
                actions.append(as_noted)
                continue
        disk = _read(targets, path, states)
        if entry is not None and entry.mode != mode:
            actions.append(_mode_changed(path, entry, disk, data, mode))
            continue
        action = CLASSIFIERS[mode](path, entry, disk, data)
        if manifest is None and action.action == "conflict":
            action = replace(action, reason=action.reason + NO_MANIFEST)
        actions.append(action)
    return actions


def _as_noted(targets: Targets, states: FileStates, path: str, entry: Entry, data: bytes) -> FileAction | None:
    """The action of a managed or starter file whose noted state says it is as recorded and as rendered (decision
    table row 4, as _managed and _starter give it), without reading it; None when that is not known."""
    targets.checked(path)
    digest = states.known(path, targets.status(path))
    if digest is None or digest != entry.sha256 or sha256(data) != digest:
        return None
    return FileAction(path, "unchanged" if entry.mode == "managed" else "keep", entry.mode, 4, data, data, entry)


def unchanged_actions(root: Path, manifest: Manifest, targets: Targets | None = None,
                      states: FileStates | None = None) -> list[FileAction] | None:
    """The actions of a render that produces exactly what ``manifest`` records (see sync/stamps.py), or None when a
    file is not as recorded (edited, deleted, replaced): then only a full render can say what to do. Starter files
    only need to exist: the render is what the manifest records, so an untouched one is as rendered and one the
    user changed is kept without a note (the render did not change)."""
    targets = targets or Targets(root)
    actions = []
    for path, entry in sorted(manifest.files.items()):
        disk = _read(targets, path, states)
        if disk is None:
            return None
        if entry.mode == "starter":
            actions.append(FileAction(path, "keep", "starter", 4, disk, disk, entry))
            continue
        owned = disk if entry.mode == "managed" else _section_of(disk)
        if owned is None or sha256(owned) != entry.sha256:
            return None
        actions.append(FileAction(path, "unchanged", entry.mode, 4, disk, disk, entry))
    return actions


FORCED = {"write": "update", "delete": "delete", "leave": "forget"}
FORCED_REASONS = {
    "write": "--force: the hand edit was overwritten",
    "delete": "--force: deleted despite the hand edit; Terraform will destroy what it declared",
    "leave": "--force: left in place as your file",
}


def forced(action: FileAction) -> FileAction:
    """A conflict resolved the way --force resolves it."""
    if action.action != "conflict":
        return action
    return replace(action, action=FORCED[action.force], new=action.new if action.force == "write" else None,
                   entry=action.entry if action.force == "write" else None, reason=FORCED_REASONS[action.force])
