"""``ci.baselinegen``: the pip requirement (PEP 508) CI and the pre-commit hook install baselinegen with.

Parsed with ``packaging`` and classified as a version pin (``baselinegen==0.2.0``), another specifier
(``baselinegen>=0.1``, no pin), a git URL (``baselinegen @ git+https://github.com/acme/baselinegen@v0.2.0``, which
pre-commit uses as ``repo:`` + ``rev:``) or another URL (a wheel or an archive)."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from packaging.requirements import Requirement

PROJECT = "baselinegen"
PIN, SPECIFIER, GIT, URL = "pin", "specifier", "git", "url"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The usual requirement, a pin of a release (baselinegen==0.2.0): read without importing packaging, which reads it
# the same way (tests/test_ci_requirement.py compares the two); packaging reads everything else.
_RELEASE_PIN = re.compile(PROJECT + r"==([0-9]+(?:\.[0-9]+)*)")


class RequirementError(ValueError):
    """Not a requirement CI can install baselinegen with; ``code`` is the message code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class BaselinegenRequirement:
    text: str  # as the profile wrote it: what pip installs
    kind: str  # pin, specifier, git or url
    version: str = ""  # pin: the pinned version
    repo: str = ""  # git: the repository URL without git+ and without @rev (pre-commit's repo:)
    rev: str = ""  # git: the revision after the last @ (pre-commit's rev:)
    url: str = ""  # git and url: the URL as written

    def describe(self) -> str:
        """Where it installs baselinegen from, in words: for notes that compare two requirements."""
        if self.kind == PIN:
            return f"baselinegen {self.version} from PyPI"
        if self.kind == SPECIFIER:
            return f"{self.text} from PyPI (no version pinned)"
        if self.kind == GIT:
            return f"baselinegen from git {self.repo} at {self.rev}" if self.rev else f"baselinegen from git {self.repo}"
        return f"baselinegen from {self.url}"

    def same_as(self, other: BaselinegenRequirement) -> bool:
        """Installs the same thing (``baselinegen==0.1`` and ``baselinegen==0.1.0`` do; extras and markers aside)."""
        return self._key() == other._key()

    def _key(self) -> tuple:
        from packaging.requirements import Requirement
        from packaging.version import Version

        if self.kind == PIN:
            return (PIN, Version(self.version) if _is_version(self.version) else self.version)  # 0.1 == 0.1.0
        if self.kind == SPECIFIER:
            return (SPECIFIER, str(Requirement(self.text).specifier))
        return (self.kind, self.repo, self.rev) if self.kind == GIT else (self.kind, self.url)


def _is_version(text: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def _pinned_version(requirement: Requirement) -> str:
    """The version an ``==`` / ``===`` specifier pins exactly (no wildcard), or ""."""
    for spec in requirement.specifier:
        if spec.operator in ("==", "===") and not spec.version.endswith(".*"):
            return spec.version
    return ""


def _git(url: str) -> tuple[str, str]:
    """(repository URL for pre-commit, rev) of a ``git+`` URL; rev "" when the URL names none."""
    bare = url[len("git+"):]
    parts = urlsplit(bare)
    path, _, rev = parts.path.rpartition("@") if "@" in parts.path else (parts.path, "", "")
    repo = f"{parts.scheme}://{parts.netloc}{path}" if parts.scheme else path
    return repo, rev


def parse(text: str) -> BaselinegenRequirement:
    """The requirement, classified; raises RequirementError (E266 not PEP 508, E267 another project, E268 a git URL
    without a revision)."""
    if _CONTROL.search(text):
        raise RequirementError("not a pip requirement (PEP 508): it holds a line break or another control character", "E266")
    if "${{" in text:  # the workflow's env: GitHub Actions would evaluate it (and could hand pip a secret)
        raise RequirementError("holds ${{, which GitHub Actions evaluates as an expression in the workflow; write the URL "
                               "without it", "E266")
    release = _RELEASE_PIN.fullmatch(text)
    if release:
        return BaselinegenRequirement(text, PIN, version=release.group(1))
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "it does not parse"
        raise RequirementError(f"not a pip requirement (PEP 508): {reason}", "E266") from None
    if canonicalize_name(requirement.name) != PROJECT:
        close = difflib.get_close_matches(canonicalize_name(requirement.name), [PROJECT], n=1, cutoff=0.6)
        hint = f" (did you mean {PROJECT!r}?)" if close else ""
        raise RequirementError(f"installs {requirement.name!r}, not baselinegen: CI runs baselinegen check and diff with "
                               f"it{hint}", "E267")
    if requirement.url:
        if requirement.url.startswith("git+"):
            repo, rev = _git(requirement.url)
            if not rev:
                raise RequirementError(f"the git URL names no revision: add @<tag or commit> ({text}@v0.2.0); pre-commit "
                                       "needs a rev, and CI would install whatever the default branch holds", "E268")
            return BaselinegenRequirement(text, GIT, repo=repo, rev=rev, url=requirement.url)
        return BaselinegenRequirement(text, URL, url=requirement.url)
    version = _pinned_version(requirement)
    return BaselinegenRequirement(text, PIN if version else SPECIFIER, version=version)


def same_version(a: str, b: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def warning(requirement: BaselinegenRequirement, running: str) -> tuple[str, str] | None:
    """(code, message) when the requirement lets CI run another baselinegen than the one rendering: no version pinned
    (W437) or another version pinned (W438); None otherwise."""
    if requirement.kind == SPECIFIER:
        return ("W437", f"{requirement.text!r} pins no version: CI installs whatever is newest, and check may then render "
                        f"differently from the baselinegen that rendered the repository; pin one: baselinegen=={running}")
    if requirement.kind == PIN and not same_version(requirement.version, running):
        return ("W438", f"pins baselinegen {requirement.version}, but this is baselinegen {running}: the repository would be "
                        f"checked by another version than the one rendering it; pin baselinegen=={running} or render with "
                        f"{requirement.version}")
    return None


_ENV = re.compile(r"^[ \t]*BASELINEGEN_(REQUIREMENT|VERSION):[ \t]*(.*?)[ \t]*$", re.M)
_BLOCK = re.compile(r"^[ \t]*-[ \t]*repo:[ \t]*", re.M)
_FIELD = re.compile(r"^[ \t]*(?:-[ \t]*)?(repo|rev|additional_dependencies):[ \t]*(.*?)[ \t]*$", re.M)
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[^,\[\]\s][^,\[\]]*')


def _scalar(value: str) -> str:
    """A YAML flow scalar as the starter files write it (double-quoted JSON style, single-quoted or plain)."""
    value = value.strip()
    if value.startswith('"'):
        try:
            return json.loads(value)
        except ValueError:
            return value.strip('"')
    if value.startswith("'"):
        return value[1:-1].replace("''", "'") if value.endswith("'") and len(value) > 1 else value[1:]
    return value.split(" #")[0].strip()


def installed_by(path: str, text: str) -> str | None:
    """The requirement a CI file installs baselinegen with (the workflow's BASELINEGEN_REQUIREMENT or an older
    BASELINEGEN_VERSION; the pre-commit hook's additional_dependencies or repo + rev), or None. Read line by line,
    not as YAML: the file is the user's and may be anything."""
    if path.endswith(".pre-commit-config.yaml"):
        starts = [m.start() for m in _BLOCK.finditer(text)] + [len(text)]
        for begin, end in zip(starts, starts[1:]):
            block = text[begin:end]
            if not re.search(r"^[ \t]*-?[ \t]*id:[ \t]*['\"]?baselinegen-check\b", block, re.M):
                continue
            fields = {name: value for name, value in _FIELD.findall(block)}
            repo = _scalar(fields.get("repo", ""))
            if repo != "local" and fields.get("rev"):
                return f"{PROJECT} @ git+{repo}@{_scalar(fields['rev'])}"
            for item in _QUOTED.findall(fields.get("additional_dependencies", "").strip("[] ")):
                if _scalar(item).lower().startswith(PROJECT):
                    return _scalar(item)
        return None
    for name, value in _ENV.findall(text):
        return _scalar(value) if name == "REQUIREMENT" else f"{PROJECT}=={_scalar(value)}"
    return None


def pin_note(path: str, found: str, profile: str, running: str) -> str | None:
    """A note for a CI file the user changed (so renders keep it) whose requirement is not the profile's
    ci.baselinegen, or pins another version than the one running; None when it agrees."""
    try:
        installed, wanted = parse(found), parse(profile)
    except RequirementError:
        return f"note: {path} installs baselinegen with {found!r}, which is not a requirement baselinegen can read; " \
               f"the profile's ci.baselinegen is {profile!r}: copy it there (you changed the file, so baselinegen keeps it)"
    if not installed.same_as(wanted):
        return f"note: {path} installs {installed.describe()}, but the profile's ci.baselinegen says {wanted.describe()}: " \
               "copy the profile's requirement there (you changed the file, so baselinegen keeps it)"
    if installed.kind == PIN and not same_version(installed.version, running):
        return f"note: {path} pins baselinegen {installed.version}, this is {running}: the repository is checked by another " \
               f"version than the one rendering it; pin {running} in the profile's ci.baselinegen and there, or render with " \
               f"{installed.version}"
    return None
