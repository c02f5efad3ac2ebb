"""Plain-words reports of a plan for the terminal: what render did, what check found, why a render stopped."""

from __future__ import annotations

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

    def text(data: bytes | None) -> str | None:
        return None if data is None else data.decode("utf-8", errors="replace")

    new = action.new if action.action != "delete" else None
    labels = (f"{action.path} (on disk)", f"{action.path} (baselinegen)" if new is not None else "/dev/null")
    return review_diff(action.path, text(action.disk) or "", text(new), labels)


def conflict_report(conflicts: list[FileAction]) -> str:
    parts = []
    for action in conflicts:
        parts.append(f"conflict  {action.path}: {action.reason}")
        if action.disk is not None:
            parts.append(unified_diff(action).rstrip("\n"))
    parts.append(KEEP_AN_EDIT)
    return "\n".join(parts)


def action_line(action: FileAction) -> str:
    reason = f"  ({action.reason})" if action.reason and action.action != "conflict" else ""
    return f"{action.action:9} {action.path}{reason}"


def drift_lines(actions: list[FileAction], manifest_changed: bool) -> list[str]:
    """One line per file that is not up to date, saying what a render would do to it."""
    out = [f"{STATUS_WORDS[a.status]:14} {a.action:9} {a.path}" + (f"  ({a.reason})" if a.reason else "")
           for a in actions if a.status != "clean"]
    if manifest_changed and not out:
        out.append(f"{'manifest only':14} {'update':9} {MANIFEST_PATH}")
    return out


def destroy_warning(addresses: tuple[str, ...]) -> list[str]:
    """Plain words for the resources a render removed from the configuration."""
    if not addresses:
        return []
    return [f"Terraform will destroy {len(addresses)} resource(s) at the next apply (they are no longer in the "
            "configuration; review the plan before applying):"] + [f"  - {address}" for address in addresses]
