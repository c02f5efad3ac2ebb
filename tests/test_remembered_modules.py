"""Module files remembered by their template context (render/remembered.py): a render from the same context gives the
same files without rendering them, a changed context renders its module again, and a key is equal only for equal
values, whatever objects share them."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import sys

import pytest

from baselinegen import pipeline
from baselinegen.components import base
from baselinegen.organization import roots
from baselinegen.render import env, remembered

from conftest import EXAMPLES, REPO

sys.path.insert(0, str(REPO / "bench"))
from synth import write_profile as write_synthetic  # noqa: E402

ORG = EXAMPLES / "acme-org.yaml"


@pytest.fixture
def module_renders(empty_cache, monkeypatch) -> list[str]:
    """The files really rendered (render_file calls, by path) from now on, with an empty cache."""
    calls = []
    real = env.render_file

    def counting(template, path, **context):
        calls.append(path)
        return real(template, path, **context)

    for owner in (base, remembered, roots, pipeline):
        monkeypatch.setattr(owner, "render_file", counting)
    return calls


def _render(path):
    return pipeline.render_tree(pipeline.load_profile(path).profile)


def test_a_second_render_of_the_same_profile_renders_no_file_and_gives_the_same_files(module_renders):
    first = _render(ORG)
    rendered_first = sorted(module_renders)
    second = _render(ORG)
    assert len(module_renders) == len(rendered_first)  # none more
    assert {"README.md", "atlantis.yaml", ".gitignore", "bootstrap/main.tf", "modules/job_roles/policies.tf",
            "modules/account_detection/main.tf"} <= set(rendered_first)
    assert second.files == first.files


def test_a_changed_profile_renders_only_the_modules_whose_inputs_it_changes(module_renders, tmp_path):
    profile = tmp_path / "acme-org.yaml"
    profile.write_text(ORG.read_text())
    before = {f.path: f.content for f in _render(profile).files}
    module_renders.clear()
    profile.write_text(ORG.read_text().replace("minimum_length: 14", "minimum_length: 16", 1))
    after = {f.path: f.content for f in _render(profile).files}
    changed = {path for path in after if after[path] != before.get(path)}
    assert sorted({path.split("/")[1] for path in changed if path.startswith("modules/")}) == ["config", "job_roles"]
    # log_archive's context holds the AWS Config model (for its bucket), whose password rule changed; its files do not
    assert sorted({path.split("/")[1] for path in module_renders if path.startswith("modules/")}) == ["config", "job_roles", "log_archive"]
    assert sorted(path for path in module_renders if not path.startswith("modules/")) == ["README.md"]


def test_an_alarm_threshold_changed_renders_the_monitoring_module_alone(module_renders, tmp_path):
    profile = write_synthetic(tmp_path / "synth.yaml", 12, 2)
    _render(profile)
    module_renders.clear()
    write_synthetic(profile, 12, 2, alarm_threshold=5)
    _render(profile)
    assert sorted({path.rsplit("/", 1)[0] for path in module_renders}) == ["modules/monitoring"]


def _before_and_after(tmp_path, module_renders, accounts: int, users: int) -> tuple[dict, dict]:
    """The files of a 12-account synthetic organisation with 6 users, then of ``accounts`` and ``users``; the files
    really rendered for the second are in ``module_renders``."""
    profile = write_synthetic(tmp_path / "synth.yaml", 12, 2, users=6)
    before = {f.path: f.content for f in _render(profile).files}
    module_renders.clear()
    write_synthetic(profile, accounts, 2, users=users)
    return before, {f.path: f.content for f in _render(profile).files}


def test_a_user_added_renders_the_identity_center_s_people_alone_not_its_permission_sets_nor_assignments(module_renders, tmp_path):
    before, after = _before_and_after(tmp_path, module_renders, 12, 7)
    assert sorted(path for path in after if after[path] != before.get(path)) == ["modules/identity_center/people.tf"]
    assert module_renders == ["modules/identity_center/people.tf"]


def test_an_account_added_changes_the_identity_center_s_assignments_and_readme_not_its_people(module_renders, tmp_path):
    before, after = _before_and_after(tmp_path, module_renders, 13, 6)
    assert "app-0008" in after["modules/identity_center/assignments.tf"]
    assert "app-0008" not in before["modules/identity_center/assignments.tf"]
    assert after["modules/identity_center/main.tf"] == before["modules/identity_center/main.tf"]
    assert after["modules/identity_center/people.tf"] == before["modules/identity_center/people.tf"]
    assert "app-0008" in after["modules/identity_center/README.md"]
    # main.tf is rendered again (a group that reaches a unit carries its accounts), to the same text
    assert {"modules/identity_center/README.md", "modules/identity_center/assignments.tf"} <= set(module_renders)


def test_only_the_files_rendered_now_are_sent_ahead_to_be_parsed(empty_cache, tmp_path):
    calls = []
    stored = [env.RenderedFile("modules/m/main.tf", "x = 1\n", "managed")]
    with remembered.remembering():
        first = remembered.rendered("m", ("main.tf",), {"v": 1}, [("modules/m/main.tf", "managed")], lambda: calls.append(1) or stored)
        assert remembered.rendered_now(first) == first
    with remembered.remembering():
        again = remembered.rendered("m", ("main.tf",), {"v": 1}, [("modules/m/main.tf", "managed")], lambda: calls.append(1) or stored)
        other = env.RenderedFile("modules/m/main.tf", "x = 1\n", "managed")  # equal, but not the one from the cache
        assert calls == [1] and again == stored
        assert remembered.rendered_now(again) == []
        assert remembered.rendered_now(again + [other]) == [other]
    assert remembered.rendered_now(again) == again  # outside a block, every file counts as rendered now


def test_a_stored_entry_that_is_not_the_module_s_files_is_rendered_again(module_renders, empty_cache):
    first = _render(ORG)
    count = len(module_renders)
    with sqlite3.connect(empty_cache / "module-files-1.sqlite3") as db:
        rows = db.execute("SELECT key, json FROM entries").fetchall()
        damaged = [(key, json.dumps([[path + "x", content, mode] for path, content, mode in json.loads(text)])) for key, text in rows[:1]]
        damaged += [(key, json.dumps([[1, 2, 3]])) for key, _ in rows[1:2]]
        db.executemany("UPDATE entries SET json = ? WHERE key = ?", [(text, key) for key, text in damaged])
    second = _render(ORG)
    assert second.files == first.files
    assert len(module_renders) > count


def test_modules_rendered_outside_a_pipeline_render_are_not_remembered(module_renders, empty_cache):
    context = {"value": "a"}
    calls = []
    remembered.rendered("m", ("main.tf",), context, [("modules/m/main.tf", "managed")], lambda: calls.append(1) or [])
    remembered.rendered("m", ("main.tf",), context, [("modules/m/main.tf", "managed")], lambda: calls.append(1) or [])
    assert calls == [1, 1] and not (empty_cache / "module-files-1.sqlite3").exists()


@dataclasses.dataclass(frozen=True)
class Item:
    name: str
    tags: frozenset = frozenset()


@dataclasses.dataclass
class Remembers:
    items: tuple

    def names(self):
        self.__dict__["_names"] = tuple(i.name for i in self.items)  # a memo, as the models keep (Group.reaches)
        return self.__dict__["_names"]


def _key(context: dict) -> str | None:
    return remembered.context_key("m", ("main.tf",), context)


def test_equal_values_have_one_key_whatever_objects_share_them_or_what_a_model_remembered(empty_cache):
    shared = Item("a")
    once, twice = Remembers((shared, shared)), Remembers((Item("a"), Item("a")))
    twice.names()
    assert _key({"x": once}) == _key({"x": twice}) is not None
    assert _key({"x": Item("a", frozenset({"p", "q", "r"}))}) == _key({"x": Item("a", frozenset(["r", "q", "p"]))})


@pytest.mark.parametrize("other", [
    {"x": Item("b")},
    {"x": Item("a", frozenset({"p"}))},
    {"x": Item("a"), "y": None},
    {"y": Item("a")},
    {"x": ("a",)},
])
def test_other_values_have_other_keys(empty_cache, other):
    assert _key({"x": Item("a")}) != _key(other)


def test_a_set_held_by_a_field_is_not_the_tuple_of_its_elements(empty_cache):
    assert _key({"x": Item("a", frozenset({"p"}))}) != _key({"x": Item("a", ("p",))})


def test_the_module_and_its_file_names_are_part_of_the_key(empty_cache):
    keys = {remembered.context_key(module, names, {}) for module, names in
            [("m", ("main.tf",)), ("n", ("main.tf",)), ("m", ("main.tf", "outputs.tf"))]}
    assert len(keys) == 3


def test_a_context_that_does_not_pickle_has_no_key_and_is_rendered(empty_cache):
    assert _key({"render": lambda: None}) is None
    calls = []
    with remembered.remembering():
        for _ in range(2):
            remembered.rendered("m", ("main.tf",), {"f": lambda: None}, [], lambda: calls.append(1) or [])
    assert calls == [1, 1]
