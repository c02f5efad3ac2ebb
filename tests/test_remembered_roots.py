"""Account roots rendered before are taken from the cache folder: the render is byte for byte the same, only the
roots whose inputs changed are rendered, and an entry that is not what account_files returns is rendered again."""

from __future__ import annotations

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
