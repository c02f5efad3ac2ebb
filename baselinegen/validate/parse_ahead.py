"""Parsing while rendering: for a small change, loading python-hcl2 and its parser takes longer than parsing the
changed files, and it can happen on another core while this process renders the profile.

    with parsing_ahead():          # a worker process starts loading the parser now
        ...render...
        parse_soon(module_files)   # the texts no cache knows go to the worker at once; rendering goes on
        ...render the rest...
        parse_files(all_files)     # collects what the worker parsed; parses the rest

Only a process that has parsed nothing yet starts the worker (a CLI run); one that has already loaded the parser
and holds parse results (a test session, a long-lived caller) keeps parsing itself. Many texts (a full render)
still go to parse_texts' pool of one worker per core.
"""

from __future__ import annotations

import sys
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager

from ..usercache import cache_dir
from . import parse_cache

ENABLED = True  # tests that count the parses of their own process turn it off
_POOL: ProcessPoolExecutor | None = None  # the worker, while a parsing_ahead block runs
_PENDING: dict[str, Future] = {}  # parse_cache key -> the worker's parse of that text


@contextmanager
def parsing_ahead():
    global _POOL
    if not ENABLED or _POOL is not None or parse_cache.remembers_anything() or "hcl2" in sys.modules:
        yield
        return
    from .hclcheck import _load_parser

    pool = ProcessPoolExecutor(max_workers=1, initializer=_load_parser)
    pool.submit(int)  # starts the worker now
    _POOL = pool
    try:
        yield
    finally:
        _POOL = None
        _PENDING.clear()
        pool.shutdown(wait=False, cancel_futures=True)


def worker() -> ProcessPoolExecutor | None:
    return _POOL


def parse_soon(files) -> None:
    """Send the ``.tf`` texts among ``files`` that neither this process nor the parse cache knows to the worker
    (nothing without one)."""
    if _POOL is None:
        return
    from .hclcheck import _parse_in_worker

    texts = {parse_cache.key(f.content): f.content for f in files if f.path.endswith(".tf")}
    unknown = [key for key in texts if key not in _PENDING and parse_cache.remembered(key) is None]
    stored = parse_cache.load(cache_dir(), unknown) if unknown else {}
    for key in unknown:
        if key in stored:
            parse_cache.remember(key, stored[key])
        else:
            _PENDING[key] = _POOL.submit(_parse_in_worker, texts[key])


def take(keys) -> dict[str, Future]:
    """The worker's pending parses of ``keys`` (handed over: each is collected once)."""
    return {key: _PENDING.pop(key) for key in keys if key in _PENDING}
