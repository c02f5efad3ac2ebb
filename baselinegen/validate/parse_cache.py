"""python-hcl2 parse results, kept in this process and, across runs, in the user cache folder (usercache).

An entry's key is the SHA-256 of the text together with the python-hcl2 and lark versions and our
serialization options, so a text is parsed once per machine, whatever file it is in. Entries are kept in
``hcl2-parse-2.sqlite3`` (see json_table); an entry that is not a JSON object is parsed again and replaced; a
database that cannot be opened, is locked for long or is damaged means no cache for that run, never a failed
render.

The parsed dicts handed out are shared between every caller that asks for the same text: callers must
not change them (the invariants, the structure checks and the review only read them).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from ..json_table import JsonTable
from ..usercache import package_version

_FORMAT = "baselinegen-hcl2-parse-2"
DATABASE = "hcl2-parse-2.sqlite3"  # the table layout of json_table
_MEMO: OrderedDict[str, object] = OrderedDict()  # key -> parsed dict, or the parse failure's message
_MEMO_SIZE = 8192


@lru_cache(maxsize=1)
def _salt() -> bytes:
    from .hclparse import SERIALIZATION_OPTIONS  # the options as data: making a key does not import python-hcl2

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


def known(folder: Path, keys) -> dict[str, object]:
    """What this process remembers or the cache folder holds for each of ``keys`` (those found are remembered)."""
    found = {key: result for key in keys if (result := remembered(key)) is not None}
    rest = [key for key in keys if key not in found]
    stored = load(folder, rest) if rest else {}
    for key, result in stored.items():
        remember(key, result)
    return found | stored


def remembers_anything() -> bool:
    return bool(_MEMO)


def remember(key_: str, result) -> None:
    _MEMO[key_] = result
    _MEMO.move_to_end(key_)
    while len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)


_TABLE = JsonTable(DATABASE, accept=lambda value: isinstance(value, dict))


def load(folder: Path, keys: list[str]) -> dict[str, dict]:
    """The stored parse of every key that has one (keys without one, or with one that is not a JSON object,
    are left out)."""
    return _TABLE.load(folder, keys)


def store(folder: Path, parsed: dict[str, dict]) -> None:
    """Keep every ``parsed`` result, in one transaction (best effort)."""
    _TABLE.store(folder, parsed)
