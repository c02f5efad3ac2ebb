"""The parse cache: a text is parsed once per machine, the cache never changes a result, and a cache that is
damaged or cannot be written never breaks a render."""

from __future__ import annotations

import copy
import json
import sqlite3
from contextlib import closing

import pytest

from baselinegen import api
from baselinegen.render.env import RenderedFile
from baselinegen.review import build_review
from baselinegen.validate import hclcheck, parse_ahead, parse_cache, readings

from conftest import EXAMPLES, GOLDEN, spy

TEXT = 'resource "aws_iam_group" "x" {\n  name = "X"\n}\n'


@pytest.fixture
def parses(monkeypatch):
    """The texts python-hcl2 really parses (all in this process)."""
    monkeypatch.setattr(parse_ahead, "ENABLED", False)
    return spy(monkeypatch, hclcheck, "_safe_parse")


def forget_this_process(monkeypatch):
    monkeypatch.setattr(parse_cache, "_MEMO", type(parse_cache._MEMO)())
    monkeypatch.setattr(readings, "_READ", {})


def test_a_text_parsed_in_an_earlier_run_is_read_from_the_cache_not_parsed(empty_parse_cache, parses, monkeypatch):
    first, _ = hclcheck.parse_files([RenderedFile("a/main.tf", TEXT), RenderedFile("b/main.tf", TEXT)])
    assert parses == [TEXT]
    assert first["a/main.tf"] is first["b/main.tf"], "identical files share one result"
    hclcheck.parse_files([RenderedFile("c/main.tf", TEXT)])
    assert parses == [TEXT], "this process remembers it"
    forget_this_process(monkeypatch)
    again, _ = hclcheck.parse_files([RenderedFile("c/main.tf", TEXT)])
    assert parses == [TEXT] and again["c/main.tf"] == first["a/main.tf"]
    assert rows(empty_parse_cache) == [(parse_cache.key(TEXT), json.dumps(first["a/main.tf"], separators=(",", ":")))]


def rows(folder) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(folder / parse_cache.DATABASE)) as connection:
        return connection.execute("SELECT key, json FROM entries").fetchall()


@pytest.mark.parametrize("damage", ["{not json", "[]", "", '"a string"'])
def test_a_damaged_entry_is_parsed_again_and_replaced(empty_parse_cache, parses, monkeypatch, damage):
    expected, _ = hclcheck.parse_files([RenderedFile("main.tf", TEXT)])
    with closing(sqlite3.connect(empty_parse_cache / parse_cache.DATABASE)) as connection, connection:
        connection.execute("UPDATE entries SET json = ?", (damage,))
    forget_this_process(monkeypatch)
    parsed, failures = hclcheck.parse_files([RenderedFile("main.tf", TEXT)])
    assert (parsed, failures) == (expected, []) and parses == [TEXT, TEXT]
    assert [json.loads(text) for _, text in rows(empty_parse_cache)] == [expected["main.tf"]]


def test_a_damaged_database_is_replaced_by_a_new_one(empty_parse_cache, parses, monkeypatch):
    expected, _ = hclcheck.parse_files([RenderedFile("main.tf", TEXT)])
    (empty_parse_cache / parse_cache.DATABASE).write_bytes(b"this is not a database" * 100)
    forget_this_process(monkeypatch)
    parsed, _ = hclcheck.parse_files([RenderedFile("main.tf", TEXT)])
    assert parsed == expected and parses == [TEXT, TEXT]
    assert [key for key, _ in rows(empty_parse_cache)] == [parse_cache.key(TEXT)], "a new database holds the new parse"


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("BASELINEGEN_CACHE_DIR", str(blocked))
    forget_this_process(monkeypatch)
    plan = api.render(EXAMPLES / "acme.yaml", tmp_path / "out")
    assert {a.action for a in plan.actions} == {"create"}
    assert blocked.read_text() == "not a folder"


def test_failures_are_reported_and_not_stored(empty_parse_cache):
    parsed, failures = hclcheck.parse_files([RenderedFile("main.tf", 'resource "x" {\n  name = \n}\n')])
    assert parsed == {} and [f.path for f in failures] == ["main.tf"]
    assert not (empty_parse_cache / parse_cache.DATABASE).exists()


def test_what_the_cache_gives_back_is_what_python_hcl2_gives(empty_parse_cache, monkeypatch):
    files = [RenderedFile(p.relative_to(GOLDEN).as_posix(), p.read_text()) for p in sorted(GOLDEN.rglob("*.tf"))]
    parsed, _ = hclcheck.parse_files(files)
    forget_this_process(monkeypatch)
    from_disk, _ = hclcheck.parse_files(files)
    assert len(from_disk) == len(files)
    for path, doc in parsed.items():
        assert repr(from_disk[path]) == repr(doc) == repr(hclcheck._parse(files[[f.path for f in files].index(path)].content))


def test_the_key_covers_the_parser_version_and_our_options(monkeypatch):
    before = parse_cache.key(TEXT)
    monkeypatch.setattr(parse_cache, "package_version", lambda name: "0.0.0")
    parse_cache._salt.cache_clear()
    assert parse_cache.key(TEXT) != before
    monkeypatch.undo()
    parse_cache._salt.cache_clear()
    assert parse_cache.key(TEXT) == before


def test_the_checks_and_the_review_do_not_change_the_shared_parsed_documents():
    loaded = api.load_profile(EXAMPLES / "acme-org.yaml")
    result = api.render_tree(loaded.profile)
    parsed, _ = hclcheck.parse_files(result.files)
    snapshot = copy.deepcopy(dict(parsed))
    api.verify(result, loaded.profile)
    tree = {f.path: f.content for f in result.files}
    smaller = {path: text for path, text in tree.items() if not path.startswith("accounts/payments-staging/")}
    build_review(tree, smaller)
    assert dict(parsed) == snapshot
