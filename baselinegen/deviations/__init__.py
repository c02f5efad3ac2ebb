"""Accepted deviations: the profile's top-level ``exceptions``, each a check the team accepts failing, on the record.

An entry names one ``check`` (a checkov check id ``CKV_AWS_10``, a warning code ``W401``, or a control id of the
profile's benchmark ``1.8``), ``where`` it applies (``all``, a module ``iam`` / ``modules/iam``, or an account by
name), the ``reason``, who ``accepted_by`` and ``until`` when (a date; past it, ``validate`` warns, W480).

- checkov: an inline ``#checkov:skip=ID:reason`` on exactly the resources of the check's types in ``where``
  (``skips.apply``), listed in the generated README's accepted findings and accepted deviations tables;
- a warning: ``--strict`` accepts it (``accepts``);
- a control: the controls report says "accepted deviation" with the reason (``controls_note``).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CHECKOV = re.compile(r"^CKV2?_AWS_[0-9]+$")
WARNING = re.compile(r"^W4[0-9][0-9]$")
CONTROL = re.compile(r"^[0-9]+(\.[0-9]+){1,3}$")
# The modules a render can write (tests/test_deviations.py checks this against the three layouts' trees).
MODULES = ("account_detection", "break_glass", "ci", "cloudtrail", "config", "detection", "governance", "guards", "iam",
           "identity_center", "job_roles", "kms", "log_archive", "monitoring", "patching")


ACCEPTED_MARK = " (accepted deviation: exceptions["  # how a warning an exception accepts ends (checks.mark_accepted)


def is_accepted(problem) -> bool:
    """A warning an exception accepts (``--strict`` lets it pass). Here, not in checks.py: the command that finds a
    folder up to date needs it and nothing else of the exceptions' checks."""
    return problem.severity == "warning" and ACCEPTED_MARK in problem.message


@dataclass(frozen=True)
class Deviation:
    check: str
    where: str  # "all", "modules/<name>" or "account <name>" (normalised: see scope)
    reason: str
    accepted_by: str
    until: datetime.date | None

    @property
    def kind(self) -> str:
        return "checkov" if CHECKOV.match(self.check) else ("warning" if WARNING.match(self.check) else "control")

    def expired(self, today: datetime.date) -> bool:
        return self.until is not None and self.until < today


def scope(where: str, accounts: list[str]) -> str:
    """``all``, ``modules/<name>`` or ``account <name>`` for a ``where`` value ("" when it names nothing known)."""
    if where == "all":
        return "all"
    name = where.removeprefix("modules/")
    if name in MODULES:
        return f"modules/{name}"
    if where in accounts and not where.startswith("modules/"):
        return f"account {where}"
    return ""


def deviations(data: dict) -> list[Deviation]:
    """The profile's (validated, normalised) exceptions."""
    accounts = [a["name"] for a in data.get("accounts") or []]
    return [Deviation(e["check"], scope(str(e.get("where", "all")), accounts), str(e.get("reason", "")),
                      str(e.get("accepted_by", "")), e["until"] if isinstance(e.get("until"), datetime.date) else None)
            for e in data.get("exceptions") or [] if isinstance(e, dict) and isinstance(e.get("check"), str)]


@lru_cache(maxsize=1)
def checkov_checks() -> dict[str, tuple[str, ...]]:
    """checkov check id -> the Terraform types it inspects (``data.<type>`` for data sources); see the file's source."""
    data = json.loads((Path(__file__).parent / "checkov_checks.json").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in data["checks"].items()}


def accepts(deviation_list: list[Deviation], code: str, path: str, accounts: list[str]) -> Deviation | None:
    """The exception that accepts warning ``code`` at key ``path`` (all, its section's module, or its account)."""
    for d in deviation_list:
        if d.kind != "warning" or d.check != code:
            continue
        if d.where == "all" or (d.where.startswith("modules/") and path.split(".")[0].split("[")[0] == d.where[len("modules/"):]):
            return d
        if d.where.startswith("account "):
            match = re.match(r"^accounts\[(\d+)\]", path)
            if match and int(match.group(1)) < len(accounts) and accounts[int(match.group(1))] == d.where[len("account "):]:
                return d
    return None


def words(d: Deviation) -> str:
    """``accepted deviation: <reason> (accepted by <who> until <date>)``."""
    until = f" until {d.until.isoformat()}" if d.until else ""
    return f"accepted deviation: {d.reason} (accepted by {d.accepted_by}{until})"
