"""``.baselinegen/lock``: one baselinegen command at a time changes an output folder.

A command that writes the folder holds an exclusive ``fcntl.flock`` on the lock file, a command that only reads it
(``check``, ``diff``, ``render --dry-run``) a shared one; the operating system releases it when the process dies,
so a killed render never leaves the folder locked. The holder writes its pid, host and command into the file; a
command that cannot get the lock within ``BASELINEGEN_LOCK_TIMEOUT`` seconds (default 60) exits naming it. The
last holder deletes the lock file (and the ``.baselinegen`` folder or output folder it had to create, if empty), so
a folder is left as it was found."""

from __future__ import annotations

import errno
import fcntl
import os
import shlex
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from ..errors import FileSystemError, OutputError, UserError, os_reason

STATE_DIR = ".baselinegen"
LOCK_PATH = f"{STATE_DIR}/lock"
TIMEOUT_VARIABLE = "BASELINEGEN_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 60.0
_POLL = 0.05
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)
NOT_A_FOLDER = "a file is in the way of a folder"


def lock_timeout() -> float:
    raw = os.environ.get(TIMEOUT_VARIABLE)
    if raw is None or raw == "":
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        raise UserError(f"{TIMEOUT_VARIABLE}={raw[:60]!r} is not valid; allowed: seconds from 0 to 86400")
    return value


def _holder_text(command: str) -> str:
    since = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"pid {os.getpid()}\nhost {os.uname().nodename}\ncommand {command}\nsince {since}\n"


def current_command() -> str:
    return shlex.join(["baselinegen"] + sys.argv[1:])[:300]


def _describe_holder(path: str) -> str:
    """Who holds the lock, from what it wrote into the lock file ("another process" when it wrote nothing yet)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            text = os.read(fd, 2000).decode("utf-8", errors="replace")
        finally:
            os.close(fd)
    except OSError:
        text = ""
    fields = dict(line.split(" ", 1) for line in text.splitlines() if " " in line)
    if "pid" not in fields:
        return "another baselinegen process (a check or diff reading the folder, or one just starting)"
    return (f"pid {fields['pid'][:20]} on {fields.get('host', '?')[:80]} ({fields.get('command', '?')[:200]})"
            f" since {fields.get('since', '?')[:40]}")


class FolderLock:
    """Hold the lock of ``root`` (exclusive to write, shared to read) between ``acquire`` and ``release``."""

    def __init__(self, root: Path, *, exclusive: bool, command: str | None = None):
        self.root, self.exclusive = root, exclusive
        self.command = command or current_command()
        self.fd: int | None = None
        self._created: list[str] = []  # folders the lock had to create, deepest last

    @property
    def path(self) -> str:
        return os.path.join(self.root, LOCK_PATH)

    def acquire(self) -> None:
        state_dir = os.path.join(self.root, STATE_DIR)
        if os.path.islink(state_dir):
            raise OutputError(f"{state_dir}: is a symbolic link; refusing to use it (it must be a folder)")
        if not os.path.isdir(self.root) and (not self.exclusive or os.path.lexists(self.root)):
            return  # nothing to read and nothing a writer could be changing yet, or a file the plan reports
        try:
            self._make_folders(state_dir)
        except OSError as exc:
            if not self.exclusive and exc.errno in _READ_ONLY:
                return  # a read-only folder: nobody writes it, reading needs no lock
            self._remove_created()
            reason = NOT_A_FOLDER if exc.errno in (errno.EEXIST, errno.ENOTDIR) else os_reason(exc)
            raise FileSystemError("write", exc.filename or state_dir, reason) from None
        deadline = time.monotonic() + lock_timeout()
        while True:
            fd = self._open()
            if fd is None:
                return
            try:
                fcntl.flock(fd, (fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() >= deadline:
                    self._remove_created()
                    raise OutputError(f"{self.path}: held by {_describe_holder(self.path)}; gave up after waiting "
                                      f"{lock_timeout():g} s (set {TIMEOUT_VARIABLE} to wait longer)") from None
                time.sleep(_POLL)
                continue
            if self._still_linked(fd):
                break
            os.close(fd)  # the holder before us deleted the file we locked: lock the new one
        self.fd = fd
        if self.exclusive:
            self._write_holder()

    def _make_folders(self, state_dir: str) -> None:
        missing = []
        folder = state_dir
        while folder and not os.path.isdir(folder):
            missing.append(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        for folder in reversed(missing):
            try:
                os.mkdir(folder)
            except FileExistsError:
                if os.path.isdir(folder) and not os.path.islink(folder):
                    continue  # another command made it at the same moment: not ours to remove
                raise
            self._created.append(folder)

    def _open(self) -> int | None:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except FileNotFoundError:
            # the holder before us removed the .baselinegen folder it had made, as we waited: make it again
            try:
                self._make_folders(os.path.dirname(self.path))
            except OSError as exc:
                self._remove_created()
                raise FileSystemError("write", exc.filename or self.path, os_reason(exc)) from None
            return self._open()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self._remove_created()
                raise OutputError(f"{self.path}: is a symbolic link; refusing to use it") from None
            if not self.exclusive and exc.errno in _READ_ONLY:
                return None
            self._remove_created()
            raise FileSystemError("write", self.path, os_reason(exc)) from None

    def _still_linked(self, fd: int) -> bool:
        try:
            on_disk = os.lstat(self.path)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)

    def _write_holder(self) -> None:
        try:
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, _holder_text(self.command).encode("utf-8", errors="replace"), 0)
        except OSError:
            pass  # a full disk: the lock still holds, only the holder's name is missing

    def release(self) -> None:
        """Unlock; the last holder deletes the lock file and the folders the lock created (when empty)."""
        if self.fd is None:
            self._remove_created()
            return
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody else holds or waits for it: delete it
            if self._still_linked(self.fd):
                os.unlink(self.path)
        except OSError:
            pass
        finally:
            os.close(self.fd)
            self.fd = None
        self._remove_created()

    def _remove_created(self) -> None:
        for folder in reversed(self._created):
            try:
                os.rmdir(folder)
            except OSError:
                break
        self._created = []
