"""A check run in a forked copy of this process while this one goes on: the copy starts with everything this
process holds (the rendered files, every parse), so nothing is sent to it but its verdict back.

Used for a large render's checks, which then run beside the planning of the writes. Only on Linux (fork is
the start method there; elsewhere forking a process with threads or system frameworks is not safe). Any
failure of the copy (it crashed, it raised) means the check runs again here, so what the caller sees is
exactly what calling ``fn`` would give.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import Callable, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def run_beside(fn: Callable[..., T], *args) -> Callable[[], T]:
    """Start ``fn(*args)`` in a forked copy; returns the function that waits for its result (call it once)."""
    if not can_fork():
        value = fn(*args)
        return lambda: value
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: compute, send, and leave without running this process' exit handlers
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)

    def wait() -> T:
        with os.fdopen(read_end, "rb") as source:
            payload = source.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not payload:
            return fn(*args)  # the copy failed: this process finds out why (or gets the result) itself
        return pickle.loads(payload)

    return wait
