"""python-hcl2 parse results, kept in this process and, across runs, in the user cache folder (usercache).

An entry's key is the SHA-256 of the text together with the python-hcl2 and lark versions and our
serialization options, so a text is parsed once per machine, whatever file it is in. Entries are JSON
texts in one SQLite table (``hcl2-parse.sqlite3``: thousands of entries are read or written in one
transaction, where a file per entry would cost a file creation each). An entry that is not a JSON object
is parsed again and replaced; a database that cannot be opened, is locked for long or is damaged means
no cache for that run (a damaged one is deleted), never a failed render.

The parsed dicts handed out are shared between every caller that asks for the same text: callers must
not change them (the invariants, the structure checks and the review only read them).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from ..usercache import package_version

_FORMAT = "baselinegen-hcl2-parse-2"
DATABASE = "hcl2-parse.sqlite3"
_MEMO: OrderedDict[str, object] = OrderedDict()  # key -> parsed dict, or the parse failure's message
_MEMO_SIZE = 8192
_BATCH = 500  # keys per SELECT (SQLite allows 999 parameters in old builds)


@lru_cache(maxsize=1)
def _salt() -> bytes:
    from .hclcheck import SERIALIZATION_OPTIONS  # the options as data: making a key does not import python-hcl2

    versions = f"{package_version('python-hcl2')}\0{package_version('lark')}"
    return f"{_FORMAT}\0{versions}\0{sorted(SERIALIZATION_OPTIONS.items())!r}\0".encode()


def key(text: str) -> str:
    """The cache key of ``text``: what it parses to depends on nothing else."""
    digest = hashlib.sha256(_salt())
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def remembered(key_: str):
    """The parse result this process already has for ``key_`` (a dict, a failure message, or None)."""
    found = _MEMO.get(key_)
    if found is not None:
        _MEMO.move_to_end(key_)
    return found


def remembers_anything() -> bool:
    return bool(_MEMO)


def remember(key_: str, result) -> None:
    _MEMO[key_] = result
    _MEMO.move_to_end(key_)
    while len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)


def _open(folder: Path, create: bool) -> sqlite3.Connection | None:
    path = folder / DATABASE
    try:
        if not create and not path.is_file():
            return None
        folder.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=2)
        connection.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, json TEXT NOT NULL)")
        return connection
    except (OSError, sqlite3.Error) as exc:
        _forget_if_damaged(path, exc)
        return None


def _forget_if_damaged(path: Path, exc: Exception) -> None:
    """A file that is not a SQLite database (or a damaged one) is deleted; a locked one is left alone."""
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def load(folder: Path, keys: list[str]) -> dict[str, dict]:
    """The stored parse of every key that has one (keys without one, or with one that is not a JSON object,
    are left out)."""
    connection = _open(folder, create=False)
    if connection is None:
        return {}
    found = {}
    try:
        with connection:
            for start in range(0, len(keys), _BATCH):
                batch = keys[start:start + _BATCH]
                rows = connection.execute(f"SELECT key, json FROM parsed WHERE key IN ({','.join('?' * len(batch))})", batch)
                for key_, text in rows:
                    try:
                        value = json.loads(text)
                    except (TypeError, ValueError):
                        continue
                    if isinstance(value, dict):
                        found[key_] = value
    except sqlite3.Error as exc:
        _forget_if_damaged(folder / DATABASE, exc)
        return {}
    finally:
        connection.close()
    return found


def store(folder: Path, parsed: dict[str, dict]) -> None:
    """Keep every ``parsed`` result, in one transaction (best effort)."""
    if not parsed:
        return
    connection = _open(folder, create=True)
    if connection is None:
        return
    try:
        with connection:
            connection.executemany("INSERT OR REPLACE INTO parsed (key, json) VALUES (?, ?)",
                                   [(k, json.dumps(v, ensure_ascii=False, separators=(",", ":"))) for k, v in parsed.items()])
    except (sqlite3.Error, TypeError, ValueError) as exc:
        _forget_if_damaged(folder / DATABASE, exc)
    finally:
        connection.close()
