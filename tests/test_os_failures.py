"""Operating-system failures are messages: a read-only folder, a full disk, a name too long, a file where a folder
must go, a file that cannot be read. Each exits 1 with ``baselinegen: cannot write|read PATH: REASON``, no
traceback, and the folder exactly as before (bytes compared) — also when the roll-back itself fails. The failures
are injected where the system reports them (the write, the fsync, the rename, the open); the code path is the
production one."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from baselinegen import cli
from baselinegen.sync import journal, plan, writer
from baselinegen.sync.manifest import MANIFEST_PATH

from conftest import write_acme
from support.folders import cli as cli_process, folder_state

NEW = ("minimum_length: 14", "minimum_length: 16")
NO_PATCHING = ("patching:\n", "patching:\n  enabled: false\n")


def run(*args) -> tuple[int, str, str]:
    """The CLI in this process (so that a failure can be injected); a traceback fails the test."""
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def rendered(tmp_path):
    """(profile, out): acme rendered into out, the profile beside it."""
    profile = write_acme(tmp_path / "acme.yaml")
    out = tmp_path / "out"
    code, _, stderr = run("render", profile, "-o", out)
    assert code == 0, stderr
    write_acme(profile, NEW, NO_PATCHING)  # the next render updates 3 files and deletes patching's 5
    return profile, out


def os_error(number: int, path) -> OSError:
    return OSError(number, os.strerror(number), os.fspath(path))


def fail_on(monkeypatch, owner, name: str, when, number: int) -> None:
    """Make ``owner.name`` (a function of ``os`` or of a module) raise OSError ``number`` the first time its first
    argument satisfies ``when``."""
    real = getattr(owner, name)
    state = {"failed": False}

    def failing(first, *rest, **kwargs):
        if when(first) and not state["failed"]:
            state["failed"] = True
            raise os_error(number, first)
        return real(first, *rest, **kwargs)

    monkeypatch.setattr(owner, name, failing)


def test_a_full_disk_while_staging_a_file_is_a_message_and_the_folder_is_unchanged(rendered, monkeypatch):
    profile, out = rendered
    before = folder_state(out)
    fail_on(monkeypatch, writer, "fsync_write", lambda path: path == f"{out}/main.tf{journal.TMP_SUFFIX}", errno.ENOSPC)
    assert run("render", profile, "-o", out) == (1, "", f"baselinegen: cannot write {out}/main.tf: No space left on device\n")
    assert folder_state(out) == before


def test_a_full_disk_at_the_first_fsync_is_a_message_and_the_folder_is_unchanged(rendered, monkeypatch):
    profile, out = rendered
    before = folder_state(out)
    real_fsync = os.fsync
    calls = {"n": 0}

    def failing_fsync(fd):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    assert run("render", profile, "-o", out) == (1, "", f"baselinegen: cannot write {out}/.baselinegen/journal: No space left on device\n")
    assert folder_state(out) == before


@pytest.mark.parametrize("target", ["modules/patching/main.tf", "main.tf", MANIFEST_PATH])
def test_a_rename_the_system_refuses_while_moving_puts_every_file_back(rendered, monkeypatch, target):
    profile, out = rendered
    before = folder_state(out)
    fail_on(monkeypatch, os, "rename", lambda src: src in (f"{out}/{target}", f"{out}/{target}{journal.TMP_SUFFIX}"), errno.EIO)
    assert run("render", profile, "-o", out) == (1, "", f"baselinegen: cannot write {out}/{target}: Input/output error\n")
    assert folder_state(out) == before


def test_a_failure_during_the_roll_back_is_retried_and_the_folder_is_unchanged(rendered, monkeypatch):
    profile, out = rendered
    before = folder_state(out)
    real_rename = os.rename
    failures = []

    def failing_rename(src, dst):
        if src == f"{out}/main.tf{journal.TMP_SUFFIX}" and not failures:  # the move into place
            failures.append("move")
            raise os_error(errno.ENOSPC, src)
        if src == f"{out}/README.md" and dst.endswith(journal.TMP_SUFFIX) and len(failures) == 1:  # its undo, once
            failures.append("undo")
            raise os_error(errno.EIO, src)
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    assert run("render", profile, "-o", out) == (1, "", f"baselinegen: cannot write {out}/main.tf: No space left on device\n")
    assert failures == ["move", "undo"]
    assert folder_state(out) == before


def test_a_roll_back_that_keeps_failing_is_finished_by_the_next_command(rendered, monkeypatch):
    profile, out = rendered
    before = folder_state(out)
    real_rename = os.rename
    state = {"moved": False}

    def failing_rename(src, dst):
        if src == f"{out}/main.tf{journal.TMP_SUFFIX}":
            state["moved"] = True
            raise os_error(errno.ENOSPC, src)
        if state["moved"] and "journal" not in os.path.basename(src):  # every undo step fails
            raise os_error(errno.EROFS, src)
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", failing_rename)
    code, stdout, stderr = run("render", profile, "-o", out)
    assert (code, stdout) == (1, "")
    assert stderr == (f"baselinegen: cannot write {out}/main.tf: No space left on device\n"
                      f"baselinegen: could not put the folder back either (cannot write {out}/main.tf: Read-only file "
                      "system); the next baselinegen command on this folder finishes restoring it\n")
    assert os.path.exists(out / ".baselinegen" / "journal.reverting")
    monkeypatch.undo()
    old_profile = write_acme(profile.parent / "old.yaml")
    code, stdout, stderr = run("check", old_profile, "-o", out, "-q")
    assert stderr == f"baselinegen: {out}: rolled back an interrupted render; the folder is as it was before that render\n"
    assert folder_state(out) == before


def test_a_read_only_output_folder_refuses_render_and_still_allows_check(rendered, monkeypatch):
    profile, out = rendered
    before = folder_state(out)
    real_open = os.open

    def read_only(path, flags, *rest):
        if flags & os.O_CREAT:
            raise os_error(errno.EROFS, path)
        return real_open(path, flags, *rest)

    monkeypatch.setattr(os, "open", read_only)
    assert run("render", profile, "-o", out) == (1, "", f"baselinegen: cannot write {out}/.baselinegen/lock: Read-only file system\n")
    assert folder_state(out) == before
    code, stdout, _ = run("check", profile, "-o", out, "-q")
    assert code == 2 and stdout.startswith(f"{out}: not up to date")
    assert folder_state(out) == before


def test_a_read_only_parent_refuses_a_new_output_folder(tmp_path, monkeypatch):
    profile = write_acme(tmp_path / "acme.yaml")
    fail_on(monkeypatch, os, "mkdir", lambda path: True, errno.EROFS)
    assert run("render", profile, "-o", tmp_path / "out") == (1, "", f"baselinegen: cannot write {tmp_path}/out: Read-only file system\n")
    assert sorted(os.listdir(tmp_path)) == ["acme.yaml"]


def test_a_path_component_too_long_is_a_message(tmp_path):
    profile = write_acme(tmp_path / "acme.yaml")
    long_name = tmp_path / ("x" * 300)
    result = cli_process("render", profile, "-o", long_name / "out")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"baselinegen: cannot write {long_name}: File name too long\n"
    assert sorted(os.listdir(tmp_path)) == ["acme.yaml"]


def test_a_file_where_a_folder_must_go_is_a_message_and_nothing_is_written(tmp_path):
    profile = write_acme(tmp_path / "acme.yaml")
    out = tmp_path / "out"
    out.mkdir()
    (out / "modules").write_text("not a folder\n")
    before = folder_state(out)
    result = cli_process("render", profile, "-o", out, "--force")
    assert (result.returncode, result.stdout, result.stderr) == (1, "", f"baselinegen: cannot write {out}/modules: a file is in the way of a folder\n")
    assert folder_state(out) == before


def test_an_unreadable_manifest_is_a_message_for_every_command(rendered, monkeypatch):
    profile, out = rendered
    before = folder_state(out)
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *rest: (_ for _ in ()).throw(os_error(errno.EACCES, path))
                        if str(path).endswith("manifest.json") else real_open(path, *rest))
    message = f"baselinegen: cannot read {out}/{MANIFEST_PATH}: Permission denied\n"
    for command in (("render", profile), ("check", profile), ("diff", profile), ("check",)):
        assert run(*command, "-o", out) == (1, "", message)
    assert folder_state(out) == before


def test_an_unreadable_generated_file_is_a_message(rendered, monkeypatch):
    profile, out = rendered
    before = folder_state(out)

    def guarded_open(path, *args, **kwargs):
        if os.fspath(path) == f"{out}/main.tf":
            raise os_error(errno.EACCES, path)
        return open(path, *args, **kwargs)

    monkeypatch.setattr(plan, "open", guarded_open, raising=False)
    for command in ("render", "check", "diff"):
        assert run(command, profile, "-o", out) == (1, "", f"baselinegen: cannot read {out}/main.tf: Permission denied\n")
    assert folder_state(out) == before


def test_an_unreadable_profile_is_a_located_error(rendered, monkeypatch):
    profile, out = rendered
    before = folder_state(out)
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(os_error(errno.EACCES, self))
                        if self == profile else real(self))
    for command in ("render", "check", "validate"):
        args = (command, profile) + (("-o", out) if command != "validate" else ())
        assert run(*args) == (1, "", f"{profile}:1:1: cannot read the profile: Permission denied [E100]\n"
                                     "1 error(s), 0 warning(s); nothing was written.\n")
    assert folder_state(out) == before


def test_policies_on_a_full_disk_is_a_message_and_the_folder_is_unchanged(tmp_path, monkeypatch):
    profile = write_acme(tmp_path / "acme.yaml")
    out = tmp_path / "policies"
    out.mkdir()
    (out / "mine.json").write_text("{}\n")
    before = folder_state(out)
    fail_on(monkeypatch, writer, "fsync_write", lambda path: path.endswith(f"index.json{journal.TMP_SUFFIX}"), errno.ENOSPC)
    assert run("policies", profile, "-o", out) == (1, "", f"baselinegen: cannot write {out}/index.json: No space left on device\n")
    assert folder_state(out) == before


@pytest.mark.parametrize("command", [("render", "P"), ("check",), ("diff",), ("policies", "P"), ("init",)])
def test_an_empty_output_option_is_refused(tmp_path, command):
    profile = write_acme(tmp_path / "acme.yaml")
    args = [profile if a == "P" else a for a in command]
    what = "a file" if command == ("init",) else "a folder"
    result = cli_process(*args, "-o", "", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"error: -o/--output is empty; name {what} (-o . is the current folder)\n"
    assert sorted(os.listdir(tmp_path)) == ["acme.yaml"]


@pytest.mark.parametrize("option, value, message", [
    ("--home-region", "eu-wset-1", "--home-region 'eu-wset-1' is not an AWS Region; did you mean 'eu-west-1'?"),
    ("--home-region", "mars", "--home-region 'mars' is not an AWS Region; see docs/profile.md for the list"),
    ("--name", "Acme", "--name 'Acme' is not valid; allowed: 2-32 lowercase letters, digits and hyphens, starting with a "
                       "letter and not ending with a hyphen"),
    ("--name", "acme-", "--name 'acme-' is not valid; allowed: 2-32 lowercase letters, digits and hyphens, starting with a "
                        "letter and not ending with a hyphen"),
    ("--preset", "cis-1.5", "unknown preset 'cis-1.5'; allowed presets: cis-1.4, cis-3.0, cis-5.0, minimal; did you mean 'cis-1.4'?"),
])
def test_init_refuses_an_invalid_option_before_writing_anything(tmp_path, option, value, message):
    (tmp_path / "profile.yaml").write_text("keep me\n")
    for extra in ((), ("--force",)):
        result = cli_process("init", option, value, *extra, cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", f"error: {message}\n")
        assert folder_state(tmp_path) == {"profile.yaml": b"keep me\n"}


def test_init_refuses_a_folder_and_a_full_disk_leaves_no_file(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    assert run("init", "-o", tmp_path / "sub", "--force") == (
        1, "", f"error: {tmp_path}/sub is a folder; name the file to write, e.g. -o {tmp_path}/sub/profile.yaml\n")
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
    assert run("init", "-o", tmp_path / "p.yaml") == (1, "", f"baselinegen: cannot write {tmp_path}/p.yaml: No space left on device\n")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert folder_state(tmp_path) == {"sub": "dir"}


@pytest.mark.parametrize("command", ["render", "policies"])
def test_an_output_path_that_is_a_file_is_a_message_and_the_file_is_kept(tmp_path, command):
    profile = write_acme(tmp_path / "acme.yaml")
    (tmp_path / "out").write_text("a file\n")
    result = cli_process(command, profile, "-o", tmp_path / "out")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"baselinegen: cannot write {tmp_path}/out: exists and is not a folder\n"
    assert folder_state(tmp_path) == {"acme.yaml": profile.read_bytes(), "out": b"a file\n"}
