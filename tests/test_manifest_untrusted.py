"""The manifest (and the journal) come from the output folder, which a pull request may change: they are read as
untrusted input. A profile path that leaves the folder is refused before anything is read; a malformed manifest is a
message (never a traceback), and values quoted in messages are cut to a readable length."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import write_acme
from support.folders import cli, folder_state

FIX = ". Fix or delete the manifest (baselinegen then adopts the files that match and reports the others as conflicts)\n"
ZEROS = "0" * 64


@pytest.fixture
def repo(tmp_path):
    """A rendered folder holding its profile, and its manifest as parsed JSON."""
    out = tmp_path / "repo"
    out.mkdir()
    profile = write_acme(out / "acme.yaml")
    assert cli("render", profile, "-o", out).returncode == 0
    return out, json.loads((out / ".baselinegen" / "manifest.json").read_text())


def write_manifest(out: Path, content) -> None:
    path = out / ".baselinegen" / "manifest.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content))


@pytest.mark.parametrize("recorded", ["ABSOLUTE", "../outside.yaml", "sub/../../outside.yaml"])
def test_check_without_a_profile_never_reads_a_recorded_profile_outside_the_folder(repo, recorded):
    """The profile outside is a FIFO: a command that opened it would hang (and time out)."""
    out, data = repo
    outside = out.parent / "outside.yaml"
    os.mkfifo(outside)
    recorded = str(outside) if recorded == "ABSOLUTE" else recorded
    write_manifest(out, dict(data, profile={"path": recorded, "sha256": ""}))
    shown = recorded if len(recorded) <= 60 else f"{recorded[:60]}... ({len(recorded)} characters)"  # cut in messages
    before = folder_state(out)
    for command in ("check", "diff"):
        result = cli(command, "-o", out, timeout=120)
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == (f"error: {out}/.baselinegen/manifest.json: profile.path {shown} is outside the folder; check "
                                 f"reads only a profile inside it (name the profile instead: baselinegen {'check'} PROFILE -o {out})\n")
    assert folder_state(out) == before


def test_check_without_a_profile_never_follows_a_link_out_of_the_folder(repo):
    out, data = repo
    outside = out.parent / "outside.yaml"
    os.mkfifo(outside)
    (out / "linked.yaml").symlink_to(outside)
    write_manifest(out, dict(data, profile={"path": "linked.yaml", "sha256": ""}))
    result = cli("check", "-o", out, timeout=120)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"error: {out}/.baselinegen/manifest.json: profile.path linked.yaml leads outside the folder "
                             "through a symbolic link; check reads only a profile inside it (name the profile instead: "
                             f"baselinegen check PROFILE -o {out})\n")


def test_check_without_a_profile_follows_a_link_that_stays_inside_the_folder(repo):
    out, data = repo
    (out / "linked.yaml").symlink_to("acme.yaml")
    write_manifest(out, dict(data, profile=dict(data["profile"], path="linked.yaml")))
    result = cli("check", "-o", out)
    assert result.returncode == 2  # it read the profile and found only the manifest out of date
    assert result.stdout.splitlines()[-1] == f"To bring it up to date: baselinegen render {out}/acme.yaml -o {out}"


def files(**entries) -> dict:
    return {path: {"mode": "managed", "sha256": ZEROS} for path in entries.get("paths", [])}


@pytest.mark.parametrize("make, message", [
    (lambda d: [], "is a JSON list, not an object; it must be the JSON baselinegen writes"),
    (lambda d: dict(d, schema=True), "has schema true; this baselinegen reads schema 1"),
    (lambda d: dict(d, schema="1"), 'has schema "1"; this baselinegen reads schema 1'),
    (lambda d: json.dumps(d).replace('"schema": 1', '"schema": 1e999'), "has schema Infinity; this baselinegen reads schema 1"),
    (lambda d: json.dumps(d).replace('"schema": 1', '"schema": 1' + "0" * 5000),
     "cannot be read as JSON (a number in it is too large); it must be the JSON baselinegen writes"),
    (lambda d: "[" * 100000 + "]" * 100000, "cannot be read as JSON (it is nested too deeply); it must be the JSON baselinegen writes"),
    (lambda d: b"\xff\xfe{}", "cannot be read as JSON (it is not UTF-8); it must be the JSON baselinegen writes"),
    (lambda d: json.dumps(d).replace('"files": {', f'"files": {{"main.tf": {{"mode": "managed", "sha256": "{ZEROS}"}}, ', 1),
     'names the key "main.tf" twice; every key appears once'),
    (lambda d: dict(d, files=files(paths=["main\0.tf"])),
     'files["main\\u0000.tf"]: refusing a path outside the output folder; entries must be relative paths inside the output folder'),
    (lambda d: dict(d, files=files(paths=["/etc/passwd"])),
     'files["/etc/passwd"]: refusing a path outside the output folder; entries must be relative paths inside the output folder'),
    (lambda d: dict(d, files=files(paths=["modules/../../x.tf"])),
     'files["modules/../../x.tf"]: refusing a path outside the output folder; entries must be relative paths inside the output folder'),
    (lambda d: dict(d, files=files(paths=["modules//iam/./main.tf"])),
     'files["modules//iam/./main.tf"]: is not a plain relative path; entries are paths like modules/iam/main.tf'),
    (lambda d: dict(d, files=files(paths=["a" * 10000])),
     f'files["{"a" * 60}..." (10000 characters)]: is not a plain relative path; entries are paths like modules/iam/main.tf'),
    (lambda d: dict(d, files={"main.tf": "managed"}),
     'files["main.tf"]: is "managed", not {mode, sha256}; mode is one of managed, starter, sectioned and sha256 is 64 lowercase hex digits'),
    (lambda d: dict(d, files={"main.tf": {"mode": "managed", "sha256": ZEROS, "note": "x" * 500}}),
     f'files["main.tf"]: is {{"mode": "managed", "sha256": "{"0" * 29}... (609 characters), not {{mode, sha256}}; mode is one '
     "of managed, starter, sectioned and sha256 is 64 lowercase hex digits"),
    (lambda d: dict(d, files={"main.tf": {"mode": ["managed"], "sha256": ZEROS}}),
     f'files["main.tf"]: is {{"mode": ["managed"], "sha256": "{"0" * 27}... (99 characters), not {{mode, sha256}}; mode is one '
     "of managed, starter, sectioned and sha256 is 64 lowercase hex digits"),
    (lambda d: dict(d, generator={"name": "baselinegen", "version": 5}), "generator.version is 5; it must be a version like 1.2.0"),
    (lambda d: dict(d, profile={"path": "p" * 10000, "sha256": ""}),
     f'profile.path is "{"p" * 60}..." (10000 characters); it must be a path of at most 4096 characters, without NUL'),
    (lambda d: dict(d, profile={"path": "acme.yaml", "sha256": 7}), "profile.sha256 is 7; it must be 64 lowercase hex digits"),
])
def test_a_malformed_manifest_is_a_message_with_values_cut_short(repo, make, message):
    out, data = repo
    write_manifest(out, make(data))
    before = folder_state(out)
    for command in (("check", "-o", out), ("check", out / "acme.yaml", "-o", out), ("render", out / "acme.yaml", "-o", out)):
        result = cli(*command)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", f"error: {out}/.baselinegen/manifest.json: {message}{FIX}")
    assert folder_state(out) == before


@pytest.mark.parametrize("journal, message", [
    ({"format": "baselinegen-journal-1", "writes": ["../escape.tf"], "replaced": [], "deletes": [], "folders": []},
     "writes: ../escape.tf: refusing a path outside the output folder"),
    ({"format": "baselinegen-journal-1", "writes": [], "replaced": [], "deletes": ["/etc/passwd"], "folders": []},
     "deletes: /etc/passwd: refusing a path outside the output folder"),
    ({"format": "baselinegen-journal-1", "writes": [], "replaced": [], "deletes": [".baselinegen/lock"], "folders": []},
     "deletes: names baselinegen's own folder"),
    ({"format": "other", "writes": []}, "is not a baselinegen-journal-1 journal"),
    ("{not json", "is not valid JSON"),
])
def test_a_journal_that_names_paths_outside_the_folder_is_refused(repo, journal, message):
    out, _ = repo
    path = out / ".baselinegen" / "journal.committed"
    path.write_text(journal if isinstance(journal, str) else json.dumps(journal))
    before = folder_state(out)
    result = cli("check", out / "acme.yaml", "-o", out)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"error: {path}: {message}; it must be the journal baselinegen writes. Delete it after checking "
                             "the folder (files named *.baselinegen-tmp are new files of the interrupted render, "
                             "*.baselinegen-deleted old ones)\n")
    assert folder_state(out) == before


def test_a_manifest_of_baselinegen_0_1_calling_starter_files_seeded_is_read_and_rewritten_with_todays_name(repo):
    out, manifest = repo
    assert {path: entry["mode"] for path, entry in manifest["files"].items() if entry["mode"] != "managed"} == {
        ".github/workflows/terraform.yml": "starter", ".gitignore": "starter", ".pre-commit-config.yaml": "starter",
        "README.md": "sectioned"}
    old = dict(manifest, files={path: dict(entry, mode="seeded" if entry["mode"] == "starter" else entry["mode"])
                                for path, entry in manifest["files"].items()})
    write_manifest(out, old)
    checked = cli("check", "-o", out)  # the files are up to date; only the manifest is rewritten with today's name
    assert (checked.returncode, checked.stdout.splitlines()[:2]) == (
        2, [f"{out}: not up to date (1 file(s)):", "  manifest only  update    .baselinegen/manifest.json"])
    assert cli("render", out / "acme.yaml", "-o", out).returncode == 0
    assert json.loads((out / ".baselinegen" / "manifest.json").read_text()) == manifest


@pytest.mark.parametrize("example", ["acme.yaml", "acme-org.yaml"])
def test_no_generated_file_speaks_of_seeds(tmp_path, example):
    """Users never saw the requirement documents: generated files say what a rule is and where it comes from."""
    from conftest import EXAMPLES

    out = tmp_path / "out"
    assert cli("render", EXAMPLES / example, "-o", out).returncode == 0
    speaking = [str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and "seed" in p.read_text(encoding="utf-8").lower()]
    assert speaking == []
