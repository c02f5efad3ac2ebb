"""The cache folder stays bounded: table entries and entry files nobody used for KEEP_DAYS go, a table above its
size bound loses its least recently used entries, reading keeps an entry, and pruning deletes only what baselinegen
put there, following no link."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing

import pytest

from baselinegen import api, json_table, usercache
from baselinegen.json_table import JsonTable
from baselinegen.usercache import DAY, KEEP_DAYS, PRUNED

from conftest import EXAMPLES

TABLE = "bounded-1.sqlite3"
OLD = KEEP_DAYS * DAY + 60  # seconds: unused for a little longer than kept
HEX = "0123456789abcdef" * 4


def sql(folder, query: str, *args):
    with closing(sqlite3.connect(folder / TABLE)) as connection, connection:
        return connection.execute(query, args).fetchall()


def used(folder) -> dict[str, int]:
    return dict(sql(folder, "SELECT key, used FROM entries"))


def age(folder, key: str, seconds: int) -> None:
    sql(folder, "UPDATE entries SET used = ? WHERE key = ?", int(time.time()) - seconds, key)


def prune_due(folder) -> None:
    """As if the last pruning of the table was two days ago."""
    sql(folder, "UPDATE upkeep SET value = ? WHERE name = 'pruned'", int(time.time()) - 2 * DAY)


def test_an_entry_unused_for_longer_than_kept_is_deleted_when_the_table_is_next_written(tmp_path):
    table = JsonTable(TABLE)
    table.store(tmp_path, {"old": 1, "recent": 2})
    age(tmp_path, "old", OLD)
    age(tmp_path, "recent", OLD - 120)
    prune_due(tmp_path)
    table.store(tmp_path, {"new": 3})
    assert sorted(used(tmp_path)) == ["new", "recent"]
    assert table.load(tmp_path, ["old", "recent", "new"]) == {"recent": 2, "new": 3}


def test_a_table_is_pruned_at_most_once_a_day(tmp_path):
    table = JsonTable(TABLE)
    table.store(tmp_path, {"a": 1})
    table.store(tmp_path, {"b": 2})  # pruned with the first store: not again today
    age(tmp_path, "a", OLD)
    table.store(tmp_path, {"c": 3})
    assert sorted(used(tmp_path)) == ["a", "b", "c"]
    prune_due(tmp_path)
    table.store(tmp_path, {"d": 4})
    assert sorted(used(tmp_path)) == ["b", "c", "d"]


def test_a_read_notes_an_entry_as_used_once_a_day(tmp_path):
    table = JsonTable(TABLE)
    table.store(tmp_path, {"a": 1, "b": 2})
    age(tmp_path, "a", 2 * DAY)
    age(tmp_path, "b", DAY - 600)
    before = used(tmp_path)
    assert table.load(tmp_path, ["a", "b"]) == {"a": 1, "b": 2}
    after = used(tmp_path)
    assert after["b"] == before["b"], "read within a day of its last use: nothing written"
    assert after["a"] >= int(time.time()) - 5
    age(tmp_path, "a", OLD)
    prune_due(tmp_path)
    assert table.load(tmp_path, ["a"]) == {"a": 1}
    table.store(tmp_path, {"c": 3})
    assert sorted(used(tmp_path)) == ["a", "b", "c"], "the read kept it"


def test_an_entry_that_is_not_accepted_is_not_noted_as_used(tmp_path):
    table = JsonTable(TABLE, accept=lambda value: isinstance(value, dict))
    table.store(tmp_path, {"a": [1]})
    age(tmp_path, "a", 2 * DAY)
    assert table.load(tmp_path, ["a"]) == {}
    assert used(tmp_path)["a"] < int(time.time()) - DAY


def test_a_table_above_its_bound_loses_its_least_recently_used_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(usercache, "TABLE_BYTES_MAX", 256 * 1024)
    table = JsonTable(TABLE)
    table.store(tmp_path, {f"k{i:03}": "x" * 2000 for i in range(200)})  # ~400 kB
    for i in range(200):
        age(tmp_path, f"k{i:03}", 3600 + (200 - i) * 60)  # k000 the least recently used
    table.store(tmp_path, {"new": "y"})
    kept = used(tmp_path)
    dropped = [f"k{i:03}" for i in range(200) if f"k{i:03}" not in kept]
    assert "new" in kept and 60 <= len(dropped) <= 120
    assert dropped == [f"k{i:03}" for i in range(len(dropped))], "the least recently used first"
    held = sql(tmp_path, "PRAGMA page_count")[0][0] - sql(tmp_path, "PRAGMA freelist_count")[0][0]
    assert held * sql(tmp_path, "PRAGMA page_size")[0][0] <= 256 * 1024


def test_a_file_mostly_free_after_pruning_shrinks(tmp_path, monkeypatch):
    monkeypatch.setattr(json_table, "SHRINK_ABOVE_BYTES", 64 * 1024)
    table = JsonTable(TABLE)
    table.store(tmp_path, {f"k{i:03}": "x" * 2000 for i in range(200)})
    size = (tmp_path / TABLE).stat().st_size
    for i in range(190):
        age(tmp_path, f"k{i:03}", OLD)
    prune_due(tmp_path)
    table.store(tmp_path, {"new": 1})
    assert len(used(tmp_path)) == 11
    assert (tmp_path / TABLE).stat().st_size < size / 4


def test_a_table_made_before_entries_had_a_last_use_keeps_them_as_used_now(tmp_path):
    with closing(sqlite3.connect(tmp_path / TABLE)) as connection, connection:
        connection.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, json TEXT NOT NULL)")
        connection.execute("INSERT INTO entries VALUES ('a', '[1]')")
    assert JsonTable(TABLE).load(tmp_path, ["a"]) == {"a": [1]}
    assert used(tmp_path)["a"] >= int(time.time()) - 5
    assert sql(tmp_path, "PRAGMA user_version") == [(1,)]
    JsonTable(TABLE).store(tmp_path, {"b": 2})
    assert sorted(used(tmp_path)) == ["a", "b"]


def test_a_damaged_upkeep_note_means_pruning_now(tmp_path):
    table = JsonTable(TABLE)
    table.store(tmp_path, {"a": 1})
    age(tmp_path, "a", OLD)
    sql(tmp_path, "UPDATE upkeep SET value = ? WHERE name = 'pruned'", int(time.time()) + 10 * DAY)  # a clock set back since
    table.store(tmp_path, {"b": 2})
    assert sorted(used(tmp_path)) == ["b"]


def entry_file(folder, *parts, days: float):
    path = folder.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    stamp = time.time() - days * DAY
    os.utime(path, (stamp, stamp))
    return path


def remaining(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def test_entry_files_unused_for_longer_than_kept_are_deleted_and_nothing_else(tmp_path):
    cache, outside = tmp_path / "cache", tmp_path / "outside"
    old, keep = KEEP_DAYS + 1, KEEP_DAYS - 1
    entry_file(cache, "renders", "ab", f"{HEX}.json", days=old)
    entry_file(cache, "renders", "cd", f"{HEX}.json", days=keep)
    entry_file(cache, "profile-sections", "ef", f"{HEX}.json", days=old)
    entry_file(cache, "installation", f"{HEX}.json", days=old)
    entry_file(cache, "installation", f"{HEX[::-1]}.json", days=keep)
    entry_file(cache, "renders", "ab", f"{HEX}.json.4242.tmp", days=2)  # a write that died
    entry_file(cache, "renders", "ab", f"{HEX[::-1]}.json.4243.tmp", days=0.5)  # one that may still be under way
    entry_file(cache, "hcl2-parse.sqlite3", days=0)  # an earlier version's
    # not baselinegen's: kept, however old
    entry_file(cache, "renders", "ab", "notes.txt", days=old)
    entry_file(cache, "renders", f"{HEX}.json", days=old)  # not in a two-character subfolder
    entry_file(cache, "other", "ab", f"{HEX}.json", days=old)
    entry_file(cache, f"{HEX}.json", days=old)
    entry_file(outside, "ab", f"{HEX}.json", days=old)
    entry_file(outside, "sections", "ab", f"{HEX}.json", days=old)
    (cache / "renders" / "ef").symlink_to(outside / "ab", target_is_directory=True)
    (cache / "profile-sections-link").symlink_to(outside / "sections", target_is_directory=True)
    os.rename(cache / "profile-sections", tmp_path / "moved")
    (cache / "profile-sections").symlink_to(tmp_path / "moved", target_is_directory=True)

    usercache.prune_daily(cache)

    assert remaining(cache) == sorted([
        f"installation/{HEX[::-1]}.json", f"other/ab/{HEX}.json", PRUNED, "profile-sections", "profile-sections-link",
        f"renders/ab/{HEX[::-1]}.json.4243.tmp", "renders/ab/notes.txt", f"renders/cd/{HEX}.json", "renders/ef",
        f"renders/{HEX}.json", f"{HEX}.json"])
    assert remaining(outside) == [f"ab/{HEX}.json", f"sections/ab/{HEX}.json"]
    assert remaining(tmp_path / "moved") == [f"ef/{HEX}.json"], "a linked entry folder is not followed"



def test_entry_files_are_pruned_at_most_once_a_day(tmp_path):
    stale = entry_file(tmp_path, "renders", "ab", f"{HEX}.json", days=KEEP_DAYS + 1)
    (tmp_path / PRUNED).write_bytes(b"")
    usercache.prune_daily(tmp_path)
    assert stale.exists()
    stamp = time.time() - DAY - 60
    os.utime(tmp_path / PRUNED, (stamp, stamp))
    usercache.prune_daily(tmp_path)
    assert not stale.exists() and (tmp_path / PRUNED).stat().st_mtime > time.time() - 60


def test_reading_an_entry_file_keeps_it(tmp_path):
    stale = entry_file(tmp_path, "renders", "ab", f"{HEX}.json", days=KEEP_DAYS + 1)
    assert usercache.read_json(stale) == {}
    assert stale.stat().st_mtime > time.time() - 60
    usercache.prune_daily(tmp_path)
    assert stale.exists()


def test_a_render_prunes_the_cache_folder_it_writes_to(empty_cache, tmp_path):
    api.render(EXAMPLES / "acme.yaml", tmp_path / "first")
    stamp = entry_file(empty_cache, "renders", "ab", f"{HEX}.json", days=KEEP_DAYS + 1)
    (empty_cache / PRUNED).unlink()
    parses = empty_cache / "hcl2-parse-2.sqlite3"
    with closing(sqlite3.connect(parses)) as connection, connection:
        first = {key for (key,) in connection.execute("SELECT key FROM entries")}
        connection.execute("INSERT INTO entries (key, json, used) VALUES ('a-text-long-gone', '{}', ?)", (int(time.time()) - OLD,))
        connection.execute("UPDATE upkeep SET value = ? WHERE name = 'pruned'", (int(time.time()) - 2 * DAY,))
    api.render(EXAMPLES / "acme-cis5.yaml", tmp_path / "second")  # parses texts the first did not render
    assert not stamp.exists()
    with closing(sqlite3.connect(parses)) as connection:
        keys = {key for (key,) in connection.execute("SELECT key FROM entries")}
    assert "a-text-long-gone" not in keys and first < keys, "the first render's parses stay, with the second's"


@pytest.mark.parametrize("damage, kept", [(b"not a database" * 100, {"b": 2}), (b"", {"a": 1, "b": 2})])
def test_a_damaged_table_file_is_replaced_when_written(tmp_path, damage, kept):
    """Not a database: deleted when opened (that store is lost); an empty file is an empty database."""
    (tmp_path / TABLE).write_bytes(damage)
    table = JsonTable(TABLE)
    table.store(tmp_path, {"a": 1})
    table.store(tmp_path, {"b": 2})
    assert table.load(tmp_path, ["a", "b"]) == kept
