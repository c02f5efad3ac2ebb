"""Compiled templates kept in the package's __pycache__: used when they match, compiled again when they do not,
and never the reason a render fails."""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import pytest

from baselinegen.render import env as render_env
from baselinegen.render import template_cache
from baselinegen.render.env import TEMPLATE_OPTIONS, build_environment
from baselinegen.render.template_cache import bytecode_cache, cache_folder

TEMPLATE = "shared/versions.tf.j2"  # rendered from source= alone


@pytest.fixture
def writes_bytecode(monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(template_cache, "_READY", {})


def _render(folder: Path, name: str = TEMPLATE) -> str:
    return build_environment(bytecode_cache(folder)).get_template(name).render(source="p.yaml")


def _no_compiling(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("compiled a template the cache holds")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def test_a_render_keeps_each_compiled_template_and_the_next_one_compiles_nothing(tmp_path, writes_bytecode, monkeypatch):
    folder = tmp_path / "__pycache__" / "templates-x"
    first = _render(folder)
    assert first == build_environment().get_template(TEMPLATE).render(source="p.yaml")  # no cache at all
    assert len(list(folder.glob("*.cache"))) == 2  # the template and the header it includes
    _no_compiling(monkeypatch)
    assert _render(folder) == first


def test_nothing_is_written_when_python_writes_no_bytecode(tmp_path, writes_bytecode, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    folder = tmp_path / "templates-x"
    assert "from p.yaml." in _render(folder)
    assert not folder.exists()


def test_a_folder_that_cannot_be_created_means_compiling_every_time(tmp_path, writes_bytecode):
    blocker = tmp_path / "__pycache__"
    blocker.write_text("a file where the folder would be")
    assert "from p.yaml." in _render(blocker / "templates-x")
    assert blocker.read_text() == "a file where the folder would be"


@pytest.mark.parametrize("damage", [b"", b"not jinja at all", None])
def test_a_damaged_entry_is_compiled_again_and_replaced(tmp_path, writes_bytecode, damage):
    folder = tmp_path / "templates-x"
    expected = _render(folder)
    entry = sorted(folder.glob("*.cache"), key=lambda p: p.stat().st_size)[-1]
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2] if damage is None else damage)  # None: cut short after a valid header
    template_cache._READY.clear()
    assert _render(folder) == expected
    assert entry.read_bytes() == good


def test_an_edited_template_is_compiled_again(tmp_path, writes_bytecode, monkeypatch):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.j2").write_text("first {{ source }}\n")
    monkeypatch.setattr(render_env, "templates_dir", lambda: templates)
    folder = tmp_path / "templates-x"
    assert _render(folder, "t.j2") == "first p.yaml\n"
    (templates / "t.j2").write_text("second {{ source }}\n")
    assert _render(folder, "t.j2") == "second p.yaml\n"


def test_other_environment_options_get_another_folder_and_the_old_one_is_dropped(tmp_path, writes_bytecode, monkeypatch):
    monkeypatch.setattr(template_cache, "PACKAGE_CACHE", tmp_path)
    current = cache_folder(TEMPLATE_OPTIONS)
    other = cache_folder(dict(TEMPLATE_OPTIONS, trim_blocks=False))
    assert current.parent == other.parent == tmp_path
    assert current.name.startswith("templates-") and current != other
    _render(other)
    _render(current)
    assert sorted(p.name for p in tmp_path.iterdir()) == [current.name]


def test_the_packages_folder_is_its_own_pycache():
    import baselinegen

    assert template_cache.PACKAGE_CACHE == Path(baselinegen.__file__).resolve().parent / "__pycache__"
    assert cache_folder(TEMPLATE_OPTIONS) == cache_folder(dict(TEMPLATE_OPTIONS))
