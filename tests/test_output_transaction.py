"""The output folder is a transaction: one command at a time (``.baselinegen/lock``), a render killed at any instant
leaves a journal the next command completes or rolls back (the folder is then exactly the old tree or exactly the
new one), and no symbolic link inside the folder is ever written through."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from baselinegen.sync.journal import DELETED_SUFFIX, TMP_SUFFIX
from baselinegen.sync.lock import FolderLock

from conftest import write_acme
from support.folders import ROOT, cli, folder_state

NEW = ("minimum_length: 14", "minimum_length: 16")
NO_PATCHING = ("patching:\n", "patching:\n  enabled: false\n")


def leftovers(out: Path) -> list[str]:
    """Files and folders no finished command leaves: staged or moved-aside files, journals, the lock, empty folders."""
    found = []
    for folder, dirs, files in os.walk(out):
        for name in files:
            if name.endswith((TMP_SUFFIX, DELETED_SUFFIX)) or name.startswith("journal") or name == "lock":
                found.append(os.path.relpath(os.path.join(folder, name), out))
        if not dirs and not files:
            found.append(os.path.relpath(folder, out) + "/")
    return sorted(found)


@pytest.fixture
def trees(tmp_path):
    """(old profile, new profile, out holding the old render, old state, new state). Both profiles are the file
    tmp/acme.yaml (so that only what they declare differs): ``old`` and ``new`` write it and return its path. The
    new render deletes patching's five files (and their folder) and updates five; the new state is made by
    rendering into a copy of the folder."""
    path = tmp_path / "acme.yaml"
    out = tmp_path / "out"

    def old() -> Path:
        return write_acme(path)

    def new() -> Path:
        return write_acme(path, NEW, NO_PATCHING)

    assert cli("render", old(), "-o", out).returncode == 0
    reference = tmp_path / "reference"
    shutil.copytree(out, reference, symlinks=True)  # at the same depth: the profile path it records is the same
    assert cli("render", new(), "-o", reference).returncode == 0
    old_state, new_state = folder_state(out), folder_state(reference)
    shutil.rmtree(reference)
    return old, new, out, old_state, new_state


# -- crash safety ---------------------------------------------------------------------------------------------------
ROLLED_BACK = "rolled back an interrupted render; the folder is as it was before that render"
COMPLETED = "completed an interrupted render (8 file(s) written, 5 deleted); the folder is what that render wrote"  # 8: modules/ci too


@pytest.mark.parametrize("point, outcome", [
    ("journal", ROLLED_BACK),  # the journal is written, nothing staged yet
    ("staged:1", ROLLED_BACK),
    ("staged:6", ROLLED_BACK),  # every file staged (5 and the manifest), the journal not yet committed
    ("committed", COMPLETED),
    ("moved:1", COMPLETED),  # the first deleted file moved aside
    ("moved:6", COMPLETED),  # the first staged file moved into place
    ("moved:16", COMPLETED),  # the old manifest moved aside, the new one not yet in place
    ("moved-all", COMPLETED),
    ("deleted:1", COMPLETED),  # clean-up started: one old file deleted
    ("deleted:11", COMPLETED),  # every old file deleted, the journal still there
])
def test_a_render_killed_at_any_step_is_recovered_to_exactly_the_old_or_the_new_tree(trees, point, outcome):
    old, new, out, old_state, new_state = trees
    killed = cli("render", new(), "-o", out, env={"BASELINEGEN_TEST_KILL_AT": point})
    assert killed.returncode == -signal.SIGKILL
    expected, profile = (old_state, old) if outcome == ROLLED_BACK else (new_state, new)
    check = cli("check", profile(), "-o", out, "-q")
    assert (check.returncode, check.stdout, check.stderr) == (0, "", f"baselinegen: {out}: {outcome}\n")
    assert folder_state(out) == expected
    assert leftovers(out) == []


@pytest.mark.parametrize("point, rolled_back", [("staged:3", True), ("committed", False), ("moved:2", False)])
def test_a_killed_render_that_creates_folders_leaves_no_empty_folder(tmp_path, point, rolled_back):
    small = write_acme(tmp_path / "small.yaml", NO_PATCHING)
    full = write_acme(tmp_path / "full.yaml")
    out = tmp_path / "out"
    assert cli("render", small, "-o", out).returncode == 0
    before = folder_state(out)
    assert cli("render", full, "-o", out, env={"BASELINEGEN_TEST_KILL_AT": point}).returncode == -signal.SIGKILL
    recovered = cli("render", small if rolled_back else full, "-o", out)
    assert recovered.returncode == 0, recovered.stderr
    assert recovered.stderr.startswith(f"baselinegen: {out}: {'rolled back' if rolled_back else 'completed'} an interrupted render")
    assert leftovers(out) == []
    assert (folder_state(out) == before) is rolled_back
    assert (out / "modules" / "patching").is_dir() is not rolled_back


@pytest.mark.parametrize("event", ["staged file", "committed journal", "moved-aside file"])
def test_a_render_killed_from_outside_when_a_file_appears_is_recovered(trees, event):
    """Killed by another process the moment the event is seen (whatever the render is doing by then)."""
    old, new, out, old_state, new_state = trees

    def seen() -> bool:
        if event == "committed journal":
            return os.path.exists(out / ".baselinegen" / "journal.committed")
        suffix = TMP_SUFFIX if event == "staged file" else DELETED_SUFFIX
        return any(name.endswith(suffix) for _, _, files in os.walk(out) for name in files)

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    render = subprocess.Popen([sys.executable, "-m", "baselinegen", "render", new(), "-o", out], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while render.poll() is None and not seen():
        pass
    render.send_signal(signal.SIGKILL)
    render.wait()
    check = cli("check", new(), "-o", out, "-q")  # recovers first (if the render was not done)
    assert check.returncode in (0, 2)
    for profile, state in ((old, old_state), (new, new_state)):
        if folder_state(out) == state:
            assert cli("check", profile(), "-o", out, "-q").returncode == 0
            break
    else:
        pytest.fail(f"the folder is neither the old nor the new tree after {check.stderr!r}")
    assert leftovers(out) == []


def test_a_journal_left_by_a_killed_render_is_recovered_by_diff_too(trees):
    old, new, out, old_state, new_state = trees
    assert cli("render", new(), "-o", out, env={"BASELINEGEN_TEST_KILL_AT": "moved:3"}).returncode == -signal.SIGKILL
    result = cli("diff", new(), "-o", out)
    assert (result.returncode, result.stderr) == (0, f"baselinegen: {out}: {COMPLETED}\n")
    assert folder_state(out) == new_state


# -- the lock -------------------------------------------------------------------------------------------------------
def held_message(out: Path, waited: str) -> str:
    since = dict(line.split(" ", 1) for line in (out / ".baselinegen" / "lock").read_text().splitlines())["since"]
    return (f"error: {out}/.baselinegen/lock: held by pid {os.getpid()} on {socket.gethostname()} "
            f"(baselinegen render held.yaml -o out) since {since}; gave up after waiting {waited} s "
            "(set BASELINEGEN_LOCK_TIMEOUT to wait longer)\n")


def test_a_command_that_cannot_get_the_lock_exits_1_naming_the_holder(trees):
    old, new, out, old_state, _ = trees
    holder = FolderLock(out, exclusive=True, command="baselinegen render held.yaml -o out")
    holder.acquire()
    try:
        for command in (("render", new()), ("check", new()), ("diff", new()), ("render", new(), "--dry-run")):
            result = cli(*command, "-o", out, env={"BASELINEGEN_LOCK_TIMEOUT": "0.2"})
            assert (result.returncode, result.stdout, result.stderr) == (1, "", held_message(out, "0.2"))
    finally:
        holder.release()
    assert folder_state(out) == old_state  # the lock file went with its last holder


def test_a_render_waits_for_the_lock_and_then_renders(trees):
    old, new, out, _, new_state = trees
    holder = FolderLock(out, exclusive=True, command="test")
    holder.acquire()
    env = dict(os.environ, PYTHONPATH=str(ROOT), BASELINEGEN_LOCK_TIMEOUT="120")
    render = subprocess.Popen([sys.executable, "-m", "baselinegen", "render", new(), "-o", out], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    assert render.poll() is None  # still waiting
    holder.release()
    assert render.wait(timeout=300) == 0
    assert folder_state(out) == new_state


def test_the_lock_of_a_killed_process_is_released_by_the_system(trees):
    old, new, out, _, new_state = trees
    code = f"from baselinegen.sync.lock import FolderLock; FolderLock({str(out)!r}, exclusive=True).acquire(); print('locked', flush=True); input()"
    holder = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    assert cli("render", new(), "-o", out, env={"BASELINEGEN_LOCK_TIMEOUT": "0"}).returncode == 1
    holder.kill()
    holder.wait()
    result = cli("render", new(), "-o", out, env={"BASELINEGEN_LOCK_TIMEOUT": "0"})
    assert result.returncode == 0, result.stderr
    assert folder_state(out) == new_state


@pytest.mark.parametrize("value", ["soon", "-1", "1e9"])
def test_an_invalid_lock_timeout_is_a_message(trees, value):
    old, new, out, old_state, _ = trees
    result = cli("render", new(), "-o", out, env={"BASELINEGEN_LOCK_TIMEOUT": value})
    assert (result.returncode, result.stderr) == (1, f"error: BASELINEGEN_LOCK_TIMEOUT={value!r} is not valid; allowed: seconds from 0 to 86400\n")
    assert folder_state(out) == old_state


def test_two_renders_started_together_leave_exactly_one_render_and_check_agrees(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    profiles = {"a.yaml": write_acme(out / "a.yaml"), "b.yaml": write_acme(out / "b.yaml", NEW, NO_PATCHING)}
    env = dict(os.environ, PYTHONPATH=str(ROOT), BASELINEGEN_LOCK_TIMEOUT="300")
    renders = [subprocess.Popen([sys.executable, "-m", "baselinegen", "render", name, "-o", "."], cwd=out, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for name in profiles]
    assert [render.wait(timeout=600) for render in renders] == [0, 0]
    assert cli("check", "-o", ".", "-q", cwd=out).returncode == 0
    winner = next(name for name in profiles if f'"path": "{name}"' in (out / ".baselinegen" / "manifest.json").read_text())
    loser = next(name for name in profiles if name != winner)
    assert cli("check", loser, "-o", ".", "-q", cwd=out).returncode == 2
    reference = tmp_path / "reference"  # the two renders one after the other: the loser's, then the winner's
    reference.mkdir()
    for name in profiles:
        shutil.copy(out / name, reference / name)
    for name in (loser, winner):
        assert cli("render", name, "-o", ".", cwd=reference).returncode == 0
    assert folder_state(out) == folder_state(reference)
    assert leftovers(out) == []


# -- links inside the folder ----------------------------------------------------------------------------------------
def test_a_generated_file_that_is_a_link_inside_the_folder_is_never_written_through(trees):
    old, new, out, _, _ = trees
    os.replace(out / "main.tf", out / "main.tf.saved")
    (out / "main.tf").symlink_to("variables.tf")
    before = folder_state(out)
    for command in (("render", new()), ("render", new(), "--force"), ("check", new()), ("diff", new())):
        result = cli(*command, "-o", out)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", "error: main.tf: is a symbolic link; refusing to write through it\n")
    assert folder_state(out) == before


def test_a_generated_folder_that_is_a_link_inside_the_folder_is_never_written_through(trees):
    old, new, out, _, _ = trees
    shutil.rmtree(out / "modules" / "kms")
    (out / "modules" / "kms").symlink_to("iam")
    before = folder_state(out)
    message = ("error: modules/kms/README.md: the folder modules/kms is a symbolic link; refusing to write through it "
               "(baselinegen writes only plain folders inside the output folder)\n")
    for command in (("render", new(), "--force"), ("check", old())):
        result = cli(*command, "-o", out)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", message)
    assert folder_state(out) == before


@pytest.mark.parametrize("link, message", [
    (".baselinegen/manifest.json", "error: {out}/.baselinegen/manifest.json: is a symbolic link; it must be a regular file "
                                   "written by baselinegen. Fix or delete the manifest (baselinegen then adopts the files "
                                   "that match and reports the others as conflicts)\n"),
    (".baselinegen/lock", "error: {out}/.baselinegen/lock: is a symbolic link; refusing to use it\n"),
    (".baselinegen/journal.committed", "error: {out}/.baselinegen/journal.committed: is a symbolic link; refusing to read it\n"),
    (".baselinegen", "error: {out}/.baselinegen: is a symbolic link; refusing to use it (it must be a folder)\n"),
])
def test_baselinegen_own_files_are_never_used_through_a_link(trees, link, message):
    old, new, out, _, _ = trees
    elsewhere = out.parent / "elsewhere"
    shutil.copytree(out / ".baselinegen", elsewhere)
    target = elsewhere / Path(link).name if link != ".baselinegen" else elsewhere
    if link == ".baselinegen":
        shutil.rmtree(out / ".baselinegen")
    elif (out / link).exists():
        (out / link).unlink()
    target.touch()
    (out / link).symlink_to(target)
    before, outside = folder_state(out), folder_state(elsewhere)
    for command in (("render", new()), ("check", new())):
        result = cli(*command, "-o", out)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", message.format(out=out))
    assert folder_state(out) == before and folder_state(elsewhere) == outside


def test_a_command_that_finds_the_state_folder_made_by_another_at_the_same_moment_takes_the_lock(tmp_path, monkeypatch):
    from baselinegen.sync import lock as lock_module

    (tmp_path / ".baselinegen").mkdir()  # made by the other command between our look and our mkdir
    real_isdir = os.path.isdir
    looked = []

    def not_yet(path):
        if str(path).endswith(".baselinegen") and not looked:
            looked.append(path)
            return False
        return real_isdir(path)

    monkeypatch.setattr(lock_module.os.path, "isdir", not_yet)
    held = FolderLock(tmp_path, exclusive=True)
    held.acquire()
    assert held.fd is not None and looked == [str(tmp_path / ".baselinegen")]
    held.release()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".baselinegen"]  # not ours to remove: it stays


def test_a_command_whose_state_folder_the_previous_holder_removed_makes_it_again(tmp_path):
    waiting = FolderLock(tmp_path, exclusive=True)
    (tmp_path / ".baselinegen").mkdir()
    (tmp_path / ".baselinegen").rmdir()  # the previous holder's release, after our folders were made
    fd = waiting._open()
    try:
        assert (tmp_path / ".baselinegen" / "lock").is_file()
    finally:
        os.close(fd)
    (tmp_path / ".baselinegen" / "lock").unlink()
    waiting._remove_created()  # the folder it made again is its own to remove
    assert list(tmp_path.iterdir()) == []
