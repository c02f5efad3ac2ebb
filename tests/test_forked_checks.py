"""Checks run beside the planning, in a forked copy of the process: the caller sees exactly what running them
in place gives (the verdict, the error and its message, which error comes first), also when the copy fails."""

from __future__ import annotations

import os

import pytest

from baselinegen import api, pipeline
from baselinegen.errors import OutputError, RenderInvariantError
from baselinegen.validate import forked

from conftest import EXAMPLES, spy, write_acme

PARENT = os.getpid()


def _square(x: int) -> int:
    return x * x


def _dies_in_the_copy(x: int) -> int:
    if os.getpid() != PARENT:
        os._exit(7)
    return x + 1


def _raises_in_the_copy_only(x: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("only the copy fails")
    return x + 2


def _always_raises(x: int) -> int:
    raise ValueError(f"bad {x}")


def test_this_machine_forks_so_the_copies_are_what_is_tested():
    assert forked.can_fork()


def test_the_copys_result_comes_back():
    assert forked.run_beside(_square, 12)() == 144


@pytest.mark.parametrize("fn, expected", [(_dies_in_the_copy, 4), (_raises_in_the_copy_only, 5)])
def test_a_copy_that_fails_means_the_check_runs_here(fn, expected):
    assert forked.run_beside(fn, 3)() == expected


def test_an_error_of_the_check_itself_is_raised_here():
    wait = forked.run_beside(_always_raises, 9)
    with pytest.raises(ValueError, match="bad 9"):
        wait()


def test_without_fork_the_check_runs_at_once(monkeypatch):
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    calls = []
    wait = forked.run_beside(lambda x: calls.append(x) or x, 5)
    assert calls == [5] and wait() == 5


@pytest.fixture
def forks_always(monkeypatch):
    monkeypatch.setattr(pipeline, "FILES_WORTH_A_FORK", 0)
    return spy(monkeypatch, forked, "run_beside")


def test_a_render_checked_beside_its_plan_writes_what_a_render_checked_in_place_writes(tmp_path, forks_always, monkeypatch):
    beside = api.render(write_acme(tmp_path / "a" / "acme.yaml"), tmp_path / "a")
    assert forks_always == [api.render_problems]
    monkeypatch.setattr(pipeline, "FILES_WORTH_A_FORK", 10**9)
    in_place = api.render(write_acme(tmp_path / "b" / "acme.yaml"), tmp_path / "b")
    assert [(a.path, a.action, a.new) for a in beside.actions] == [(a.path, a.action, a.new) for a in in_place.actions]


def test_a_render_that_fails_its_checks_beside_raises_the_in_place_message_and_writes_nothing(tmp_path, forks_always, tamper):
    tamper("modules/iam/main.tf", "minimum_password_length", "minimum_password_lengthx")
    with pytest.raises(RenderInvariantError) as beside:
        api.render(EXAMPLES / "acme.yaml", tmp_path / "out")
    assert forks_always == [api.render_problems]
    assert not (tmp_path / "out").exists()
    result = pipeline.render_tree(api.load_profile(EXAMPLES / "acme.yaml").profile)
    with pytest.raises(RenderInvariantError) as in_place:
        api.verify(result, api.load_profile(EXAMPLES / "acme.yaml").profile)
    assert str(beside.value) == str(in_place.value)


def test_a_failed_check_is_reported_before_an_output_folder_that_is_a_file(tmp_path, forks_always, tamper):
    tamper("modules/iam/main.tf", "minimum_password_length", "minimum_password_lengthx")
    out = tmp_path / "out"
    out.write_text("a file where the folder should be")
    with pytest.raises(RenderInvariantError):
        api.render(EXAMPLES / "acme.yaml", out)


def test_an_output_folder_that_is_a_file_is_still_reported_when_the_checks_pass(tmp_path, forks_always):
    out = tmp_path / "out"
    out.write_text("a file where the folder should be")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        api.render(EXAMPLES / "acme.yaml", out)
