"""The ``monitoring`` section: the alarm topic and its subscribers, the alarm catalog selection, custom alarms."""

from __future__ import annotations

import difflib

from .alarms import BENCHMARKS, CATALOG, by_id
from .filter_pattern import MAX_PATTERN_LENGTH, pattern_problem
from ...errors import Problem
from .. import control_tower
from ...profile.aws_rules import EMAIL_RE, METRIC_NAMESPACE
from ...profile.loader import LoadedDocument, problem_at as _problem
from ...profile.wording import allowed_list
from ..kms.schema import DEFAULT_KEY, key_reference_problems
from ..renames import RENAMED_FROM, NameKind, Renamed, renamed_from_problems

ALARM_ID_RE = r"^[a-z][a-z0-9-]{0,62}[a-z0-9]$"
METRIC_NAME_RE = r"^[A-Za-z][A-Za-z0-9]{0,254}$"
TOPIC_NAME_RE = r"^[A-Za-z0-9_-]{1,256}$"
# Printable ASCII: what a pager, an e-mail subject and CloudWatch all show the same way.
DESCRIPTION_RE = r"^[\x20-\x7e]{1,1000}$"

CUSTOM_ALARM = {
    "type": "dict",
    "schema": {
        "id": {"type": "string", "required": True, "regex": ALARM_ID_RE,
               "meta": {"description": "Stable id, not a catalog alarm's; the alarm is named <organization.name>-<id>.",
                        "allowed": "2-64 lowercase letters, digits and hyphens, starting with a letter"}},
        "description": {"type": "string", "required": True, "regex": DESCRIPTION_RE,
                        "meta": {"description": "What happened and what to check first, for the person who gets paged.",
                                 "allowed": "1-1000 printable ASCII characters"}},
        "pattern": {"type": "string", "required": True, "maxlength": MAX_PATTERN_LENGTH,
                    "meta": {"description": "The CloudWatch Logs filter pattern over the trail's events, e.g. { $.eventName = DeleteBucket }; "
                                            "its syntax is checked."}},
        "metric_name": {"type": "string", "regex": METRIC_NAME_RE,
                        "meta": {"description": "The metric's name, not used by another alarm (E216).", "default": "the id in CamelCase",
                                 "allowed": "letters and digits, starting with a letter"}},
        "threshold": {"type": "integer", "min": 1, "max": 100000, "default": 1,
                      "meta": {"description": "Matches within one period that set off the alarm."}},
        "period": {"type": "integer", "allowed": [60, 300, 900, 3600, 21600, 86400], "default": 300,
                   "meta": {"description": "Seconds over which matches are summed."}},
        "renamed_from": dict(RENAMED_FROM, meta=dict(RENAMED_FROM["meta"], description="Former ids, oldest first, not catalog "
                                                     "ids (E241): the metric filter and the alarm move instead of being recreated.")),
    },
}

SCHEMA = {
    "monitoring": {
        "type": "dict",
        "default": {},
        "meta": {"description": "CIS alarms on the trail's events and the topic that notifies people."},
        "schema": {
            "topic": {
                "type": "dict",
                "default": {},
                "meta": {"description": "The SNS topic that every alarm and finding notification goes to."},
                "schema": {
                    "name": {"type": "string", "regex": TOPIC_NAME_RE,
                             "meta": {"description": "The topic's name.", "default": "`<organization.name>-security-alarms`",
                                      "allowed": "1-256 letters, digits, _ and -"}},
                    "kms_key": {"type": "string", "default": DEFAULT_KEY,
                                "meta": {"description": "Key of encryption.keys that encrypts the topic; it must list sns (E213).",
                                         "allowed": "a key of encryption.keys"}},
                    "email": {"type": "list", "default": [],
                              "schema": {"type": "string", "regex": EMAIL_RE, "meta": {"allowed": "an e-mail address such as security@example.com"}},
                              "meta": {"description": "E-mail subscribers, each once; each confirms the subscription from the mail "
                                                      "AWS sends; none: warning W407."}},
                },
            },
            "alarms": {
                "type": "dict",
                "default": {},
                "meta": {"description": "Metric filters and alarms on the trail's CloudWatch Logs group: the benchmark's set, "
                                        "the EC2 alarms of AWS's CloudTrail alarm template and custom alarms."},
                "schema": {
                    "enabled": {"type": "boolean", "default": True,
                                "meta": {"description": "Render the alarms; they need the trail (E218); false: warning W408."}},
                    "benchmark": {"type": "string", "allowed": list(BENCHMARKS), "default": "cis-1.4",
                                  "meta": {"description": "Pattern variant: cis-1.2/cis-1.4 render the exact strings Security Hub compares, cis-3.0 and cis-5.0 the benchmark's text."}},
                    "namespace": {"type": "string", "regex": METRIC_NAMESPACE.pattern, "default": "CISBenchmark",
                                  "meta": {"description": "CloudWatch metric namespace of the alarms' metrics.",
                                           "allowed": f"1-255 {METRIC_NAMESPACE.allowed}"}},
                    "exclude": {"type": "list", "default": [], "schema": {"type": "string"},
                                "meta": {"description": "Catalog alarms not to render, each once; excluding a CIS alarm: warning W408.",
                                         "allowed": "alarm ids of the catalog (E215; README: Alarms)",
                                         "example": ["ec2-instance-changes", "ec2-large-instance-changes"]}},
                    "custom": {"type": "list", "default": [], "schema": CUSTOM_ALARM,
                               "meta": {"description": "Extra alarms with their own filter pattern."}},
                },
            },
        },
    },
}



def _exclusion_problems(doc, alarms) -> list[Problem]:
    problems = []
    catalog = by_id()
    for j, alarm_id in enumerate(alarms["exclude"]):
        path = ("monitoring", "alarms", "exclude", j)
        if alarm_id in alarms["exclude"][:j]:
            problems.append(_problem(doc, path, f"alarm {alarm_id!r} is listed twice", "E209"))
        elif alarm_id not in catalog:
            close = difflib.get_close_matches(alarm_id, list(catalog), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(_problem(doc, path, f"no alarm {alarm_id!r} in the catalog{hint}; alarm ids: {allowed_list(catalog, 'alarms', what='alarm ids')}", "E215"))
        elif alarms["benchmark"] not in catalog[alarm_id].default_in:
            problems.append(_problem(doc, path, f"alarm {alarm_id!r} is not rendered under {alarms['benchmark']}; nothing to exclude", "W408", "warning"))
        elif catalog[alarm_id].cis_id(alarms["benchmark"]):
            cis = catalog[alarm_id].cis_id(alarms["benchmark"])
            problems.append(_problem(doc, path, f"excluding {alarm_id!r} leaves CIS {cis} ({alarms['benchmark']}) uncovered", "W408", "warning"))
    return problems


def _custom_problems(doc, alarms) -> list[Problem]:
    problems = []
    taken_ids = {a.id for a in CATALOG}
    taken_metrics = {a.metric_name: a.id for a in CATALOG}
    for j, alarm in enumerate(alarms["custom"]):
        path = ("monitoring", "alarms", "custom", j)
        metric = alarm.get("metric_name") or metric_name_for(alarm["id"])
        if alarm["id"] in taken_ids:
            problems.append(_problem(doc, path + ("id",), f"alarm id {alarm['id']!r} is already taken (by the catalog or an earlier custom alarm)", "E216"))
        elif metric in taken_metrics:
            problems.append(_problem(doc, path + ("metric_name",) if "metric_name" in alarm else path + ("id",),
                                     f"metric name {metric!r} is already used by alarm {taken_metrics[metric]!r}", "E216"))
        taken_ids.add(alarm["id"])
        taken_metrics.setdefault(metric, alarm["id"])
        message = pattern_problem(alarm["pattern"])
        if message:
            problems.append(_problem(doc, path + ("pattern",), f"not a valid CloudWatch Logs filter pattern: {message}", "E217"))
    items = [Renamed(a["id"], a["renamed_from"], ("monitoring", "alarms", "custom", j, "renamed_from")) for j, a in enumerate(alarms["custom"])]
    return problems + renamed_from_problems(doc, CUSTOM_ALARM_IDS, items)


def _catalog_id(alarm_id: str) -> str:
    return "the id of a catalog alarm" if alarm_id in by_id() else ""


CUSTOM_ALARM_IDS = NameKind("custom alarm", ALARM_ID_RE, "2-64 lowercase letters, digits and hyphens, starting with a letter",
                            taken=_catalog_id, word="id")


def metric_name_for(alarm_id: str) -> str:
    return "".join(part.capitalize() for part in alarm_id.split("-"))


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    monitoring = data["monitoring"]
    topic, alarms = monitoring["topic"], monitoring["alarms"]
    problems = key_reference_problems(data, doc, ("monitoring", "topic", "kms_key"), topic["kms_key"], "sns", "the alarm topic")
    for j, address in enumerate(topic["email"]):
        if address.lower() in [a.lower() for a in topic["email"][:j]]:
            problems.append(_problem(doc, ("monitoring", "topic", "email", j), f"subscriber {address!r} is listed twice", "E209"))
    if not topic["email"]:
        problems.append(_problem(doc, ("monitoring", "topic"), "no e-mail subscribers: alarms would notify nobody (CIS wants at least one confirmed subscriber)", "W407", "warning"))
    if not alarms["enabled"]:
        problems.append(_problem(doc, ("monitoring", "alarms", "enabled"), "no alarms: CIS section 4 (3 in v1.2.0) is not covered", "W408", "warning"))
        return problems
    if not data["logging"]["cloudtrail"]["enabled"] and not control_tower.on_in(data):  # CT mode: Control Tower's log group
        problems.append(_problem(doc, ("monitoring", "alarms", "enabled"), "the alarms' metric filters run on the trail's log group, but logging.cloudtrail.enabled is false; turn the alarms off or the trail on", "E218"))
    return problems + _exclusion_problems(doc, alarms) + _custom_problems(doc, alarms)
