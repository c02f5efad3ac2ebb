"""Regeneration end to end: manifest, render as a plan, hand edits, orphans, atomicity, check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from baselinegen import __version__, api
from baselinegen.errors import ConflictError, OutputError
from baselinegen.sync import journal
from baselinegen.sync.manifest import MANIFEST_PATH, sha256
from baselinegen.sync.sections import owned_section

from conftest import tree, write_acme

NO_PATCHING = ("patching:\n", "patching:\n  enabled: false\n")


@pytest.fixture
def acme(tmp_path):
    """A copy of examples/acme.yaml, with text replacements, in tmp_path/profiles."""
    def write(*replacements: tuple[str, str]) -> Path:
        return write_acme(tmp_path / "profiles" / "acme.yaml", *replacements)
    return write


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baselinegen", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_the_manifest_records_every_file_with_its_mode_and_hash_sorted(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    data = json.loads((out / MANIFEST_PATH).read_text())
    files = {p: c for p, c in tree(out).items() if p != MANIFEST_PATH}
    assert list(data) == ["files", "generator", "profile", "schema"]
    assert list(data["files"]) == sorted(files)
    assert data["generator"] == {"name": "baselinegen", "version": __version__}
    assert data["profile"] == {"path": "../profiles/acme.yaml", "sha256": sha256((tmp_path / "profiles" / "acme.yaml").read_bytes())}
    assert data["schema"] == 1
    modes = {path: entry["mode"] for path, entry in data["files"].items()}
    assert {p for p, m in modes.items() if m != "managed"} == {".github/workflows/terraform.yml", ".gitignore", ".pre-commit-config.yaml", "README.md"}
    assert (modes["README.md"], modes["backend.tf"]) == ("sectioned", "managed")  # generated from the profile's state
    for path, entry in data["files"].items():
        owned = owned_section(files[path].decode()) if entry["mode"] == "sectioned" else files[path]
        assert entry["sha256"] == sha256(owned), path
    assert (out / MANIFEST_PATH).read_text() == json.dumps(data, indent=2, sort_keys=True) + "\n"


def test_a_render_that_changes_nothing_rewrites_nothing_not_even_the_manifest(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    plan = api.render(acme(), out)
    assert {a.action for a in plan.actions} == {"unchanged", "keep"}
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_a_hand_edited_file_stops_the_render_with_its_diff_and_force_overwrites_it(tmp_path, acme):
    out = tmp_path / "out"
    profile = acme()
    api.render(profile, out)
    iam = out / "modules" / "iam" / "main.tf"
    iam.write_text(iam.read_text().replace("minimum_password_length        = 14", "minimum_password_length        = 8"))
    before = tree(out)
    result = cli("render", profile, "-o", out)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "conflict  modules/iam/main.tf: edited by hand since the last render\n" in result.stderr
    assert "-  minimum_password_length        = 8\n+  minimum_password_length        = 14\n" in result.stderr
    assert "*_override.tf" in result.stderr and "--force" in result.stderr
    assert result.stderr.endswith("error: 1 file(s) hold changes baselinegen would lose: modules/iam/main.tf; nothing was written\n")
    assert tree(out) == before
    forced = cli("render", profile, "-o", out, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "update    modules/iam/main.tf  (--force: the hand edit was overwritten)\n" in forced.stdout
    assert "minimum_password_length        = 14" in iam.read_text()
    assert cli("check", profile, "-o", out).returncode == 0


def test_an_edit_the_render_would_make_anyway_is_adopted(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    iam = out / "modules" / "iam" / "main.tf"
    iam.write_text(iam.read_text().replace("minimum_password_length        = 14", "minimum_password_length        = 16"))
    plan = api.render(acme(("minimum_length: 14", "minimum_length: 16")), out)
    assert [(a.path, a.action) for a in plan.actions if a.path == "modules/iam/main.tf"] == [("modules/iam/main.tf", "adopt")]
    assert json.loads((out / MANIFEST_PATH).read_text())["files"]["modules/iam/main.tf"]["sha256"] == sha256(iam.read_bytes())


def test_files_no_longer_generated_are_deleted_with_a_destroy_warning_and_empty_folders_go(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    result = cli("render", acme(NO_PATCHING), "-o", out)
    assert result.returncode == 0, result.stderr
    deleted = [line for line in result.stdout.splitlines() if line.startswith("delete")]
    assert deleted == [f"delete    modules/patching/{name}  (no longer generated; Terraform will destroy what it declared)"
                       for name in ("README.md", "main.tf", "outputs.tf", "variables.tf", "versions.tf")]
    assert not (out / "modules" / "patching").exists()
    assert not any(p.startswith("modules/patching/") for p in json.loads((out / MANIFEST_PATH).read_text())["files"])


def test_a_hand_edited_orphan_is_not_deleted(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    edited = out / "modules" / "patching" / "main.tf"
    edited.write_text(edited.read_text() + "# my note\n")
    with pytest.raises(ConflictError) as raised:
        api.render(acme(NO_PATCHING), out)
    assert [(a.path, a.row) for a in raised.value.conflicts] == [("modules/patching/main.tf", 10)]
    assert edited.read_text().endswith("# my note\n")
    assert (out / "modules" / "patching" / "outputs.tf").exists()  # nothing was written or deleted


def test_a_managed_file_deleted_by_hand_is_recreated_with_a_warning(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    (out / "modules" / "monitoring" / "alarms.tf").unlink()
    result = cli("render", acme(), "-o", out)
    assert result.returncode == 0
    assert "recreate  modules/monitoring/alarms.tf  (was deleted by hand; it is written again)\n" in result.stdout


def test_user_files_override_files_and_readme_text_outside_the_markers_are_never_touched(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    (out / "mine.tf").write_text("# mine\n")
    (out / "modules" / "iam" / "main_override.tf").write_text("# override\n")
    readme = out / "README.md"
    readme.write_text("Team notes on top.\n\n" + readme.read_text() + "\nMore notes.\n")
    api.render(acme(("minimum_length: 14", "minimum_length: 16")), out)
    assert (out / "mine.tf").read_text() == "# mine\n"
    assert (out / "modules" / "iam" / "main_override.tf").read_text() == "# override\n"
    text = readme.read_text()
    assert text.startswith("Team notes on top.\n\n# acme") and text.endswith("<!-- END_BASELINEGEN -->\n\nMore notes.\n")
    assert "mine.tf" not in json.loads((out / MANIFEST_PATH).read_text())["files"]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p: c for p, c in tree(root).items()}


@pytest.mark.parametrize("fail_at", [1, 2, 5, 6, 8, 10, 11])
def test_a_failure_between_two_moves_leaves_the_tree_all_old(tmp_path, acme, monkeypatch, fail_at):
    """The plan moves 5 files aside (deleted), replaces 2 and the manifest (each: old aside, new in place): 11
    renames of files after the journal is committed; a failure at any of them puts everything back."""
    out = tmp_path / "out"
    api.render(acme(), out)
    (out / "mine.tf").write_text("# mine\n")
    before = _snapshot(out)
    real_rename = os.rename
    calls = {"n": 0}

    def failing_rename(src, dst):
        if "journal" not in os.path.basename(src):
            calls["n"] += 1
            if calls["n"] == fail_at:
                raise OSError(28, "No space left on device", src)
        return real_rename(src, dst)

    monkeypatch.setattr(journal.os, "rename", failing_rename)
    with pytest.raises(OutputError, match=r"^cannot write .*: No space left on device$"):
        api.render(acme(NO_PATCHING), out)
    assert calls["n"] >= fail_at
    assert _snapshot(out) == before
    assert not [p for p in out.rglob("*") if p.name.endswith((journal.TMP_SUFFIX, journal.DELETED_SUFFIX))]


def test_the_manifest_is_written_last(tmp_path, acme, monkeypatch):
    out = tmp_path / "out"
    api.render(acme(), out)
    order = []
    real_rename = os.rename
    monkeypatch.setattr(journal.os, "rename", lambda src, dst: (order.append(Path(dst).name), real_rename(src, dst)))
    api.render(acme(NO_PATCHING), out)
    aside = [f"{name}{journal.DELETED_SUFFIX}" for name in ("README.md", "main.tf", "outputs.tf", "variables.tf", "versions.tf")]
    assert order == ["journal.staging", "journal.committed", *aside,  # patching's files moved aside
                     f"README.md{journal.DELETED_SUFFIX}", "README.md", f"main.tf{journal.DELETED_SUFFIX}", "main.tf",
                     f"README.md{journal.DELETED_SUFFIX}", "README.md",  # modules/ci: the CI roles no longer need ssm
                     f"policies.tf{journal.DELETED_SUFFIX}", "policies.tf",
                     f"manifest.json{journal.DELETED_SUFFIX}", "manifest.json"]


def test_after_a_crash_before_the_manifest_the_next_render_adopts_the_written_files(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    manifest = (out / MANIFEST_PATH).read_bytes()
    api.render(acme(("minimum_length: 14", "minimum_length: 16")), out)
    (out / MANIFEST_PATH).write_bytes(manifest)  # as if the run died before writing the manifest
    plan = api.render(acme(("minimum_length: 14", "minimum_length: 16")), out)
    assert {a.action for a in plan.actions} <= {"unchanged", "keep", "adopt"}
    assert [a.path for a in plan.actions if a.action == "adopt"] == ["README.md", "modules/config/README.md", "modules/config/rules.tf", "modules/iam/main.tf"]


@pytest.mark.parametrize("path, message", [
    ("/etc/passwd", "refusing a path outside the output folder"),
    ("../outside.tf", "refusing a path outside the output folder"),
    ("modules/../../outside.tf", "refusing a path outside the output folder"),
    (".baselinegen/manifest.json", "names baselinegen's own folder"),
])
def test_manifest_paths_are_untrusted(tmp_path, acme, path, message):
    out = tmp_path / "out"
    api.render(acme(), out)
    data = json.loads((out / MANIFEST_PATH).read_text())
    data["files"][path] = {"mode": "managed", "sha256": "0" * 64}
    (out / MANIFEST_PATH).write_text(json.dumps(data))
    for command in ("render", "check"):
        result = cli(command, acme(), "-o", out)
        assert result.returncode == 1
        assert message in result.stderr and "manifest.json" in result.stderr


def test_a_manifest_entry_through_a_link_out_of_the_folder_is_refused_and_the_target_kept(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.tf").write_text("# keep me\n")
    (out / "linked").symlink_to(outside)
    data = json.loads((out / MANIFEST_PATH).read_text())
    data["files"]["linked/precious.tf"] = {"mode": "managed", "sha256": sha256("# keep me\n")}
    (out / MANIFEST_PATH).write_text(json.dumps(data))
    with pytest.raises(OutputError, match="the folder linked is a symbolic link; refusing to write through it"):
        api.render(acme(), out)
    assert (outside / "precious.tf").read_text() == "# keep me\n"


@pytest.mark.parametrize("content, message", [
    ("{not json", "cannot be read as JSON"),
    ('{"schema": 7, "files": {}, "generator": {}, "profile": {}}', "has schema 7; this baselinegen reads schema 1"),
    ('{"schema": 1, "files": {"main.tf": {"mode": "owned", "sha256": "x"}}, "generator": {}, "profile": {}}',
     "mode is one of managed, starter, sectioned"),
])
def test_an_unreadable_manifest_is_an_error_with_what_is_allowed(tmp_path, acme, content, message):
    out = tmp_path / "out"
    api.render(acme(), out)
    (out / MANIFEST_PATH).write_text(content)
    result = cli("check", acme(), "-o", out)
    assert result.returncode == 1
    assert message in result.stderr


def test_check_exits_0_when_up_to_date_2_on_drift_or_hand_edits_and_1_on_errors(tmp_path, acme):
    out = tmp_path / "out"
    profile = acme()
    api.render(profile, out)
    up_to_date = cli("check", profile, "-o", out)
    assert (up_to_date.returncode, up_to_date.stdout) == (0, f"{out}: up to date\n")
    assert cli("check", profile, "-o", out, "--quiet").stdout == ""

    changed = cli("check", acme(NO_PATCHING), "-o", out)
    assert changed.returncode == 2
    lines = changed.stdout.splitlines()
    assert lines[0] == f"{out}: not up to date (9 file(s)):"  # 9: modules/ci's README and policies (no ssm) too
    assert "  out of date    delete    modules/patching/main.tf  (no longer generated; Terraform will destroy what it declared)" in lines
    assert "  out of date    update    main.tf" in lines
    assert lines[-1] == f"To bring it up to date: baselinegen render {profile} -o {out}"
    quiet = cli("check", acme(NO_PATCHING), "-o", out, "-q")
    assert quiet.returncode == 2 and "@@" not in quiet.stdout

    (out / "main.tf").write_text((out / "main.tf").read_text() + "# edit\n")
    edited = cli("check", acme(), "-o", out)
    assert edited.returncode == 2
    assert "  hand-edited    conflict  main.tf  (edited by hand since the last render)" in edited.stdout

    bad = acme(("minimum_length: 14", "minimum_length: 2"))
    assert cli("check", bad, "-o", out).returncode == 1


def test_check_writes_nothing(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    (out / "modules" / "kms" / "main.tf").unlink()
    before = tree(out)
    assert cli("check", acme(NO_PATCHING), "-o", out).returncode == 2
    assert tree(out) == before


def test_check_without_a_profile_uses_the_one_in_the_manifest(tmp_path, acme):
    out = tmp_path / "out"
    out.mkdir()
    profile = acme().rename(out / "acme.yaml")
    api.render(profile, out)
    assert cli("check", "-o", ".", cwd=out).returncode == 0
    write_acme(profile, NO_PATCHING)  # the recorded profile changes: the repo is out of date
    result = cli("check", "-o", ".", cwd=out)
    assert result.returncode == 2
    assert result.stdout.splitlines()[-1] == "To bring it up to date: baselinegen render acme.yaml -o ."


def test_check_without_a_profile_refuses_a_recorded_profile_outside_the_folder(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    before = tree(out)
    result = cli("check", "-o", ".", cwd=out)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("error: .baselinegen/manifest.json: profile.path ../profiles/acme.yaml is outside the folder; "
                             "check reads only a profile inside it (name the profile instead: baselinegen check PROFILE -o .)\n")
    assert tree(out) == before


def test_check_without_a_profile_or_manifest_says_what_to_do(tmp_path):
    result = cli("check", "-o", tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"error: {tmp_path / MANIFEST_PATH}: not found, so the profile is not known; "
                             f"name the profile: baselinegen check PROFILE -o {tmp_path}\n")


def test_a_changed_profile_that_renders_the_same_files_only_updates_the_manifest(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    commented = acme(("patching:\n", "# a comment\npatching:\n"))
    result = cli("check", commented, "-o", out)
    assert result.returncode == 2
    assert result.stdout.splitlines()[1] == "  manifest only  update    .baselinegen/manifest.json"
    api.render(commented, out)
    assert cli("check", commented, "-o", out).returncode == 0


def test_the_first_render_over_an_unmanaged_tree_asks_for_force(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    (out / MANIFEST_PATH).unlink()
    (out / "main.tf").write_text("# an old render\n")
    plan = api.render(acme(), out, dry_run=True)
    assert [a.path for a in plan.conflicts] == ["main.tf"]
    assert plan.conflicts[0].reason.endswith("take them over with --force")
    assert {a.action for a in plan.actions if a.path != "main.tf"} == {"adopt"}


def test_render_lists_what_terraform_will_destroy_when_a_profile_change_removes_resources(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    result = cli("render", acme(NO_PATCHING), "-o", out)
    lines = result.stdout.splitlines()
    start = lines.index("Terraform will destroy 34 resource(s) at the next apply (they are no longer in the configuration; "
                        "review the plan before applying):")
    assert lines[start + 1] == '  - module.patching.aws_ssm_maintenance_window.patch["ap-northeast-1/production"]'
    assert len([line for line in lines[start + 1:] if line.startswith("  - module.patching.")]) == 34


def test_diff_prints_the_security_summary_writes_nothing_and_exits_like_check(tmp_path, acme):
    out = tmp_path / "out"
    profile = acme()
    api.render(profile, out)
    same = cli("diff", profile, "-o", out)
    assert (same.returncode, same.stdout) == (0, "No changes.\n")
    before = tree(out)
    changed = cli("diff", acme(("minimum_length: 14", "minimum_length: 12")), "-o", out)
    assert changed.returncode == 2
    assert "\nSecurity summary (2):\n  - password policy: minimum length 14 → 12 (weaker)\n" \
           "  - Config rule `iam-password-policy`: parameter MinimumPasswordLength 14 → 12 (weaker)\n" in changed.stdout
    assert changed.stdout.startswith("Benchmark (1):\n  - CIS 1.8 ")
    assert tree(out) == before


def test_diff_formats_markdown_for_a_pull_request_and_json_for_machines(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    profile = acme(("minimum_length: 14", "minimum_length: 12"))
    markdown = cli("diff", profile, "-o", out, "--format", "markdown")
    assert markdown.returncode == 2 and len(markdown.stdout) <= 65_536
    assert "- password policy: minimum length 14 → 12 (weaker)" in markdown.stdout
    assert "```diff" in markdown.stdout
    data = json.loads(cli("diff", profile, "-o", out, "--format", "json").stdout)
    assert [c["text"] for c in data["summary"]][0] == "password policy: minimum length 14 → 12 (weaker)"
    assert data["destroyed"] == [] and data["empty"] is False
    assert sorted(f["path"] for f in data["files"]) == ["README.md", "modules/config/README.md", "modules/config/rules.tf",
                                                       "modules/iam/main.tf"]
    wrong = cli("diff", profile, "-o", out, "--format", "html")
    assert wrong.returncode == 1 and "'html' is not one of" in wrong.stderr  # (Rich wraps the rest of the line)
    assert cli("check", profile).returncode == 1  # usage errors exit 1: 2 always means drift


def test_diff_notes_hand_edits_and_shows_what_force_would_write(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    iam = out / "modules" / "iam" / "main.tf"
    iam.write_text(iam.read_text().replace("minimum_password_length        = 14", "minimum_password_length        = 8"))
    result = cli("diff", acme(), "-o", out)
    assert result.returncode == 2
    assert ("Note: `modules/iam/main.tf`: edited by hand since the last render. `render` stops on it; the diff shows "
            "what `--force` would write.") in result.stdout
    assert "password policy: minimum length 8 → 14 (stronger)" in result.stdout


def test_renaming_a_group_with_renamed_from_moves_every_address_and_destroys_nothing(tmp_path, acme):
    out = tmp_path / "out"
    api.render(acme(), out)
    renamed = acme(("    - name: InfraAdmins\n", "    - name: PlatformAdmins\n      renamed_from: [InfraAdmins]\n"),
                   ("groups: [InfraAdmins]", "groups: [PlatformAdmins]"))
    result = cli("diff", renamed, "-o", out, "--format", "json")
    assert result.returncode == 2, result.stderr
    data = json.loads(result.stdout)
    assert [c["text"] for c in data["summary"]] == [
        "group `InfraAdmins` renamed to `PlatformAdmins`",
        "group `PlatformAdmins`: policy `acme-PlatformAdmins-security-read-only` description InfraAdmins: security "
        "services read-only → PlatformAdmins: security services read-only",
        "group `PlatformAdmins`: policy `acme-PlatformAdmins-security-read-only` changed: name "
        "acme-InfraAdmins-security-read-only → acme-PlatformAdmins-security-read-only",
        "group `PlatformAdmins`'s membership is recreated: its members leave the group briefly during apply",
        "group `PlatformAdmins`'s policies are recreated: its members lose these permissions briefly during apply",
    ]
    assert len(data["replaced"]) == 10  # the membership, 5 attachments, the group's own policy (test_review_replacements)
    assert data["destroyed"] == []
    assert [m for m in data["moved"] if m[0].startswith("module.iam.aws_iam_group.")] == [
        ["module.iam.aws_iam_group.infra_admins", "module.iam.aws_iam_group.platform_admins"]]
    assert len(data["moved"]) == 8
    assert [f["path"] for f in data["files"] if f["status"] == "added"] == ["modules/iam/migrations.tf"]
    render = cli("render", renamed, "-o", out)
    assert render.returncode == 0 and "Terraform will destroy" not in render.stdout
