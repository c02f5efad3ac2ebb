"""The ``patching`` section: operating systems, approval rules, patch groups and maintenance windows."""

from __future__ import annotations

import difflib
import functools
import re
from importlib.resources import files

from ...errors import Problem
from ...profile.loader import LoadedDocument, dotted_path, problem_at as _problem
from .catalog import BY_ID, OPERATING_SYSTEMS
from ..renames import RENAMED_FROM, NameKind, Renamed, renamed_from_problems

STAGING, PRODUCTION = "staging", "production"
GROUP_RE = r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$"
GROUP_NAMES = NameKind("patch group", GROUP_RE, "2-32 lowercase letters, digits and hyphens")
COMPLIANCE_LEVELS = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED")
MAX_APPROVE_AFTER_DAYS = 360
CRON_FIELDS = (  # (name, characters, lowest, highest) of the six fields of a Systems Manager cron expression
    ("minutes", r"[0-9,*/-]+", 0, 59), ("hours", r"[0-9,*/-]+", 0, 23), ("day-of-month", r"[0-9,*/?LW-]+", 1, 31),
    ("month", r"[0-9A-Za-z,*/-]+", 1, 12), ("day-of-week", r"[0-9A-Za-z,*?L#-]+", 1, 7), ("year", r"[0-9,*/-]+", 1970, 2199),
)
RATE_RE = re.compile(r"^rate\(([1-9][0-9]{0,3}) (hour|hours|day|days)\)$")

SCHEDULE = {"type": "string", "maxlength": 256,
            "meta": {"allowed": "cron(minutes hours day-of-month month day-of-week year) or rate(N hours|days)"}}

SCHEMA = {
    "patching": {
        "type": "dict",
        "default": {},
        "meta": {"description": "OS security patches through Systems Manager Patch Manager: staging first, production after it."},
        "schema": {
            "enabled": {"type": "boolean", "default": True,
                        "meta": {"description": "Patch baselines and maintenance windows in every Region; false: warning W421."}},
            "operating_systems": {"type": "list", "minlength": 1, "default": ["amazon-linux-2023"],
                                  "schema": {"type": "string", "allowed": [os.id for os in OPERATING_SYSTEMS]},
                                  "meta": {"description": "Operating systems that get a patch baseline per patch group, each once; "
                                                          "Ubuntu or Debian with a production delay: warning W423."}},
            "approval_rules": {"type": "dict", "default": {},
                               "keysrules": {"type": "string"},
                               "valuesrules": {"type": "dict", "keysrules": {"type": "string"},
                                               "valuesrules": {"type": "list", "minlength": 1, "schema": {"type": "string", "regex": r"^[A-Za-z0-9_ .*+:/-]{1,64}$",
                                                                                                           "meta": {"allowed": "1-64 ASCII letters, digits, spaces and _ . * + : / -"}}}},
                               "meta": {"description": "Per operating system: patch filters (key -> values) that replace the default approval "
                                                       "rule (filter keys and default rules per OS: README, Patching).",
                                        "allowed": "keys: operating systems of operating_systems (E233); values: at least one patch filter "
                                                   "key of that OS (E234), each with 1-64 character values the OS has (E235) or *",
                                        "example": {"windows": {"CLASSIFICATION": ["CriticalUpdates", "SecurityUpdates"],
                                                                "MSRC_SEVERITY": ["Critical", "Important"]}}}},
            "approve_after_days": {"type": "integer", "min": 0, "max": MAX_APPROVE_AFTER_DAYS, "default": 7,
                                   "meta": {"description": "Days after release before staging installs a patch; production waits "
                                                           "production_delay_days more (not on Ubuntu and Debian, which have no release dates)."}},
            "compliance_level": {"type": "string", "allowed": list(COMPLIANCE_LEVELS), "default": "CRITICAL",
                                 "meta": {"description": "Severity of a missing approved patch in compliance reports."}},
            "groups": {"type": "list", "default": [STAGING, PRODUCTION], "schema": {"type": "string", "regex": GROUP_RE,
                                                                                   "meta": {"allowed": "2-32 lowercase letters, digits and hyphens"}},
                       "meta": {"description": "Patch groups (values of the tag_key tag), each once, with staging and production "
                                               "(E239); production is patched last, every other group with staging."}},
            "renamed_from": {"type": "dict", "default": {}, "keysrules": {"type": "string"}, "valuesrules": RENAMED_FROM,
                             "meta": {"description": "Former names of patch groups, oldest first, by the group's current name: moved blocks "
                                                     "keep their baselines and windows.",
                                      "allowed": "keys: groups of patching.groups (E246); values: former group names",
                                      "example": {"canary": ["pilot"]}}},
            "tag_key": {"type": "string", "allowed": ["PatchGroup", "Patch Group"], "default": "PatchGroup",
                        "meta": {"description": "Instance tag that names the patch group (PatchGroup works with instance metadata tags)."}},
            "schedule": dict(SCHEDULE, default="cron(0 3 ? * TUE *)",
                             meta=dict(SCHEDULE["meta"], description="When the staging window opens (E236); rate() only with "
                                                                     "production_delay_days: 0 (E238).")),
            "timezone": {"type": "string", "default": "UTC", "maxlength": 64,
                         "meta": {"description": "Time zone of the schedules, e.g. Asia/Tokyo (E236).",
                                  "allowed": "an IANA time zone (the tzdata package's list)"}},
            "duration_hours": {"type": "integer", "min": 1, "max": 24, "default": 4,
                               "meta": {"description": "Length of each maintenance window."}},
            "cutoff_hours": {"type": "integer", "min": 0, "max": 23, "default": 1,
                             "meta": {"description": "Hours before the window ends when no new patching starts; shorter than the window (E237)."}},
            "production_delay_days": {"type": "integer", "min": 0, "max": 6, "default": 2,
                                      "meta": {"description": "Days the production window opens after staging's (the window's schedule "
                                                              "offset); approve_after_days + this is at most 360 (E240); 0: warning W422."}},
            "reboot": {"type": "string", "allowed": ["RebootIfNeeded", "NoReboot"], "default": "RebootIfNeeded",
                       "meta": {"description": "Reboot an instance when a patch needs it; NoReboot: warning W424."}},
            "max_concurrency": {"type": "string", "regex": r"^([1-9][0-9]{0,3}|[1-9][0-9]?%|100%)$", "default": "25%",
                                "meta": {"description": "How many instances a window patches at once.",
                                         "allowed": "a number of instances (1-9999) or a percentage (1%-100%)"}},
            "max_errors": {"type": "string", "regex": r"^([0-9]{1,4}|[0-9]{1,2}%|100%)$", "default": "10%",
                           "meta": {"description": "How many failed instances stop a window.",
                                    "allowed": "a number of instances (0-9999) or a percentage (0%-100%)"}},
            "scan_schedule": dict(SCHEDULE, nullable=True, default="cron(0 1 * * ? *)",
                                  meta=dict(SCHEDULE["meta"], description="Daily compliance scan of every group (Operation=Scan); "
                                                                          "null: none, warning W425.")),
        },
    },
}


def cron_problem(expression: str) -> str:
    """Why ``expression`` is not a Systems Manager maintenance-window schedule, or ""."""
    if RATE_RE.fullmatch(expression):
        count, unit = RATE_RE.fullmatch(expression).groups()
        return "use the singular unit with 1 and the plural otherwise" if (count == "1") == unit.endswith("s") else ""
    if not (expression.startswith("cron(") and expression.endswith(")")):
        return "write cron(...) with six fields or rate(N hours|days)"
    fields = expression[5:-1].split(" ")
    if len(fields) != 6:
        return f"a cron expression has six fields (minutes hours day-of-month month day-of-week year), this one has {len(fields)}"
    for (name, chars, low, high), value in zip(CRON_FIELDS, fields):
        if not re.fullmatch(chars, value):
            return f"{name} field {value!r} has characters it does not allow"
        for number in re.findall(r"(?<![#/0-9])[0-9]+", value):
            if not low <= int(number) <= high:
                return f"{name} field {value!r}: {number} is out of range {low}-{high}"
    if (fields[2] == "?") == (fields[4] == "?"):
        return "exactly one of day-of-month and day-of-week must be ?"
    return ""


@functools.cache
def iana_time_zones() -> frozenset[str]:
    """The IANA zones of the tzdata package: the same list on every machine, whatever the system has."""
    return frozenset(files("tzdata").joinpath("zones").read_text(encoding="utf-8").split())


def _schedule_problems(p: dict, doc: LoadedDocument) -> list[Problem]:
    problems = []
    for key in ("schedule", "scan_schedule"):
        message = cron_problem(p[key]) if p[key] is not None else ""
        if message:
            problems.append(_problem(doc, ("patching", key), f"{p[key]!r} is not a maintenance window schedule: {message}", "E236"))
    zones = iana_time_zones()
    if p["timezone"] not in zones:
        close = difflib.get_close_matches(p["timezone"], sorted(zones), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(_problem(doc, ("patching", "timezone"), f"{p['timezone']!r} is not an IANA time zone{hint}; e.g. UTC, Asia/Tokyo, Europe/Berlin", "E236"))
    if p["cutoff_hours"] >= p["duration_hours"]:
        problems.append(_problem(doc, ("patching", "cutoff_hours"),
                                 f"the cutoff ({p['cutoff_hours']} h) must be shorter than the window ({p['duration_hours']} h), or no patching can start", "E237"))
    if p["production_delay_days"] and p["schedule"].startswith("rate("):
        problems.append(_problem(doc, ("patching", "schedule"),
                                 "production_delay_days is the production window's schedule offset, which Systems Manager allows only with a cron expression; write the schedule as cron(...)", "E238"))
    return problems


def _group_problems(p: dict, doc: LoadedDocument) -> list[Problem]:
    problems = []
    for j, group in enumerate(p["groups"]):
        if group in p["groups"][:j]:
            problems.append(_problem(doc, ("patching", "groups", j), f"patch group {group!r} is listed twice", "E209"))
    missing = [g for g in (STAGING, PRODUCTION) if g not in p["groups"]]
    if missing:
        problems.append(_problem(doc, ("patching", "groups"),
                                 f"no {' or '.join(repr(g) for g in missing)} group: patches must reach staging before production; the groups must include 'staging' and 'production'", "E239"))
    for group in p["renamed_from"]:
        if group not in p["groups"]:
            close = difflib.get_close_matches(group, p["groups"], n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            path = ("patching", "renamed_from", group)
            problems.append(Problem(doc.locate(path, prefer_key=True), dotted_path(path), f"{group!r} is not a patch group{hint}; renamed_from is "
                                    f"keyed by the current name of a group in patching.groups ({', '.join(p['groups'])})", "E246"))
    items = [Renamed(g, p["renamed_from"].get(g, []), ("patching", "renamed_from", g)) for g in dict.fromkeys(p["groups"])]
    return problems + renamed_from_problems(doc, GROUP_NAMES, items)


def _rule_problems(p: dict, doc: LoadedDocument) -> list[Problem]:
    problems = []
    for j, os_id in enumerate(p["operating_systems"]):
        if os_id in p["operating_systems"][:j]:
            problems.append(_problem(doc, ("patching", "operating_systems", j), f"operating system {os_id!r} is listed twice", "E209"))
    for os_id, filters in p["approval_rules"].items():
        path = ("patching", "approval_rules", os_id)
        if os_id not in p["operating_systems"]:
            listed = ", ".join(dict.fromkeys(p["operating_systems"]))
            close = difflib.get_close_matches(os_id, list(BY_ID), n=1, cutoff=0.6) if os_id not in BY_ID else []
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(_problem(doc, path, f"approval rules for {os_id!r}{hint}, which is not in patching.operating_systems ({listed})", "E233"))
            continue
        os = BY_ID[os_id]
        if not filters:
            problems.append(_problem(doc, path, f"no patch filters: an approval rule needs at least one (keys for {os.title}: {', '.join(os.filter_keys)})", "E234"))
        for key, values in filters.items():
            if key not in os.filter_keys:
                close = difflib.get_close_matches(key.upper(), os.filter_keys, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(_problem(doc, path + (key,), f"{key!r} is not a patch filter key for {os.title}{hint}; allowed keys: {', '.join(os.filter_keys)}", "E234"))
                continue
            allowed = os.known_values(key)
            for k, value in enumerate(values):
                if allowed and value != "*" and value not in allowed:
                    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    problems.append(_problem(doc, path + (key, k), f"{value!r} is not a {key} of {os.title}{hint}; allowed values: {', '.join(allowed)}, *", "E235"))
    return problems


def _warnings(p: dict, doc: LoadedDocument) -> list[Problem]:
    warnings = []
    if p["production_delay_days"] == 0:
        warnings.append(_problem(doc, ("patching", "production_delay_days"),
                                 "production is patched at the same time as staging, not after it; staging must be checked before production is patched", "W422", "warning"))
    apt = [BY_ID[o].title for o in p["operating_systems"] if o in BY_ID and not BY_ID[o].release_dates]
    if apt and p["production_delay_days"]:
        warnings.append(_problem(doc, ("patching", "operating_systems"),
                                 f"{' and '.join(apt)} patches carry no release date, so the approval delay cannot hold production to what staging installed: production also gets security packages published after staging's window", "W423", "warning"))
    if p["reboot"] == "NoReboot":
        warnings.append(_problem(doc, ("patching", "reboot"),
                                 "patches that need a reboot stay inactive until someone reboots; instances report InstalledPendingReboot", "W424", "warning"))
    if p["scan_schedule"] is None:
        warnings.append(_problem(doc, ("patching", "scan_schedule"),
                                 "no daily compliance scan: patch compliance is only refreshed when a patch window runs", "W425", "warning"))
    return warnings


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    p = data["patching"]
    if not p["enabled"]:
        return [_problem(doc, ("patching", "enabled"), "no OS patching: security patches are not applied through Systems Manager", "W421", "warning")]
    problems = _rule_problems(p, doc) + _group_problems(p, doc) + _schedule_problems(p, doc)
    if p["approve_after_days"] + p["production_delay_days"] > MAX_APPROVE_AFTER_DAYS:
        problems.append(_problem(doc, ("patching", "approve_after_days"),
                                 f"production approves patches approve_after_days + production_delay_days = {p['approve_after_days'] + p['production_delay_days']} days after release; Patch Manager allows at most {MAX_APPROVE_AFTER_DAYS}", "E240"))
    return problems + _warnings(p, doc)
