"""Account roots rendered before are taken from the cache folder: the render is byte for byte the same, only the
roots whose inputs changed are rendered, and an entry that is not what account_files returns is rendered again."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from contextlib import closing

import pytest

from baselinegen import api
from baselinegen.organization import roots as org_roots

from conftest import EXAMPLES, spy

ORG = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")


@pytest.fixture
def rendered_accounts(monkeypatch):
    """The accounts account_files really renders."""
    return spy(monkeypatch, org_roots, "account_files", lambda inputs, same=None: inputs.account.name)


def _render(tmp_path, text: str) -> dict[str, str]:
    path = tmp_path / "acme-org.yaml"
    path.write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


def _accounts() -> list[str]:
    return [line.split(": ", 1)[1] for line in ORG.splitlines() if line.startswith("  - name: ")]


def test_a_second_render_takes_every_root_from_the_cache_and_is_the_same(tmp_path, empty_cache, rendered_accounts):
    first = _render(tmp_path, ORG)
    assert sorted(rendered_accounts) == sorted(_accounts())
    rendered_accounts.clear()
    assert _render(tmp_path, ORG) == first
    assert rendered_accounts == []


def test_only_the_root_whose_inputs_changed_is_rendered_again(tmp_path, empty_cache, rendered_accounts):
    _render(tmp_path, ORG)
    rendered_accounts.clear()
    old = "    description: The payments application, production.\n"
    changed = _render(tmp_path, ORG.replace(old, "    description: Payments, live.\n", 1))
    assert rendered_accounts == ["payments-prod"]
    assert "# Account payments-prod (" in changed["accounts/payments-prod/main.tf"]
    assert "Payments, live." in changed["accounts/payments-prod/main.tf"]


@pytest.mark.parametrize("damage", ["[]", '[["accounts/elsewhere/main.tf", "x", "managed"]]', '"text"', "[[1, 2, 3]]",
                                    '[["accounts/payments-prod/evil.tf", "x", "managed"]]'])
def test_an_entry_that_is_not_the_roots_files_is_rendered_again(tmp_path, empty_cache, rendered_accounts, damage):
    expected = _render(tmp_path, ORG)
    with closing(sqlite3.connect(empty_cache / "account-roots-1.sqlite3")) as connection, connection:
        connection.execute("UPDATE entries SET json = ?", (damage,))
    rendered_accounts.clear()
    assert _render(tmp_path, ORG) == expected
    assert sorted(rendered_accounts) == sorted(_accounts())


def test_a_cache_folder_that_cannot_be_written_renders_every_root_every_time(tmp_path, monkeypatch, rendered_accounts):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("BASELINEGEN_CACHE_DIR", str(blocker / "cache"))
    first = _render(tmp_path, ORG)
    assert _render(tmp_path, ORG) == first
    assert len(rendered_accounts) == 2 * len(_accounts())


def test_a_root_is_the_files_the_cache_entries_are_checked_against(tmp_path, empty_cache):
    files = _render(tmp_path, ORG)
    root = "accounts/payments-prod"
    assert sorted(p for p in files if p.startswith(root + "/")) == sorted(f"{root}/{name}" for name in org_roots.ROOT_FILES
                                                                         if name != "imports.tf")  # the example sets ci.github
    management = "accounts/management"  # the one root with an import block (the organisation)
    assert sorted(p for p in files if p.startswith(management + "/")) == sorted(f"{management}/{name}" for name in org_roots.ROOT_FILES)


def test_the_key_covers_every_input_of_a_root():
    fields = set(org_roots.RootInputs.__dataclass_fields__)
    assert fields == {"dir", "account", "modules", "common", "tags", "deployment_role", "role_arn", "backend", "imports", "ci_roles"}
    assert all(f.repr for f in org_roots.RootInputs.__dataclass_fields__.values())


def test_a_remembered_root_s_files_are_read_as_their_shapes_without_working_a_shape_out_again(tmp_path, empty_cache, monkeypatch):
    from baselinegen.validate import readings, shapes
    from baselinegen.validate.hclparse import _safe_parse

    first = _render(tmp_path, ORG)
    roots = [p for p in first if p.startswith("accounts/") and p.endswith(".tf")]
    shaped = [p for p in roots if shapes.shape_of(p, first[p]) is not None]
    assert len(shaped) >= 10
    monkeypatch.setattr(readings, "_READ", {})  # a new process: nothing read yet
    worked_out = spy(monkeypatch, shapes, "shape_of")
    result = api.render_tree(api.load_profile(tmp_path / "acme-org.yaml").profile)
    assert {f.path: f.content for f in result.files} == first
    assert not set(shaped) & set(worked_out)
    assert {p: result.parsed.parsed[p] for p in roots} == {p: _safe_parse(first[p]) for p in roots}


def test_a_text_every_root_shares_is_kept_once(tmp_path, empty_cache):
    from baselinegen.validate import shapes

    files = _render(tmp_path, ORG)
    roots = [p for p in files if p.startswith("accounts/")]
    with closing(sqlite3.connect(empty_cache / "account-root-texts-1.sqlite3")) as connection:
        (texts,) = connection.execute("SELECT count(*) FROM entries").fetchone()
    assert len(set(files[p] for p in roots if p.endswith("/versions.tf"))) == 1
    kinds = {files[p] for p in roots if shapes.shape_of(p, files[p]) is None}  # versions.tf, outputs.tf per module set, ...
    shaped = {shapes.shape_of(p, files[p]).text for p in roots if shapes.shape_of(p, files[p]) is not None}
    assert texts == len(kinds) + len(shaped) < len(roots)


@pytest.mark.parametrize("damage", [
    "UPDATE entries SET json = json_set(json, '$', 'other text')",  # a text whose key is not its own
    "DELETE FROM entries",
])
def test_a_root_whose_texts_are_not_as_remembered_is_rendered_again(tmp_path, empty_cache, rendered_accounts, damage):
    expected = _render(tmp_path, ORG)
    with closing(sqlite3.connect(empty_cache / "account-root-texts-1.sqlite3")) as connection, connection:
        connection.execute(damage)
    rendered_accounts.clear()
    assert _render(tmp_path, ORG) == expected
    assert sorted(rendered_accounts) == sorted(_accounts())


def test_a_root_whose_values_do_not_fit_its_shape_is_rendered_again(tmp_path, empty_cache, rendered_accounts):
    expected = _render(tmp_path, ORG)
    with closing(sqlite3.connect(empty_cache / "account-roots-1.sqlite3")) as connection, connection:
        rows = connection.execute("SELECT key, json FROM entries").fetchall()
        for key, text in rows:  # every account's values become another account's
            entries = json.loads(text)
            for entry in entries:
                if entry[3]:
                    entry[3] = [[stand_in, "other-account" if stand_in.startswith("zz") else value] for stand_in, value in entry[3]]
            connection.execute("UPDATE entries SET json = ? WHERE key = ?", (json.dumps(entries), key))
    rendered_accounts.clear()
    assert _render(tmp_path, ORG) == expected
    assert sorted(rendered_accounts) == sorted(_accounts())


@dataclasses.dataclass(frozen=True)
class _Inputs:
    first: tuple
    second: tuple
    name: str


def test_a_root_s_key_is_one_for_equal_inputs_whatever_objects_they_share_and_another_for_other_values():
    from baselinegen.organization import remembered_roots

    def key(inputs, reprs=None):
        return remembered_roots._key(inputs, {} if reprs is None else reprs)

    shared = (("x", 1),)
    once = key(_Inputs(shared, shared, "n"))
    assert key(_Inputs((("x", 1),), (("x", 1),), "n")) == once
    reprs: dict = {}
    assert [key(_Inputs(shared, shared, "n"), reprs) for _ in range(2)] == [once, once]  # reprs made once, reused
    assert key(_Inputs(shared, (("x", 2),), "n")) != once
    assert key(_Inputs(shared, shared, "m")) != once
    assert key(_Inputs((("a", "b"),), (), "n")) != key(_Inputs(("a", "b"), (), "n"))
    assert key(_Inputs(("a", "b"), (), "n")) != key(_Inputs(("a",), ("b",), "n"))
