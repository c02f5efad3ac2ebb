"""The remembered installation (usercache.installation): the generator digest and the dependencies' versions are
read from the cache folder under a key made of file metadata, and are computed again whenever that key changes or
the entry is not what was stored. Each start of a command saves reading every file of the package and asking
importlib.metadata for six packages; none of that may hide a changed generator."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from baselinegen import usercache


@pytest.fixture
def fresh(empty_cache, monkeypatch):
    """No installation remembered, in this process or in the cache folder; the files are settled (older than the
    settling time) unless a test says otherwise. Returns the calls that really computed the digest."""
    computed = []
    real = usercache._digest

    def counting(versions):
        computed.append(dict(versions))
        return real(versions)

    monkeypatch.setattr(usercache, "_digest", counting)
    monkeypatch.setattr(usercache, "SETTLED_NS", -10**18)
    usercache.installation.cache_clear()
    yield computed
    usercache.installation.cache_clear()


def _again() -> dict:
    usercache.installation.cache_clear()  # as a new process would
    return usercache.installation()


def test_a_second_start_reads_the_remembered_digest_instead_of_every_file(fresh, empty_cache):
    first = usercache.installation()
    assert _again() == first and len(fresh) == 1
    assert [p.name for p in (empty_cache / "installation").iterdir()] == [f"{usercache._installation_key()[0]}.json"]
    assert first["versions"] == {name: usercache._metadata_version(name) for name in usercache.DEPENDENCIES}
    assert usercache.package_version("jinja2") == first["versions"]["jinja2"]
    assert usercache.generator_digest() == first["digest"]


def test_the_remembered_digest_is_the_one_computed_from_the_files(fresh):
    remembered = usercache.installation()
    assert remembered["digest"] == usercache._digest(remembered["versions"])


@pytest.fixture
def template(tmp_path, monkeypatch):
    """A copy of the templates in use, remembered once; returns one of its files."""
    templates = tmp_path / "templates"
    shutil.copytree(usercache.templates_dir(), templates)
    monkeypatch.setattr(usercache, "templates_dir", lambda: templates)
    return templates / "kms" / "main.tf.j2"


def test_a_template_edited_since_gets_a_new_key_and_a_new_digest(fresh, template):
    before = usercache.installation()
    info = template.stat()
    template.write_text(template.read_text() + "{# changed #}\n")
    os.utime(template, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    after = _again()
    assert len(fresh) == 2 and after["digest"] != before["digest"]


def test_a_file_of_the_same_size_and_time_still_counts_when_its_inode_changed(fresh, template, tmp_path):
    before = usercache.installation()
    info = template.stat()
    replacement = tmp_path / "replacement"
    replacement.write_text(template.read_text().replace("{", "[", 1))  # same size, another content
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(replacement, template)
    assert _again()["digest"] != before["digest"] and len(fresh) == 2


def test_a_file_changed_within_the_settling_time_is_not_remembered(fresh, empty_cache, monkeypatch):
    monkeypatch.setattr(usercache, "SETTLED_NS", 10**18)  # every file is "just changed"
    first = usercache.installation()
    assert _again() == first and len(fresh) == 2
    assert not (empty_cache / "installation").exists()


@pytest.mark.parametrize("damage", [
    lambda entry: entry.write_text("{not json"),
    lambda entry: entry.write_text(json.dumps({"digest": "0" * 63, "versions": {}})),
    lambda entry: entry.write_text(json.dumps({"digest": "0" * 64, "versions": {"jinja2": "3"}})),
    lambda entry: entry.write_text(json.dumps({"digest": "0" * 64, "versions": dict.fromkeys(usercache.DEPENDENCIES, 3)})),
    lambda entry: entry.write_text("[]"),
], ids=["not-json", "short-digest", "missing-versions", "numbers", "a-list"])
def test_a_damaged_entry_is_computed_again(fresh, empty_cache, damage):
    first = usercache.installation()
    damage(next((empty_cache / "installation").iterdir()))
    assert _again() == first and len(fresh) == 2


def test_an_unwritable_cache_folder_still_gives_the_digest(fresh, empty_cache):
    empty_cache.write_text("a file where the folder should be")
    first = usercache.installation()
    assert _again() == first and len(fresh) == 2


def test_a_deleted_current_folder_still_gives_a_key_and_the_digest(fresh, monkeypatch):
    def gone():
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(usercache.os, "getcwd", gone)
    key, settled = usercache._installation_key()
    assert len(key) == 64 and int(key, 16) >= 0 and settled is True
    assert usercache.installation()["digest"] == usercache._digest(usercache.installation()["versions"])
