"""A plan does not read again a file whose status (size, times, inode) is the one noted when it was last read
(sync/file_states.py): writing a file changes its status, so a hand edit is found however it was made."""

from __future__ import annotations

import json
import os
import sqlite3
import types
from contextlib import closing

import pytest

from baselinegen import regenerate
from baselinegen.sync import file_states, plan

from conftest import EXAMPLES, spy

ORG = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")
LENGTH = "minimum_length: 14"


@pytest.fixture
def settled_at_once(monkeypatch):
    """Statuses count as settled as soon as they are older than the plan (the tests write and read within one tick);
    every difference is stored."""
    monkeypatch.setattr(file_states, "SETTLED_NS", 0)
    monkeypatch.setattr(file_states, "FEW", 0)


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    return spy(monkeypatch, plan, "_read", note=lambda targets, relative, states=None: relative)


def _render(tmp_path, length: int) -> regenerate.Plan:
    profile = tmp_path / "out" / "acme-org.yaml"
    profile.parent.mkdir(exist_ok=True)
    profile.write_text(ORG.replace(LENGTH, f"minimum_length: {length}"), encoding="utf-8")
    return regenerate.render(profile, tmp_path / "out")


def test_a_plan_reads_only_the_files_written_since_the_last_plan_read_them(tmp_path, empty_cache, settled_at_once, reads):
    _render(tmp_path, 15)
    reads.clear()
    second = _render(tmp_path, 16)  # reads every file, and notes them
    assert sorted(reads) == sorted(a.path for a in second.actions)
    written = sorted(a.path for a in second.actions if a.action in regenerate.WRITES)
    assert written and len(written) < len(second.actions) / 4
    reads.clear()
    third = _render(tmp_path, 17)
    sectioned = [a.path for a in third.actions if a.mode == "sectioned"]  # compared by their section: always read
    assert sorted(reads) == sorted(set(written) | set(sectioned))
    assert {(a.mode, a.action) for a in third.actions if a.path not in reads} == {("managed", "unchanged"), ("starter", "keep")}
    assert all(a.disk == a.new for a in third.actions if a.path not in reads)


@pytest.mark.parametrize("replace", [False, True], ids=["edited in place", "replaced by another file"])
def test_a_hand_edit_that_keeps_the_size_and_the_modification_time_is_found(tmp_path, empty_cache, settled_at_once, reads, replace):
    _render(tmp_path, 15)
    _render(tmp_path, 16)  # every status noted
    target = tmp_path / "out" / "modules" / "kms" / "main.tf"
    before = os.stat(target)
    text = target.read_bytes()
    edited = text.replace(b"enable_key_rotation     = true", b"enable_key_rotation     = fals", 1)
    assert edited != text and len(edited) == len(text)
    if replace:
        other = target.with_name("main.tf.new")
        other.write_bytes(edited)
        os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
        os.replace(other, target)
    else:
        with open(target, "r+b") as handle:
            handle.write(edited)
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(target).st_mtime_ns == before.st_mtime_ns and os.stat(target).st_size == before.st_size
    reads.clear()
    found = regenerate.plan_render(tmp_path / "out" / "acme-org.yaml", tmp_path / "out")
    assert "modules/kms/main.tf" in reads
    assert [(a.path, a.action) for a in found.conflicts] == [("modules/kms/main.tf", "conflict")]


def test_a_file_written_within_a_clock_tick_of_its_reading_is_not_noted(tmp_path, empty_cache, monkeypatch):
    monkeypatch.setattr(file_states, "FEW", 0)
    path = tmp_path / "f.tf"
    states = file_states.FileStates(tmp_path)
    path.write_text("x = 1\n")  # after the plan began: a later write in the same tick would keep its status
    states.note("f.tf", os.lstat(path), b"x = 1\n")
    states.save()
    assert file_states.FileStates(tmp_path).known("f.tf", os.lstat(path)) is None


@pytest.mark.parametrize("times, read_at, settled", [
    ((1_000_000_000_123, 1_000_000_000_123), 1_000_000_000_123 + 100_000_001, True),
    ((1_000_000_000_123, 1_000_000_000_123), 1_000_000_000_123 + 100_000_000, False),
    ((1_000_000_000_123, 1_000_000_050_000), 1_000_000_000_123 + 100_000_001, False),  # the change time counts too
    ((1_000_000_000_000, 1_000_000_000_000), 1_000_000_000_000 + 100_000_001, False),  # whole seconds: 2 s
    ((1_000_000_000_000, 1_000_000_000_000), 1_000_000_000_000 + 2_000_000_001, True),
])
def test_a_status_is_settled_once_older_than_the_file_system_s_clock_tick(times, read_at, settled):
    found = types.SimpleNamespace(st_mtime_ns=times[0], st_ctime_ns=times[1])
    assert file_states._settled(found, read_at) is settled


def test_statuses_are_stored_again_only_when_more_than_a_few_differ(tmp_path, empty_cache, monkeypatch, reads):
    monkeypatch.setattr(file_states, "SETTLED_NS", 0)
    _render(tmp_path, 15)
    _render(tmp_path, 16)  # every status noted and stored
    stored = _stored(empty_cache)
    written = [a.path for a in _render(tmp_path, 17).actions if a.action in regenerate.WRITES]
    assert 0 < len(written) <= file_states.FEW and _stored(empty_cache) == stored
    reads.clear()
    _render(tmp_path, 18)
    assert set(written) <= set(reads)  # read again, as nobody stored their new statuses


def _stored(cache) -> str:
    with closing(sqlite3.connect(cache / "file-states-1.sqlite3")) as connection:
        [(text,)] = connection.execute("SELECT json FROM entries").fetchall()
    return text


@pytest.mark.parametrize("entry", [[1, 2, 3], "text", [1, 2, 3, 4, 5, 6], [0.5, 1, 2, 3, 4, "x"], None])
def test_statuses_that_are_not_what_was_noted_mean_reading_the_files(tmp_path, empty_cache, settled_at_once, reads, entry):
    _render(tmp_path, 15)
    expected = _render(tmp_path, 16)
    with closing(sqlite3.connect(empty_cache / "file-states-1.sqlite3")) as connection, connection:
        [(key, text)] = connection.execute("SELECT key, json FROM entries").fetchall()
        connection.execute("UPDATE entries SET json = ?", (json.dumps({path: entry for path in json.loads(text)}),))
    reads.clear()
    again = regenerate.plan_render(tmp_path / "out" / "acme-org.yaml", tmp_path / "out")
    assert sorted(reads) == sorted(a.path for a in again.actions)
    assert [(a.path, a.action) for a in again.actions] == [(a.path, "unchanged" if a.mode != "starter" else "keep")
                                                            for a in expected.actions]
