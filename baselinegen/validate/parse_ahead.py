"""Parsing while rendering: for a small change, loading python-hcl2 and its parser takes longer than parsing the
changed files, and it can happen on another core while this process loads and renders the profile.

    with parsing_ahead():          # a worker process starts loading the parser now
        ...load, render...
        parse_soon(module_files)   # the texts no cache knows go to the worker at once; rendering goes on
        ...render the rest...
        parse_files(all_files)     # collects what the worker parsed; parses the rest

Only a process that has parsed nothing yet starts the worker (a CLI run); one that has already loaded the parser
and holds parse results (a test session, a long-lived caller) keeps parsing itself. When much waits to be parsed
(a full render), a second worker starts (WORKERS: up to two, the machines this runs on have two cores or more);
each text goes to the worker with the least sent to it. Workers started early are small copies of this process
(a copy started late, at 5,000 accounts, holds the whole render). Leaving the block stops them at once (a profile
with errors does not wait for them).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from contextlib import contextmanager

from ..usercache import cache_dir
from . import parse_cache

ENABLED = True  # tests that count the parses of their own process turn it off
WORKERS = min(2, os.cpu_count() or 1)  # at most: the first starts with the process, another when much is to parse
MUCH = 64_000  # characters waiting to be parsed that are worth another worker
_POOLS: list = []  # the workers (a multiprocessing.Pool of one process each), while a parsing_ahead block runs
_LOAD: list[int] = []  # characters sent to each worker
_PENDING: dict = {}  # parse_cache key -> a worker's parse of that text (an AsyncResult)


@contextmanager
def parsing_ahead():
    if not ENABLED or _POOLS or parse_cache.remembers_anything() or "hcl2" in sys.modules:
        yield
        return
    _start()
    try:
        yield
    finally:
        stop()


def _start() -> None:
    from .hclparse import _load_parser

    _POOLS.append(multiprocessing.Pool(1, initializer=_load_parser))
    _LOAD.append(0)


def stop() -> None:
    """End the workers now; what they have not handed over is dropped (parse_texts parses it)."""
    pools = list(_POOLS)
    _POOLS.clear()
    _LOAD.clear()
    _PENDING.clear()
    for pool in pools:
        pool.terminate()
    for pool in pools:
        pool.join()


def running() -> bool:
    return bool(_POOLS)


def submit(text: str):
    """Parse ``text`` in the worker with the least sent to it (another worker starts when much waits); returns the
    AsyncResult. Send the longest texts first: they spread evenly."""
    from .hclparse import _parse_in_worker

    if len(_POOLS) < WORKERS and min(_LOAD) >= MUCH:
        _start()
    at = _LOAD.index(min(_LOAD))
    _LOAD[at] += len(text)
    return _POOLS[at].apply_async(_parse_in_worker, (text,))


def parse_soon(files) -> None:
    """Send what parse_texts will be asked for (see readings.py: a large file's chunks, an account root's shape) of
    the ``.tf`` files among ``files`` that neither this process nor the parse cache knows to the workers (nothing
    without them)."""
    if not _POOLS:
        return
    from .readings import Reading

    texts = {key: text for f in files if f.path.endswith(".tf") for key, text in Reading.of(f.path, f.content).pieces}
    asked = [key for key in texts if key not in _PENDING]
    found = parse_cache.known(cache_dir(), asked)
    for key in sorted((key for key in asked if key not in found), key=lambda k: -len(texts[k])):
        _PENDING[key] = submit(texts[key])


def pending(keys) -> list[str]:
    """Which of ``keys`` the workers are parsing (none of them is remembered yet: parse_soon sends only unknown texts)."""
    return [key for key in keys if key in _PENDING]


def collect(keys) -> dict[str, object]:
    """The workers' parses of ``keys`` (each handed over once; waits for them)."""
    return {key: _PENDING.pop(key).get() for key in keys}
