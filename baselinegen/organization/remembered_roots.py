"""Account roots rendered before, by the digest of this baselinegen and everything their files are rendered from
(roots.RootInputs): a small change to a large organisation renders only the roots it touches.

Roots differ little: most of their files are one *shape* (validate/shapes.py) with the account's name and ids put
in, and versions.tf is the same everywhere. So a root is kept as, for each file, the key of a text and, for a shape,
its values; every distinct text is kept once, in a table of its own, by its parse cache key. A remembered root's
files are its shapes with their values put back (``readings.recall``), and that reading is kept for the parse, so
neither the file nor its shape is worked out again. Only a cache (see usercache): a text whose key is not its own, a
shape that does not stand for its file as shape_of's do, or an entry that is not the root's files means rendering the
root; whatever it returns is parsed back and checked like any render.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Callable

from ..json_table import JsonTable
from ..render.env import RenderedFile
from ..usercache import cache_dir, generator_digest
from ..validate import readings

_FORMAT = "baselinegen-account-root-3"
_ROOTS = JsonTable("account-roots-1.sqlite3", accept=lambda value: isinstance(value, list))
_TEXTS = JsonTable("account-root-texts-1.sqlite3", accept=lambda value: isinstance(value, str))


def remembered_files(inputs: list, directory: Callable[[object], str], paths: Callable[[object], list[tuple[str, str]]],
                     render: Callable[[object, dict], list[RenderedFile]]) -> list[RenderedFile]:
    """``render(one, same)`` of every item of ``inputs`` (each a root's inputs, whose ``repr`` holds all that its
    files are rendered from; ``same``: what renders of other roots may share), remembered ones from the cache folder.
    ``directory``: a root's folder; ``paths``: the (name, mode) of the files ``render`` gives it, in order."""
    reprs: dict = {}
    keys = [_key(one, reprs) for one in inputs]
    folder = cache_dir()
    known = _ROOTS.load(folder, keys)
    texts = readings.known_texts(_TEXTS.load(folder, sorted(_text_keys(known.values())))) if known else {}
    same: dict = {}
    files, fresh, new_texts = [], {}, {}
    for one, key in zip(inputs, keys):
        found = _as_files(directory(one), paths(one), known[key], texts) if key in known else None
        if found is None:
            found = render(one, same)
            fresh[key] = [_entry(directory(one), f, new_texts) for f in found]
        files += found
    _TEXTS.store(folder, {key: text for key, text in new_texts.items() if key not in texts})
    _ROOTS.store(folder, fresh)
    return files


def _key(inputs, reprs: dict[tuple[int, bool], tuple[object, str]]) -> str:
    """The hash of this baselinegen's digest and the repr of each field of ``inputs`` (a dataclass), and of each item
    of a field that is a tuple. Roots share most of these objects (the modules they call, the common context): each
    object's repr is made once (``reprs``: (id, items) -> the object, its repr; the objects live as long as the
    call)."""
    digest = hashlib.sha256(f"{_FORMAT}\0{generator_digest()}\0{type(inputs).__qualname__}".encode())
    shown = "\0".join(_repr(getattr(inputs, field.name), reprs, True) for field in dataclasses.fields(inputs))
    digest.update(shown.encode("utf-8", errors="surrogatepass"))  # a repr holds neither \0 nor \x1e nor \x1f
    return digest.hexdigest()


def _repr(value: object, reprs: dict[tuple[int, bool], tuple[object, str]], items: bool = False) -> str:
    """repr(value); with ``items``, a tuple as the reprs of its items (each made once)."""
    known = reprs.get((id(value), items))
    if known is None or known[0] is not value:
        shown = "\x1e" + "\x1f".join([_repr(item, reprs) for item in value]) if items and type(value) is tuple else repr(value)
        known = reprs[(id(value), items)] = (value, shown)
    return known[1]


def _entry(folder: str, file: RenderedFile, texts: dict[str, str]) -> list:
    """A root's file as stored: [name, mode, key of its text, values]; its text is added to ``texts``."""
    key, text, values = readings.described(readings.Reading.of(file.path, file.content))
    texts[key] = text
    return [file.path[len(folder) + 1:], file.mode, key, values]


def _text_keys(stored) -> set[str]:
    return {e[2] for entries in stored for e in entries if isinstance(e, list) and len(e) == 4 and isinstance(e[2], str)}


def _as_files(folder: str, paths: list[tuple[str, str]], stored: list, texts: dict[str, str]) -> list[RenderedFile] | None:
    """A remembered root's files, or None when the entry is not the files expected (``paths``) or a file cannot be
    made from it."""
    if len(stored) != len(paths):
        return None
    files = []
    for (name, mode), entry in zip(paths, stored):
        if not (isinstance(entry, list) and len(entry) == 4 and entry[0] == name and entry[1] == mode):
            return None
        path = f"{folder}/{name}"
        text = texts.get(entry[2]) if isinstance(entry[2], str) else None
        content = readings.recall(path, entry[2], text, entry[3]) if text is not None else None
        if content is None:
            return None
        files.append(RenderedFile(path, content, mode))
    return files
