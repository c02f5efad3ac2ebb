"""A table of JSON values in one SQLite file of the user cache folder (usercache): thousands of entries are read
or written in one transaction, where a file per entry would cost a file creation each.

Best effort throughout: a database that cannot be opened or is locked for long means no entries for that run;
a damaged one is deleted; a value that is not valid JSON (or not what the caller accepts) is left out, so the
caller does the work again and replaces it.

Bounded (usercache.KEEP_DAYS, TABLE_BYTES_MAX): each entry carries the time it was last stored or read (a read
notes it once a day at most, so reading stays a read). An entry nobody read for KEEP_DAYS is deleted, once a day,
when the table is next written; a table that holds more than TABLE_BYTES_MAX loses its least recently used entries
down to three quarters of that, and its file shrinks when most of it is free.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Callable

from . import usercache
from .usercache import DAY

_BATCH = 500  # keys per SELECT (SQLite allows 999 parameters in old builds)
_LAYOUT = 1  # PRAGMA user_version of a table whose entries have their last use (a table made before has 0)
SHRINK_ABOVE_BYTES = 16 * 1024 * 1024  # a file this large whose pages are mostly free is rewritten (VACUUM)


def now() -> int:
    """Seconds since the epoch (tests move it)."""
    return int(time.time())


class JsonTable:
    def __init__(self, file_name: str, accept: Callable[[object], bool] = lambda value: True):
        self.file_name = file_name
        self.accept = accept  # what a stored value must be to be returned

    def load(self, folder: Path, keys: list[str]) -> dict[str, object]:
        """The stored value of every key that has an acceptable one; each is noted as used (once a day)."""
        connection = self._open(folder, create=False)
        if connection is None:
            return {}
        found, stale = {}, []
        used_since = now() - DAY
        try:
            with connection:
                for start in range(0, len(keys), _BATCH):
                    batch = keys[start:start + _BATCH]
                    rows = connection.execute(f"SELECT key, json, used FROM entries WHERE key IN ({','.join('?' * len(batch))})", batch)
                    for key, text, used in rows:
                        try:
                            value = json.loads(text)
                        except (TypeError, ValueError):
                            continue
                        if self.accept(value):
                            found[key] = value
                            if not isinstance(used, int) or used < used_since:
                                stale.append(key)
                for start in range(0, len(stale), _BATCH):
                    batch = stale[start:start + _BATCH]
                    connection.execute(f"UPDATE entries SET used = ? WHERE key IN ({','.join('?' * len(batch))})", [now(), *batch])
        except sqlite3.Error as exc:
            self._forget_if_damaged(folder, exc)
            return {}
        finally:
            connection.close()
        return found

    def store(self, folder: Path, entries: dict[str, object]) -> None:
        """Keep every entry, in one transaction; then keep the table within its bounds."""
        if not entries:
            return
        connection = self._open(folder, create=True)
        if connection is None:
            return
        try:
            stamp = now()
            with connection:
                connection.executemany("INSERT OR REPLACE INTO entries (key, json, used) VALUES (?, ?, ?)",
                                       [(k, json.dumps(v, ensure_ascii=False, separators=(",", ":")), stamp) for k, v in entries.items()])
                freed = _prune(connection, stamp)
            if freed and _mostly_free(connection):
                connection.execute("VACUUM")
        except (sqlite3.Error, TypeError, ValueError) as exc:
            self._forget_if_damaged(folder, exc)
        finally:
            connection.close()

    def _open(self, folder: Path, create: bool) -> sqlite3.Connection | None:
        path = folder / self.file_name
        try:
            if not create and not path.is_file():
                return None
            folder.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=2)
            if connection.execute("PRAGMA user_version").fetchone()[0] != _LAYOUT:
                _lay_out(connection)
            return connection
        except (OSError, sqlite3.Error) as exc:
            self._forget_if_damaged(folder, exc)
            return None

    def _forget_if_damaged(self, folder: Path, exc: Exception) -> None:
        """A file that is not a SQLite database (or a damaged one) is deleted; a locked one is left alone."""
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            try:
                (folder / self.file_name).unlink(missing_ok=True)
            except OSError:
                pass


def _lay_out(connection: sqlite3.Connection) -> None:
    """Create the tables, or give a table made before entries had a last use one (its entries count as used now)."""
    with connection:
        connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, json TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0)")
        columns = {row[1] for row in connection.execute("PRAGMA table_info(entries)")}
        if "used" not in columns:
            connection.execute(f"ALTER TABLE entries ADD COLUMN used INTEGER NOT NULL DEFAULT {now()}")
        connection.execute("CREATE TABLE IF NOT EXISTS upkeep (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
        connection.execute(f"PRAGMA user_version = {_LAYOUT}")


def _prune(connection: sqlite3.Connection, stamp: int) -> bool:
    """Within the open transaction: delete what was not used for KEEP_DAYS (once a day) and, above TABLE_BYTES_MAX,
    the least recently used entries; whether anything was deleted."""
    deleted = 0
    last = connection.execute("SELECT value FROM upkeep WHERE name = 'pruned'").fetchone()
    if last is None or not isinstance(last[0], int) or not stamp - DAY < last[0] <= stamp:
        deleted += connection.execute("DELETE FROM entries WHERE used < ?", (stamp - usercache.KEEP_DAYS * DAY,)).rowcount
        connection.execute("INSERT OR REPLACE INTO upkeep (name, value) VALUES ('pruned', ?)", (stamp,))
    held = _bytes(connection, "page_count") - _bytes(connection, "freelist_count")
    if held > usercache.TABLE_BYTES_MAX:
        count = connection.execute("SELECT count(*) FROM entries").fetchone()[0]
        drop = count - int(count * (usercache.TABLE_BYTES_MAX * 3 // 4) / held)
        deleted += connection.execute("DELETE FROM entries WHERE key IN (SELECT key FROM entries ORDER BY used LIMIT ?)", (drop,)).rowcount
    return deleted > 0


def _bytes(connection: sqlite3.Connection, pragma: str) -> int:
    pages = connection.execute(f"PRAGMA {pragma}").fetchone()[0]
    return pages * connection.execute("PRAGMA page_size").fetchone()[0]


def _mostly_free(connection: sqlite3.Connection) -> bool:
    size = _bytes(connection, "page_count")
    return size > SHRINK_ABOVE_BYTES and _bytes(connection, "freelist_count") * 2 > size
