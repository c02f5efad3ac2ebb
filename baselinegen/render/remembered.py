"""Files rendered before (a module's files, the repository's own files), by the digest of this baselinegen and
everything their templates are given: a small change to a large organisation renders only what it touches (the
account roots have their own tables, see organization/remembered_roots.py). Only a cache (see usercache): whatever it returns is
parsed back and checked like any render.

The key is a pickle of the template context in which every dataclass is its declared fields, in order, and no object
is written as a reference to an earlier one (``fast``): two contexts get the same key only when they hold equal
values, whatever objects share them or what a model remembered about itself (``__dict__`` entries); a set a field
holds is written in a fixed order. A context that does not pickle is simply rendered. Equal keys always mean equal
contexts; a context whose key varies between processes (a set outside a field) is only rendered more often.

Remembering happens inside ``remembering()`` only (the pipeline's render_tree), for module files (components/base.py
render_module) and the repository's own files (``file``); the new entries are stored together when it ends, in one
transaction."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import pickle
from typing import Callable, Iterator

from ..json_table import JsonTable
from ..usercache import cache_dir, generator_digest
from .env import RenderedFile, render_file

_FORMAT = "baselinegen-module-files-1"
_REMEMBERED = JsonTable("module-files-1.sqlite3", accept=lambda value: isinstance(value, list))
_FRESH: list[dict] = []  # the entries of the remembering() blocks that are open (innermost last)
_RECALLED: list[dict[int, RenderedFile]] = []  # id -> each file they took from the cache (kept: its id stays its own)


class _SetOf(tuple):
    """A set held by a dataclass field, as its elements in the order of their repr (a set's own order varies from
    process to process); a class of its own, so that it never pickles like a tuple holding the same elements."""


class _Canonical(pickle.Pickler):
    """A pickler whose output depends only on values: see the module's docstring."""

    _fields: dict[type, tuple[str, ...]] = {}

    def reducer_override(self, obj):
        kind = type(obj)
        names = self._fields.get(kind)
        if names is None and dataclasses.is_dataclass(kind):
            names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(kind))
        if names is None:
            return NotImplemented
        return kind, tuple(_ordered(getattr(obj, name)) for name in names)


def _ordered(value):
    if type(value) in (set, frozenset):
        return _SetOf(sorted(value, key=repr))
    return value


def context_key(module: str, names: tuple[str, ...], context: dict) -> str | None:
    """The key of ``module``'s files (or of a file, by its path) rendered from ``context``; None when it cannot have
    one."""
    buffer = io.BytesIO()
    pickler = _Canonical(buffer, protocol=5)
    pickler.fast = True
    try:
        pickler.dump((module, names, sorted(context.items())))
    except (pickle.PicklingError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    data = buffer.getvalue()
    digest = hashlib.sha256(f"{_FORMAT}\0{generator_digest()}\0".encode())
    digest.update(data)
    return digest.hexdigest()


@contextlib.contextmanager
def remembering() -> Iterator[None]:
    """Files are looked up and remembered inside this block; what was rendered is stored when it ends."""
    fresh: dict = {}
    recalled: dict = {}
    _FRESH.append(fresh)
    _RECALLED.append(recalled)
    try:
        yield
    finally:
        _FRESH.remove(fresh)
        _RECALLED.remove(recalled)
    _REMEMBERED.store(cache_dir(), fresh)


def rendered(module: str, names: tuple[str, ...], context: dict, paths: list[tuple[str, str]],
             render: Callable[[], list[RenderedFile]]) -> list[RenderedFile]:
    """``render()``'s files (``paths``: their (path, mode), in order), remembered ones when a remembering() block is
    open and the same context was rendered before."""
    key = context_key(module, names, context) if _FRESH else None
    if key is None:
        return render()
    stored = _REMEMBERED.load(cache_dir(), [key]).get(key)
    files = _as_files(stored, paths) if stored is not None else None
    if files is None:
        files = render()
        _FRESH[-1][key] = [[f.path, f.content, f.mode] for f in files]
    else:
        _RECALLED[-1].update((id(f), f) for f in files)
    return files


def rendered_now(files: list[RenderedFile]) -> list[RenderedFile]:
    """The files among ``files`` that the open remembering() block did not take from the cache (all of them
    outside one): only these can hold a text no earlier render had."""
    recalled = _RECALLED[-1] if _RECALLED else {}
    return [f for f in files if recalled.get(id(f)) is not f]


def _as_files(stored: list, paths: list[tuple[str, str]]) -> list[RenderedFile] | None:
    """The stored files, or None when they are not the ones expected (a damaged or foreign entry)."""
    if not all(isinstance(e, list) and len(e) == 3 and all(isinstance(x, str) for x in e) for e in stored):
        return None
    files = [RenderedFile(path, content, mode) for path, content, mode in stored]
    return files if [(f.path, f.mode) for f in files] == paths else None


def file(template: str, path: str, *, mode: str = "managed", **context) -> RenderedFile:
    """``render_file(template, path, mode=mode, **context)``, remembered like a module's files: for the repository's
    own files (README, CI, atlantis.yaml, the bootstrap root), rendered from the whole organisation."""
    [found] = rendered(path, ((template, mode),), context, [(path, mode)],
                       lambda: [render_file(template, path, mode=mode, **context)])
    return found
