"""The ``exceptions`` section: its schema, its cross-reference checks (E360-E363) and its warnings (W480-W481).

- E360: a checkov id the check table does not know (did-you-mean); E361: a control id the profile's benchmark does
  not have; E362: ``where`` names no module or account; E363: the same check and where twice.
- W480: ``until`` has passed (the exception still renders its skips: the warning is what says so, and ``--strict``
  refuses it); W481: an exception for a warning the profile does not raise there (it accepts nothing); W482: a checkov
  exception that skips nothing, because the render has no resource of the check's types in ``where`` (``unused_skips``,
  judged from the render).
- ``mark_accepted``: the warnings an exception accepts say so in their message; ``--strict`` lets them pass.
"""

from __future__ import annotations

import datetime
import difflib

from ..errors import Problem
from ..profile.loader import LoadedDocument, problem_at
from . import ACCEPTED_MARK, CHECKOV, CONTROL, MODULES, Deviation, accepts, checkov_checks, deviations, is_accepted, scope  # noqa: F401
from .skips import account_folders

ACCEPTED = ACCEPTED_MARK + "{index}], until {until})"
SCHEMA = {
    "exceptions": {
        "type": "list",
        "default": [],
        "maxlength": 500,
        "meta": {"description": "Accepted deviations, on the record: each a check the team accepts failing, where, why, who "
                                "accepted it and until when. A checkov id becomes an inline `#checkov:skip` on the resources of "
                                "the check's types in `where`; a warning code is accepted by `--strict`; a control id reads "
                                "\"accepted deviation\" in the controls report. All are listed in the generated README."},
        "schema": {
            "type": "dict",
            "schema": {
                "check": {"type": "string", "required": True, "regex": r"^(CKV2?_AWS_[0-9]{1,4}|W4[0-9][0-9]|[0-9]{1,2}(\.[0-9]{1,2}){1,3})$",
                          "meta": {"description": "What is accepted: a checkov check id (CKV_AWS_10), a warning code (W401) or a "
                                                  "control id of the profile's benchmark (1.8).",
                                   "allowed": "a checkov id such as CKV_AWS_10, a warning code such as W401 or a control id such as 1.8"}},
                "where": {"type": "string", "default": "all", "regex": r"^[a-z0-9][a-z0-9_/-]{0,62}$",
                          "meta": {"description": "Where it applies: `all`, a module (`iam` or `modules/iam`) or an account by "
                                                  "name (the resources its root configuration creates, shared modules included: the skip goes on "
                                                  "that root's module calls, so other accounts are still checked).",
                                   "allowed": "all, a module name or an account name"}},
                "reason": {"type": "string", "required": True, "regex": r"^[\x20-\x7e]{10,500}$",
                           "meta": {"description": "Why the deviation is accepted; the inline skip and the README carry it.",
                                    "allowed": "10-500 printable ASCII characters"}},
                "accepted_by": {"type": "string", "required": True, "regex": r"^[\x20-\x7e]{1,200}$",
                                "meta": {"description": "Who accepted it (a person or a decision record).",
                                         "allowed": "1-200 printable ASCII characters"}},
                "until": {"type": "date", "required": True,
                          "meta": {"description": "The last day it is accepted (YYYY-MM-DD, unquoted); after it `validate` "
                                                  "warns (W480).", "allowed": "a date such as 2027-06-30"}},
            },
        },
    },
}


def _hint(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check(data: dict, doc: LoadedDocument, today: datetime.date | None = None) -> list[Problem]:
    from ..controls.catalog import controls_of

    raw = data.get("exceptions") or []
    if not raw:
        return []
    today = today or datetime.date.today()
    accounts = [a["name"] for a in data.get("accounts") or []]
    benchmark = ((data.get("monitoring") or {}).get("alarms") or {}).get("benchmark", "cis-1.4")
    controls = [cid for cid, _ in controls_of(benchmark)]
    problems, seen = [], {}
    for i, entry in enumerate(raw):
        path = ("exceptions", i)
        name, where = entry["check"], entry.get("where", "all")
        if CHECKOV.match(name) and name not in checkov_checks():
            problems.append(problem_at(doc, path + ("check",), f"{name!r} is not a checkov AWS check of the check table "
                                       f"(checkov 3.3){_hint(name, checkov_checks())}", "E360"))
        if CONTROL.match(name) and name not in controls:
            problems.append(problem_at(doc, path + ("check",), f"{name!r} is not a control of {benchmark}"
                                       f"{_hint(name, controls)}", "E361"))
        if not scope(where, accounts):
            choices = ["all", *MODULES, *accounts]
            problems.append(problem_at(doc, path + ("where",), f"{where!r} names no module or account{_hint(where, choices)}; "
                                       f"allowed: all, a module ({', '.join(MODULES)}) or an account name", "E362"))
        key = (name, scope(where, accounts) or where)
        if key in seen:
            problems.append(problem_at(doc, path, f"{name} at {where} is accepted twice (first at exceptions[{seen[key]}]); "
                                       "list it once", "E363"))
        seen.setdefault(key, i)
        until = entry.get("until")
        if isinstance(until, datetime.date) and until < today:
            problems.append(problem_at(doc, path + ("until",), f"expired on {until.isoformat()}: {name} is still skipped and "
                                       "accepted; fix the finding or renew the exception with a later until", "W480", "warning"))
    return problems


def _within(address: str, where: str, accounts: dict[str, set[str]]) -> bool:
    if where.startswith("modules/"):
        module = where[len("modules/"):]
        return address.startswith(f"module.{module}.") or f":module.{module}." in address
    if where.startswith("account "):
        name = where[len("account "):]
        return any(address.startswith(folder + ":") for folder in accounts.get(name, {f"accounts/{name}"}))
    return where == "all"


def unused_skips(data: dict, doc: LoadedDocument, skipped: list, files: list) -> list[Problem]:
    """W482 for each checkov exception under which the render skips the check on no resource (``skipped``: the render's
    accepted findings, the templates' own skips included; ``files``: the render, for the roots of each account)."""
    accounts = account_folders(files)
    out = []
    for i, d in enumerate(deviations(data)):
        if d.kind != "checkov" or not d.where or d.check not in checkov_checks():
            continue
        if not any(f.check_id == d.check and _within(f.address, d.where, accounts) for f in skipped):
            types = ", ".join(checkov_checks()[d.check][:6]) + (", …" if len(checkov_checks()[d.check]) > 6 else "")
            place = "anywhere" if d.where == "all" else f"in {d.where}"
            out.append(problem_at(doc, ("exceptions", i, "where"), f"skips nothing: the render has no resource of "
                                  f"{d.check}'s types ({types}) {place}; remove the exception or name where that resource is",
                                  "W482", "warning"))
    return out


def mark_accepted(data: dict, doc: LoadedDocument, problems: list[Problem]) -> list[Problem]:
    """Every problem with the warnings an exception accepts marked in their message (``is_accepted``), and W481 for
    each warning exception that accepts none of them."""
    try:
        found = deviations(data)
    except (KeyError, TypeError, AttributeError):
        return problems  # a malformed entry: its schema error says so
    if not found:
        return problems
    accounts = [a["name"] for a in data.get("accounts") or []]
    used, out = set(), []
    for p in problems:
        d = accepts(found, p.code, p.path, accounts) if p.severity == "warning" and p.code != "W480" else None
        if d is not None:
            index = found.index(d)
            used.add(index)
            until = d.until.isoformat() if d.until else "no date"
            p = Problem(p.location, p.path, p.message + ACCEPTED.format(index=index, until=until), p.code, p.severity)
        out.append(p)
    for i, d in enumerate(found):
        if d.kind == "warning" and i not in used and d.where and (d.check, d.where) not in [(e.check, e.where) for e in found[:i]]:
            out.append(problem_at(doc, ("exceptions", i, "check"), f"accepts nothing: the profile raises no {d.check} at "
                                  f"{d.where}; remove the exception", "W481", "warning"))
    return out


def names(d: Deviation) -> str:
    return f"{d.check} at {d.where}"
