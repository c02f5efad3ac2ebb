"""Every row of the regeneration decision table (README "Regeneration"), for each ownership mode.

M = hash in the manifest, D = file on disk, N = new render (None: no longer generated)."""

from __future__ import annotations

import pytest

from baselinegen.render.env import RenderedFile
from baselinegen.sync.manifest import Entry, Manifest, sha256
from baselinegen.sync.plan import forced, plan_files
from baselinegen.sync.sections import BEGIN, END

OLD, NEW, EDIT = "x = 1\n", "x = 2\n", "x = 99\n"


def classify(tmp_path, *, mode="managed", recorded=None, disk=None, new=None, manifest=True):
    """The single FileAction for main.tf in this state."""
    if disk is not None:
        (tmp_path / "main.tf").write_text(disk)
    files = [RenderedFile("main.tf", new, mode)] if new is not None else []
    entries = {"main.tf": Entry(mode, sha256(recorded))} if recorded is not None else {}
    (action,) = plan_files(tmp_path, files, Manifest(files=entries) if manifest else None)
    return action


@pytest.mark.parametrize("row, recorded, disk, new, action, status", [
    (1, None, None, NEW, "create", "drift"),
    (2, None, NEW, NEW, "adopt", "manifest"),
    (3, None, EDIT, NEW, "conflict", "conflict"),
    (4, OLD, OLD, OLD, "unchanged", "clean"),
    (5, OLD, OLD, NEW, "update", "drift"),
    (6, OLD, NEW, NEW, "adopt", "manifest"),
    (7, OLD, EDIT, NEW, "conflict", "conflict"),
    (8, OLD, None, NEW, "recreate", "drift"),
    (9, OLD, OLD, None, "delete", "drift"),
    (10, OLD, EDIT, None, "conflict", "conflict"),
    (11, OLD, None, None, "forget", "manifest"),
])
def test_managed_files_follow_each_row_of_the_decision_table(tmp_path, row, recorded, disk, new, action, status):
    result = classify(tmp_path, recorded=recorded, disk=disk, new=new)
    assert (result.row, result.action, result.status) == (row, action, status)
    expected_entry = Entry("managed", sha256(new)) if new is not None else None
    assert result.entry == expected_entry


def test_the_conflict_reasons_say_what_happened_in_plain_words(tmp_path):
    assert classify(tmp_path, recorded=OLD, disk=EDIT, new=NEW).reason == "edited by hand since the last render"
    assert classify(tmp_path, recorded=OLD, disk=EDIT, new=None).reason == \
        "no longer generated, but edited by hand since the last render; it is not deleted"
    assert classify(tmp_path, recorded=None, disk=EDIT, new=NEW).reason == "a file baselinegen did not write is in the way"
    assert classify(tmp_path, recorded=None, disk=EDIT, new=NEW, manifest=False).reason == (
        "a file baselinegen did not write is in the way; there is no manifest yet: if an earlier baselinegen rendered "
        "this folder, review the files and take them over with --force")
    assert classify(tmp_path, recorded=OLD, disk=OLD, new=None).reason == \
        "no longer generated; Terraform will destroy what it declared"


@pytest.mark.parametrize("row, recorded, disk, new, action, forced_action", [
    (3, None, EDIT, NEW, "update", "write"),
    (7, OLD, EDIT, NEW, "update", "write"),
    (10, OLD, EDIT, None, "delete", "delete"),
])
def test_force_overwrites_or_deletes_a_conflicting_managed_file(tmp_path, row, recorded, disk, new, action, forced_action):
    conflict = classify(tmp_path, recorded=recorded, disk=disk, new=new)
    assert (conflict.row, conflict.force) == (row, forced_action)
    resolved = forced(conflict)
    assert (resolved.action, resolved.new) == (action, new.encode() if new else None)


@pytest.mark.parametrize("row, recorded, disk, new, action, status, written", [
    (1, None, None, NEW, "create", "drift", NEW),
    (2, None, NEW, NEW, "adopt", "manifest", None),
    (2, None, EDIT, NEW, "adopt", "manifest", None),  # a backend.tf the user already had is kept: it is theirs
    (4, NEW, NEW, NEW, "keep", "clean", None),
    (5, OLD, OLD, NEW, "update", "drift", NEW),  # untouched since it was written: it follows the render
    (6, OLD, NEW, NEW, "adopt", "manifest", None),  # the user made the render's change
    (7, NEW, EDIT, NEW, "keep", "clean", None),  # changed by the user, the render did not change: theirs, silently
    (7, OLD, EDIT, NEW, "yours", "manifest", None),  # changed by the user and the render changed: kept, with a note
    (8, OLD, None, NEW, "recreate", "drift", NEW),
    (11, OLD, EDIT, None, "forget", "manifest", None),  # no longer starter: left in place, now the user's
    (11, OLD, None, None, "forget", "manifest", None),
])
def test_starter_files_follow_the_render_until_the_user_changes_them(tmp_path, row, recorded, disk, new, action, status, written):
    result = classify(tmp_path, mode="starter", recorded=recorded, disk=disk, new=new)
    assert (result.row, result.action, result.status) == (row, action, status)
    assert (result.new if result.action in ("create", "update", "recreate") else None) == (written.encode() if written else None)
    if new is not None:  # the manifest records the render, never the user's bytes: a changed file stays the user's
        assert result.entry == Entry("starter", sha256(new))


def test_a_starter_file_the_user_changed_says_in_one_line_what_the_render_changed(tmp_path):
    result = classify(tmp_path, mode="starter", recorded="a = 1\nb = 2\n", disk="a = 1\nb = 3\n", new="a = 1\nb = 2\nc = 4\n")
    assert result.reason == ("yours since you changed it, so kept; the render changed since: 2 line(s) of the render are "
                             "not in your file, the first: `b = 2`")
    removed = classify(tmp_path, mode="starter", recorded="a = 1\nb = 2\n", disk="a = 1\nb = 3\n", new="b = 3\n")
    assert removed.reason == ("yours since you changed it, so kept; the render changed since: it no longer has 1 line(s) "
                              "of your file, the first: `a = 1`")


@pytest.mark.parametrize("disk, action, status, reason", [
    ("x = 1\n", "update", "drift", "now generated from the profile (it was written once for you to edit); taken over, as "
                                    "you had not changed it"),
    ("x = 2\n", "adopt", "manifest", ""),
    ("x = 99\n", "conflict", "conflict", "now generated from the profile (it was written once for you to edit), but you "
                                        "changed it; it is not overwritten: move what you need into the profile, then "
                                        "render with --force"),
])
def test_a_starter_file_that_becomes_generated_is_taken_over_only_when_untouched(tmp_path, disk, action, status, reason):
    (tmp_path / "main.tf").write_text(disk)
    manifest = Manifest(files={"main.tf": Entry("starter", sha256("x = 1\n"))})
    (result,) = plan_files(tmp_path, [RenderedFile("main.tf", "x = 2\n", "managed")], manifest)
    assert (result.action, result.status, result.reason, result.entry) == (action, status, reason, Entry("managed", sha256("x = 2\n")))
    if action == "conflict":
        assert (result.force, forced(result).action, forced(result).new) == ("write", "update", b"x = 2\n")


def sectioned(section: str, before: str = "# Title\n\n", after: str = "") -> str:
    return f"{before}{BEGIN}\n{section}{END}\n{after}"


@pytest.mark.parametrize("row, recorded, disk, new, action, written", [
    (1, None, None, sectioned("gen 2\n"), "create", sectioned("gen 2\n")),
    (2, None, sectioned("gen 2\n", after="mine\n"), sectioned("gen 2\n"), "adopt", None),
    (3, None, sectioned("other\n"), sectioned("gen 2\n"), "conflict", None),
    (4, "gen 1", sectioned("gen 1\n", after="mine\n"), sectioned("gen 1\n"), "unchanged", None),
    (5, "gen 1", sectioned("gen 1\n", after="mine\n"), sectioned("gen 2\n"), "update", sectioned("gen 2\n", after="mine\n")),
    (6, "gen 1", sectioned("gen 2\n", after="mine\n"), sectioned("gen 2\n"), "adopt", None),
    (7, "gen 1", sectioned("edited\n"), sectioned("gen 2\n"), "conflict", None),
    (8, "gen 1", None, sectioned("gen 2\n"), "recreate", sectioned("gen 2\n")),
    (9, "gen 1", sectioned("gen 1\n", after="mine\n"), None, "update", "# Title\n\nmine\n"),
    (9, "gen 1", sectioned("gen 1\n", before=""), None, "delete", None),
    (10, "gen 1", sectioned("edited\n"), None, "conflict", None),
    (11, "gen 1", None, None, "forget", None),
])
def test_sectioned_files_only_compare_and_rewrite_the_owned_section(tmp_path, row, recorded, disk, new, action, written):
    # the manifest records the hash of the section: the lines between the marker lines
    result = classify(tmp_path, mode="sectioned", recorded=recorded, disk=disk, new=new)
    assert (result.row, result.action) == (row, action)
    if written is not None:
        assert result.new == written.encode()


def test_a_sectioned_file_whose_markers_were_removed_is_a_conflict_and_force_appends_the_section(tmp_path):
    result = classify(tmp_path, mode="sectioned", recorded="gen 1", disk="# My own README\n", new=sectioned("gen 2\n"))
    assert (result.row, result.action) == (7, "conflict")
    assert result.reason == (f"the marker lines {BEGIN} / {END} are missing or out of place; "
                             "--force adds the generated section at its end")
    assert forced(result).new == f"# My own README\n\n{BEGIN}\ngen 2\n{END}\n".encode()


def test_a_sectioned_file_with_repeated_markers_is_rewritten_whole_only_with_force(tmp_path):
    broken = sectioned("a\n") + sectioned("b\n", before="")
    result = classify(tmp_path, mode="sectioned", recorded="a", disk=broken, new=sectioned("gen 2\n"))
    assert (result.action, result.force) == ("conflict", "write")
    assert result.reason.endswith("--force rewrites the whole file")
    assert forced(result).new == sectioned("gen 2\n").encode()


def test_a_file_that_changes_ownership_mode_is_rewritten_when_untouched(tmp_path):
    old_readme = "# Title\n\nall generated\n"
    (tmp_path / "README.md").write_text(old_readme)
    manifest = Manifest(files={"README.md": Entry("managed", sha256(old_readme))})
    new = sectioned("gen 2\n")
    (action,) = plan_files(tmp_path, [RenderedFile("README.md", new, "sectioned")], manifest)
    assert (action.action, action.new, action.entry) == ("update", new.encode(), Entry("sectioned", sha256("gen 2")))
