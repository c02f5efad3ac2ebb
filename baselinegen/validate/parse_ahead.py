"""Parsing while rendering: for a small change, loading python-hcl2 and its parser takes longer than parsing the
changed files, and it can happen on another core while this process loads and renders the profile.

    with parsing_ahead():          # a worker process starts loading the parser now
        ...load, render...
        parse_soon(module_files)   # the texts no cache knows go to the worker at once; rendering goes on
        ...render the rest...
        parse_files(all_files)     # collects what the worker parsed; parses the rest

Only a process that has parsed nothing yet starts the worker (a CLI run); one that has already loaded the parser
and holds parse results (a test session, a long-lived caller) keeps parsing itself. Many texts (a full render)
go to parse_texts' pool of one worker per core instead: the worker is stopped first. Leaving the block stops it
at once (a profile with errors does not wait for it).
"""

from __future__ import annotations

import multiprocessing
import sys
from contextlib import contextmanager

from ..usercache import cache_dir
from . import parse_cache

ENABLED = True  # tests that count the parses of their own process turn it off
_POOL = None  # the worker (a multiprocessing.Pool of one process), while a parsing_ahead block runs
_PENDING: dict = {}  # parse_cache key -> the worker's parse of that text (an AsyncResult)


@contextmanager
def parsing_ahead():
    global _POOL
    if not ENABLED or _POOL is not None or parse_cache.remembers_anything() or "hcl2" in sys.modules:
        yield
        return
    from .hclparse import _load_parser

    _POOL = multiprocessing.Pool(1, initializer=_load_parser)
    try:
        yield
    finally:
        stop()


def stop() -> None:
    """End the worker now; what it has not handed over is dropped (parse_texts parses it)."""
    global _POOL
    pool, _POOL = _POOL, None
    _PENDING.clear()
    if pool is not None:
        pool.terminate()
        pool.join()


def worker():
    return _POOL


def parse_soon(files) -> None:
    """Send what parse_texts will be asked for (see readings.py: a large file's chunks, an account root's shape) of
    the ``.tf`` files among ``files`` that neither this process nor the parse cache knows to the worker (nothing
    without one)."""
    if _POOL is None:
        return
    from .hclparse import _parse_in_worker

    from .readings import Reading

    texts = {key: text for f in files if f.path.endswith(".tf") for key, text in Reading.of(f.path, f.content).pieces}
    asked = [key for key in texts if key not in _PENDING]
    found = parse_cache.known(cache_dir(), asked)
    for key in asked:
        if key not in found:
            _PENDING[key] = _POOL.apply_async(_parse_in_worker, (texts[key],))


def pending(keys) -> list[str]:
    """Which of ``keys`` the worker is parsing (none of them is remembered yet: parse_soon sends only unknown texts)."""
    return [key for key in keys if key in _PENDING]


def collect(keys) -> dict[str, object]:
    """The worker's parses of ``keys`` (each handed over once; waits for them)."""
    return {key: _PENDING.pop(key).get() for key in keys}
