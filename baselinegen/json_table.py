"""A table of JSON values in one SQLite file of the user cache folder (usercache): thousands of entries are read
or written in one transaction, where a file per entry would cost a file creation each.

Best effort throughout: a database that cannot be opened or is locked for long means no entries for that run;
a damaged one is deleted; a value that is not valid JSON (or not what the caller accepts) is left out, so the
caller does the work again and replaces it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Callable

_BATCH = 500  # keys per SELECT (SQLite allows 999 parameters in old builds)


class JsonTable:
    def __init__(self, file_name: str, accept: Callable[[object], bool] = lambda value: True):
        self.file_name = file_name
        self.accept = accept  # what a stored value must be to be returned

    def load(self, folder: Path, keys: list[str]) -> dict[str, object]:
        """The stored value of every key that has an acceptable one."""
        connection = self._open(folder, create=False)
        if connection is None:
            return {}
        found = {}
        try:
            with connection:
                for start in range(0, len(keys), _BATCH):
                    batch = keys[start:start + _BATCH]
                    rows = connection.execute(f"SELECT key, json FROM entries WHERE key IN ({','.join('?' * len(batch))})", batch)
                    for key, text in rows:
                        try:
                            value = json.loads(text)
                        except (TypeError, ValueError):
                            continue
                        if self.accept(value):
                            found[key] = value
        except sqlite3.Error as exc:
            self._forget_if_damaged(folder, exc)
            return {}
        finally:
            connection.close()
        return found

    def store(self, folder: Path, entries: dict[str, object]) -> None:
        """Keep every entry, in one transaction."""
        if not entries:
            return
        connection = self._open(folder, create=True)
        if connection is None:
            return
        try:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO entries (key, json) VALUES (?, ?)",
                                       [(k, json.dumps(v, ensure_ascii=False, separators=(",", ":"))) for k, v in entries.items()])
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
            connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, json TEXT NOT NULL)")
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
