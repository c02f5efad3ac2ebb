"""Plain-words reports of a plan for the terminal: what render did, what check found, why a render stopped."""

from __future__ import annotations

from ..file_fanout import account_ids, listed, listed_diffs, named, others_note
from .manifest import MANIFEST_PATH
from .plan import FileAction

STATUS_WORDS = {"drift": "out of date", "manifest": "manifest only", "conflict": "hand-edited"}

KEEP_AN_EDIT = (
    "To keep an edit, move it out of the generated file: into a file of your own (any other *.tf) or into a "
    "*_override.tf file, which Terraform merges into the generated blocks; baselinegen never touches those. "
    "For a change of the baseline itself, change the profile. To discard the edits, render again with --force."
)


def unified_diff(action: FileAction) -> str:
    """The file on disk against what baselinegen writes (or deletes)."""
    from ..review.diffs import unified_diff as review_diff  # the review package is only needed for a diff

    new = action.new if action.action != "delete" else None
    labels = (f"{action.path} (on disk)", f"{action.path} (baselinegen)" if new is not None else "/dev/null")
    return review_diff(action.path, _decoded(action.disk) or "", _decoded(new), labels)


def _decoded(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", errors="replace")


def conflict_report(conflicts: list[FileAction]) -> str:
    parts = []
    for action in conflicts:
        parts.append(f"conflict  {action.path}: {action.reason}")
        if action.disk is not None:
            parts.append(unified_diff(action).rstrip("\n"))
    parts.append(KEEP_AN_EDIT)
    return "\n".join(parts)


def action_line(action: FileAction, path: str | None = None, accounts: tuple[str, ...] = ()) -> str:
    """``update    main.tf  (reason)``; with ``accounts``, the line of the same action on ``path`` in each of them."""
    return f"{action.action:9} {path or action.path}" + _notes(action.reason if action.action != "conflict" else "", accounts)


def _notes(reason: str, accounts: tuple[str, ...]) -> str:
    """``  (reason; in N accounts: …)``, or nothing."""
    notes = ([reason] if reason else []) + ([f"in {named(accounts)}"] if accounts else [])
    return f"  ({'; '.join(notes)})" if notes else ""


def action_lines(actions: list[FileAction]) -> list[str]:
    """A line for each file a render writes, deletes or leaves as it is (the clean ones are not listed); the same
    action on the same file of many account roots is one line (file_fanout)."""
    shown = [a for a in actions if a.status != "clean"]
    return [action_line(one.item, one.path(one.item.path), one.accounts)
            for one in listed(shown, lambda a: a.path, lambda a, account: (a.action, a.reason))]


def drift_lines(actions: list[FileAction], manifest_changed: bool) -> list[str]:
    """One line per file that is not up to date, saying what a render would do to it (one line for the same
    in many account roots)."""
    shown = [a for a in actions if a.status != "clean"]
    out = []
    for one in listed(shown, lambda a: a.path, lambda a, account: (a.status, a.action, a.reason)):
        a = one.item
        out.append(f"{STATUS_WORDS[a.status]:14} {a.action:9} {one.path(a.path)}" + _notes(a.reason, one.accounts))
    if manifest_changed and not out:
        out.append(f"{'manifest only':14} {'update':9} {MANIFEST_PATH}")
    return out


def drift_diffs(actions: list[FileAction]) -> list[str]:
    """The diff of each file ``actions`` change; the same diff in many account roots (the account's own name and id
    aside) is shown once, for the first, with the others named after it."""
    diffs = {a.path: unified_diff(a).rstrip("\n") for a in actions}
    ids = account_ids((a.path, _decoded(a.new if a.new is not None else a.disk) or "") for a in actions if a.path.endswith("/providers.tf"))
    return [diffs[one.item.path] + (f"\n{others_note(one, diffs[one.item.path], ids)}" if one.accounts else "")
            for one in listed_diffs(actions, lambda a: a.path, lambda a: diffs[a.path], ids)]


def destroy_warning(addresses: tuple[str, ...]) -> list[str]:
    """Plain words for the resources a render removed from the configuration."""
    if not addresses:
        return []
    return [f"Terraform will destroy {len(addresses)} resource(s) at the next apply (they are no longer in the "
            "configuration; review the plan before applying):"] + [f"  - {address}" for address in addresses]
