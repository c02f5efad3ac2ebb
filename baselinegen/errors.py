"""Error family. ``UserError`` and its subclasses carry messages meant for users (exit 1, no
traceback); anything else escaping the CLI is a bug and keeps its traceback."""

from __future__ import annotations

import re
from dataclasses import dataclass


class BaselinegenError(Exception):
    """Base of every error baselinegen raises on purpose."""


class UserError(BaselinegenError):
    """A problem the user can fix; printed without a traceback, exit code 1."""


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One finding about a profile: ``FILE:LINE:COL: key.path: message``."""

    location: Location
    path: str  # dotted key path, e.g. "iam.groups[1].name"; "" for the document itself
    message: str
    code: str  # E1xx schema, E2xx cross-reference, E3xx output, W4xx weak-but-legal
    severity: str = "error"  # "error" or "warning"

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", readable(self.message))
        object.__setattr__(self, "path", readable(self.path))

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.location}: {where}{label}{self.message} [{self.code}]"

    def sort_key(self):
        return (self.location.file, self.location.line, self.location.column, self.path, self.code, self.message)


# A message is one line, and a value from the profile shows at most its first characters: the checks quote values
# with repr (cut by profile.wording.shown where they know it); whatever they did not cut is cut here.
_QUOTED = re.compile(r"""(?<![^\s(\[{=:])('(?:[^'\\\n]|\\.){81,}'|"(?:[^"\\\n]|\\.){81,}")""")
_LONG_TOKEN = re.compile(r"[^\s,;'\"]{101,}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def readable(text: str) -> str:
    """``text`` on one line (control characters escaped), quoted values longer than 80 characters and runs of more
    than 100 characters without a space cut to their first 60 characters and their length."""
    text = _QUOTED.sub(lambda m: f"{m.group()[:61]}{m.group()[0]}... ({len(m.group()) - 2:,} characters)", text)
    text = _LONG_TOKEN.sub(lambda m: f"{m.group()[:60]}... ({len(m.group()):,} characters)", text)
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class ProfileError(UserError):
    """The profile has problems; ``problems`` lists every one (errors and, under --strict, warnings). ``strict``: the
    warnings among them are errors too (--strict)."""

    def __init__(self, problems: list[Problem], *, strict: bool = False):
        self.problems = sorted(problems, key=Problem.sort_key)
        self.strict = strict
        super().__init__("\n".join(str(p) for p in self.problems))


class OutputError(UserError):
    """The output folder cannot be written as asked (path outside it, unreadable file, ...)."""


class RenderInvariantError(BaselinegenError):
    """The rendered Terraform broke an invariant (a bug in baselinegen, not in the profile)."""


class ConflictError(OutputError):
    """Files the render would overwrite or delete hold hand edits (or are not baselinegen's);
    ``conflicts`` are the plan's FileActions with action "conflict". Nothing was written."""

    def __init__(self, conflicts: list):
        self.conflicts = conflicts
        paths = ", ".join(a.path for a in conflicts)
        super().__init__(f"{len(conflicts)} file(s) hold changes baselinegen would lose: {paths}; nothing was written")


class FileSystemError(OutputError):
    """The operating system refused to read or write a path (read-only folder, full disk, name too long,
    permission denied, ...). Printed as ``baselinegen: cannot write PATH: REASON``."""

    def __init__(self, verb: str, path: str, reason: str, note: str = ""):
        self.verb, self.path, self.reason, self.note = verb, path, reason, note
        super().__init__(f"cannot {verb} {path}: {reason}" + (f"\n{note}" if note else ""))


def os_reason(exc: OSError) -> str:
    """The operating system's words for ``exc`` ("No space left on device"), without the errno and path."""
    return exc.strerror or str(exc) or type(exc).__name__
