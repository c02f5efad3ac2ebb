"""Parsing ahead: in a process that has parsed nothing yet, a worker loads python-hcl2 while the profile renders
and parses what no cache knows; what it gives back is exactly what this process would have parsed, and a
render through it ends where an in-process render does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from baselinegen import api
from baselinegen.render.env import RenderedFile
from baselinegen.validate import hclcheck, parse_ahead, parse_cache

from conftest import EXAMPLES, spy, tree, write_acme

TEXT = 'resource "aws_iam_group" "x" {\n  name = "X"\n}\n'
BROKEN = 'resource "aws_iam_group" "x" {\n  name = \n}\n'


@pytest.fixture
def fresh_process(monkeypatch, empty_parse_cache):
    """As if this process had never parsed: no parse results, python-hcl2 not imported."""
    monkeypatch.delitem(sys.modules, "hcl2", raising=False)
    monkeypatch.setattr(parse_ahead, "ENABLED", True)
    return empty_parse_cache


@pytest.fixture
def parses_here(monkeypatch):
    return spy(monkeypatch, hclcheck, "_safe_parse")


def test_a_fresh_process_hands_what_no_cache_knows_to_the_worker_and_gets_the_same_results(fresh_process, parses_here):
    files = [RenderedFile("a/main.tf", TEXT), RenderedFile("b/main.tf", BROKEN), RenderedFile("README.md", "# x\n")]
    with parse_ahead.parsing_ahead():
        assert parse_ahead.running()
        parse_ahead.parse_soon(files[:1])
        assert list(parse_ahead._PENDING) == [parse_cache.key(TEXT)]
        parsed, failures = hclcheck.parse_files(files)
        assert parse_ahead._PENDING == {}
    assert not parse_ahead.running()
    assert parses_here == [], "nothing was parsed in this process"
    assert parsed == {"a/main.tf": hclcheck._parse(TEXT)}
    assert [f.path for f in failures] == ["b/main.tf"]
    assert failures[0].message == hclcheck._safe_parse(BROKEN)


def test_what_the_worker_parsed_is_remembered_and_stored_like_any_parse(fresh_process):
    with parse_ahead.parsing_ahead():
        parse_ahead.parse_soon([RenderedFile("main.tf", TEXT)])
        hclcheck.parse_files([RenderedFile("main.tf", TEXT)])
    assert parse_cache.remembered(parse_cache.key(TEXT)) == hclcheck._parse(TEXT)
    assert parse_cache.load(fresh_process, [parse_cache.key(TEXT)]) == {parse_cache.key(TEXT): hclcheck._parse(TEXT)}


def test_texts_the_parse_cache_holds_are_not_sent_to_the_worker(fresh_process, monkeypatch):
    hclcheck.parse_files([RenderedFile("main.tf", TEXT)])  # stored on disk
    parse_cache._MEMO.clear()
    monkeypatch.delitem(sys.modules, "hcl2")  # as a new process that finds the text in the cache
    with parse_ahead.parsing_ahead():
        parse_ahead.parse_soon([RenderedFile("main.tf", TEXT)])
        assert parse_ahead._PENDING == {}
        assert parse_cache.remembered(parse_cache.key(TEXT)) == hclcheck._parse(TEXT)


@pytest.mark.parametrize("why", ["turned off", "parsed before", "parser loaded"])
def test_no_worker_when_off_or_when_this_process_has_parsed_before(fresh_process, monkeypatch, why, parses_here):
    if why == "turned off":
        monkeypatch.setattr(parse_ahead, "ENABLED", False)
    elif why == "parsed before":
        parse_cache.remember("some key", {})
    else:
        import hcl2

        monkeypatch.setitem(sys.modules, "hcl2", hcl2)
    with parse_ahead.parsing_ahead():
        assert not parse_ahead.running()
        parse_ahead.parse_soon([RenderedFile("main.tf", TEXT)])
        hclcheck.parse_files([RenderedFile("main.tf", TEXT)])
    assert parses_here == [TEXT]


def test_an_error_inside_the_block_stops_the_worker_and_forgets_its_work(fresh_process):
    with pytest.raises(RuntimeError), parse_ahead.parsing_ahead():
        parse_ahead.parse_soon([RenderedFile("main.tf", TEXT)])
        raise RuntimeError("the render failed")
    assert not parse_ahead.running() and parse_ahead._PENDING == {}


def test_a_small_change_rendered_by_the_cli_matches_the_render_of_this_process(tmp_path):
    cli_out, here_out = tmp_path / "cli", tmp_path / "here"
    for out in (cli_out, here_out):
        write_acme(out / "acme.yaml")
        api.render(out / "acme.yaml", out)
        write_acme(out / "acme.yaml", ("retention_days: 365", "retention_days: 400"))
    subprocess.run([sys.executable, "-m", "baselinegen", "render", str(cli_out / "acme.yaml"), "-o", str(cli_out)],
                   check=True, capture_output=True)
    api.render(here_out / "acme.yaml", here_out)
    assert tree(cli_out) == tree(here_out)
    assert (EXAMPLES / "acme.yaml").read_text() != (cli_out / "acme.yaml").read_text()


def test_a_spawned_worker_importing_the_main_module_does_not_run_the_cli(capsys):
    import runpy

    runpy.run_module("baselinegen.__main__", run_name="__mp_main__")  # what a spawned worker of `python -m` does
    assert capsys.readouterr() == ("", "")
