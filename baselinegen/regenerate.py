"""Regeneration: render in memory, classify every file against the manifest and the disk, then
``render`` applies the plan atomically, ``check`` reports it and ``diff`` shows it to a reviewer."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

from .version import __version__
from .errors import ConflictError, FileSystemError, OutputError, Problem, ProfileError, UserError, os_reason
from .deviations import is_accepted
from .findings import AcceptedFinding
from .sync.manifest import MANIFEST_PATH, Manifest, load_manifest, sha256
from .sync import stamps
from .sync.file_states import FileStates
from .sync.plan import WRITES, FileAction, forced, plan_files, unchanged_actions
from .sync.session import open_folder
from .sync.writer import Targets, apply_changes, quoted


@dataclass
class Plan:
    """Every file's action, the manifest before and after, and what the profile produced."""

    root: Path
    actions: list[FileAction]
    manifest: Manifest  # as it will be written
    previous: Manifest | None  # as found on disk
    warnings: list[Problem] = field(default_factory=list)
    accepted_findings: list[AcceptedFinding] = field(default_factory=list)
    stamped: bool = False  # made from a render stamp, without rendering: the folder is as the last render left it
    requirement: str = ""  # the profile's ci.baselinegen (what the starter CI files install)

    @property
    def conflicts(self) -> list[FileAction]:
        return [a for a in self.actions if a.action == "conflict"]

    @property
    def manifest_changed(self) -> bool:
        path = self.root / MANIFEST_PATH
        try:
            return path.is_symlink() or not path.is_file() or path.read_bytes() != self.manifest.text().encode("utf-8")
        except OSError:
            return True

    @property
    def drift(self) -> list[FileAction]:
        """Every action that is not clean (what ``check`` lists)."""
        return [a for a in self.actions if a.status != "clean"]

    @property
    def up_to_date(self) -> bool:
        return not self.drift and not self.manifest_changed

    def resolved(self) -> Plan:
        """This plan with every conflict resolved the way --force resolves it."""
        actions = [forced(a) for a in self.actions]
        return Plan(self.root, actions, _manifest(actions, self.manifest), self.previous, self.warnings, self.accepted_findings,
                    requirement=self.requirement)

    def trees(self, wanted=lambda path: True) -> tuple[dict[str, str], dict[str, str]]:
        """(files on disk now, files after the render) as path -> text, for a review (the ``wanted`` paths only)."""
        def text(data: bytes) -> str:
            return data.decode("utf-8", errors="replace")

        before, after = {}, {}
        for action in self.actions:
            if not wanted(action.path):
                continue
            if action.disk is not None:
                before[action.path] = text(action.disk)
            a = forced(action)  # as resolved() has it
            if a.action in WRITES:
                after[a.path] = text(a.new)
            elif a.action != "delete" and a.disk is not None:
                after[a.path] = text(a.disk)
        return before, after

    def destroyed(self) -> tuple[str, ...]:
        """The Terraform addresses this render removes from the configuration (not covered by a moved block)."""
        if not any(a.action in WRITES + ("delete",) and a.path.endswith(".tf") and a.disk is not None for a in self.actions):
            return ()
        changed = {posixpath.dirname(a.path) for a in map(forced, self.actions)  # as trees() resolves conflicts
                   if a.action in WRITES + ("delete",) and a.path.endswith(".tf")}
        from .review.tree import keeps_every_address  # the review engine itself only when this does not settle it

        # the usual case first, from the changed folders' files only: every address they declared is still declared
        below = tuple(f"{folder}/" for folder in changed if folder)  # most paths are in no changed folder: said quickly
        before, after = self.trees(lambda path: ("" in changed or path.startswith(below)) and posixpath.dirname(path) in changed)
        if all(keeps_every_address(before, after, folder) for folder in changed):
            return ()
        from .review import destroyed_between

        return destroyed_between(*self.trees())

    def review(self):
        """What the render changes, for a reviewer (conflicts shown as --force would resolve them, with a note)."""
        from .review import build_review

        review = build_review(*self.trees())
        notes = tuple(f"`{a.path}`: {a.reason}. `render` stops on it; the diff shows what `--force` would write."
                      for a in self.conflicts)
        notes += tuple(f"`{a.path}`: {a.reason}." for a in self.actions if a.action == "yours")  # kept: not in the diff
        return replace(review, notes=notes + review.notes, empty=review.empty and not notes)


def stale_pins(plan: Plan) -> list[str]:
    """A note for every CI file on disk that a render leaves as it is (the user changed it) and whose requirement is
    not the profile's ``ci.baselinegen``, or pins another baselinegen than this one. A file exactly as this render
    makes it installs the profile's requirement, so its only possible note is the profile's own W438 (another version
    pinned): without that warning, such files are not read (nor the requirements parser imported)."""
    other_version = any(w.code == "W438" for w in plan.warnings)
    kept = [a for a in plan.actions if a.mode == "starter" and a.disk is not None and a.action not in WRITES
            and (other_version or a.entry is None or sha256(a.disk) != a.entry.sha256)]
    if not kept:
        return []
    from .components.ci.requirement import installed_by, pin_note

    notes = []
    for action in kept:
        found = installed_by(action.path, action.disk.decode("utf-8", errors="replace"))
        note = pin_note(action.path, found, plan.requirement, __version__) if found is not None and plan.requirement else None
        if note is not None:
            notes.append(note)
    return notes


def _manifest(actions: list[FileAction], template: Manifest) -> Manifest:
    files = {a.path: a.entry for a in actions if a.entry is not None}  # a conflict's entry: as --force leaves it
    return Manifest(files=files, generator_version=template.generator_version, profile_path=template.profile_path,
                    profile_sha256=template.profile_sha256)


def _relative_profile_path(profile_path: Path, root: Path) -> str:
    try:
        return PurePath(os.path.relpath(profile_path.resolve(), root.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return profile_path.resolve().as_posix()


def profile_outside(relative_profile: str) -> bool:
    """The profile does not live in the output folder (so the generated CI cannot read it)."""
    return relative_profile.startswith(("../", "/")) or relative_profile == ".."


def profile_from_manifest(out_dir: str | os.PathLike) -> Path:
    """The profile recorded in ``out_dir``'s manifest (for ``check -o DIR`` without a profile). The manifest is
    untrusted (a pull request may change it): a profile outside the folder, or reached through a link that leads
    out of it, is refused before anything is read."""
    root = Path(out_dir)
    manifest = load_manifest(root) if root.is_dir() else None
    if manifest is None or not manifest.profile_path:
        raise OutputError(f"{root / MANIFEST_PATH}: not found, so the profile is not known; name the profile: "
                          f"baselinegen check PROFILE -o {out_dir}")
    recorded = manifest.profile_path
    parts = recorded.split("/")
    where = f"{root / MANIFEST_PATH}: profile.path {quoted(recorded)}"
    name_it = f"name the profile instead: baselinegen check PROFILE -o {out_dir}"
    if recorded.startswith("/") or "\\" in recorded or ".." in parts or "\0" in recorded or (len(recorded) > 1 and recorded[1] == ":"):
        raise OutputError(f"{where} is outside the folder; check reads only a profile inside it ({name_it})")
    path = os.path.join(root, *parts)
    resolved, inside = os.path.realpath(path), os.path.realpath(root)
    if not resolved.startswith(inside.rstrip(os.sep) + os.sep):
        raise OutputError(f"{where} leads outside the folder through a symbolic link; check reads only a profile "
                          f"inside it ({name_it})")
    return Path(path)


def plan_render(profile_path: str | os.PathLike, out_dir: str | os.PathLike, *, strict: bool = False) -> Plan:
    """Load, render, verify and classify; nothing is written. A folder that a render with exactly these inputs
    left as it is gets its plan without rendering (see sync/stamps.py)."""
    root = Path(out_dir)
    relative_profile = _relative_profile_path(Path(profile_path), root)
    unchanged = _unchanged_plan(Path(profile_path), root, relative_profile)
    if unchanged is not None:
        blocking = [w for w in unchanged.warnings if not is_accepted(w)]  # a warning an exception accepts passes --strict
        if strict and blocking:
            raise ProfileError(blocking, strict=True)
        return unchanged
    from .validate.parse_ahead import parsing_ahead

    with parsing_ahead():  # started first: it loads python-hcl2 while this process imports, loads and renders
        from . import pipeline  # the components are imported when something is rendered

        loaded = pipeline.load_profile(profile_path, strict=strict)
        result = pipeline.render_tree(loaded.profile, profile_path=None if profile_outside(relative_profile) else relative_profile)
    verdict = pipeline.verify_beside(result, loaded.profile)  # checked while the files are compared with the disk
    try:
        if root.exists() and not root.is_dir():
            raise FileSystemError("write", str(root), "exists and is not a folder")
        targets = Targets(root)
        previous = load_manifest(root, targets) if root.exists() else None
        states = FileStates(root)
        actions = plan_files(root, result.files, previous, targets, states)
        states.save()
    except UserError:
        verdict()  # a render that failed its checks is reported first, as if it had been checked first
        raise
    verdict()
    try:
        profile_bytes = Path(profile_path).read_bytes()
    except OSError as exc:
        raise FileSystemError("read", str(profile_path), os_reason(exc)) from None
    template = Manifest(generator_version=__version__, profile_path=relative_profile, profile_sha256=sha256(profile_bytes))
    return Plan(root, actions, _manifest(actions, template), previous, loaded.warnings, result.accepted_findings,
                requirement=loaded.profile.ci.baselinegen)


def _stamp_key(plan: Plan, profile_path: Path) -> str | None:
    try:
        profile = profile_path.read_bytes()
    except OSError:
        return None
    return stamps.stamp_key(profile, str(profile_path), plan.manifest.profile_path, plan.manifest.text().encode("utf-8"))


def _record_stamp(plan: Plan, profile_path: Path) -> None:
    """Remember that ``plan.root`` now holds what this profile renders to: after the plan was applied, or
    when a check found the folder up to date."""
    key = _stamp_key(plan, profile_path)
    if key is not None:
        stamps.record(key, plan.warnings, plan.accepted_findings, plan.requirement)


def _unchanged_plan(profile_path: Path, root: Path, relative_profile: str) -> Plan | None:
    """The plan of a folder a render with these very inputs wrote and nobody changed since, or None."""
    try:
        manifest_bytes = (root / MANIFEST_PATH).read_bytes()
        profile = profile_path.read_bytes()
        found = stamps.recall(stamps.stamp_key(profile, str(profile_path), relative_profile, manifest_bytes))
        if found is None:
            return None
        targets = Targets(root)
        previous = load_manifest(root, targets)
        states = FileStates(root)
        actions = unchanged_actions(root, previous, targets, states) if previous is not None else None
        states.save()
    except (OSError, UserError):
        return None  # the full render reports whatever is wrong
    if actions is None:
        return None
    warnings, accepted_findings, requirement = found
    return Plan(root, actions, previous, previous, warnings, accepted_findings, stamped=True, requirement=requirement)


def apply_plan(plan: Plan) -> None:
    """Carry out the plan: writes and deletes in one transaction, the manifest last."""
    if plan.conflicts:
        raise ConflictError(plan.conflicts)
    writes = {a.path: a.new for a in plan.actions if a.action in WRITES}
    deletes = [a.path for a in plan.actions if a.action == "delete"]
    manifest = (MANIFEST_PATH, plan.manifest.text().encode("utf-8")) if plan.manifest_changed else None
    if writes or deletes or manifest:
        apply_changes(plan.root, writes, deletes, last=manifest)


def render(profile_path: str | os.PathLike, out_dir: str | os.PathLike, *, dry_run: bool = False, strict: bool = False,
           force: bool = False) -> Plan:
    """Render the profile into ``out_dir``. Nothing is written unless every step succeeds and no file
    holds a hand edit (``force`` overwrites those). Returns the plan that was (or, dry run, would be) applied.
    The folder is locked for the whole command (see sync/lock.py)."""
    with open_folder(out_dir, write=not dry_run):
        plan = plan_render(profile_path, out_dir, strict=strict)
        if force:
            plan = plan.resolved()
        if not dry_run:
            apply_plan(plan)
            if not plan.stamped:
                _record_stamp(plan, Path(profile_path))
    return plan


def check(profile_path: str | os.PathLike | None, out_dir: str | os.PathLike, *, strict: bool = False) -> Plan:
    """The plan a render would carry out (``plan.up_to_date`` is the verdict); nothing is written.
    Without ``profile_path`` the profile recorded in the manifest is used."""
    with open_folder(out_dir, write=False):
        profile = Path(profile_path) if profile_path is not None else profile_from_manifest(out_dir)
        plan = plan_render(profile, out_dir, strict=strict)
    if plan.up_to_date and not plan.stamped:
        _record_stamp(plan, profile)
    return plan


def diff(profile_path: str | os.PathLike | None, out_dir: str | os.PathLike, *, strict: bool = False):
    """(plan, review): what a render would change, file by file and resource by resource."""
    plan = check(profile_path, out_dir, strict=strict)
    return plan, plan.review()
