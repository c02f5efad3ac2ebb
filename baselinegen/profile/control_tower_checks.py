"""``organization.control_tower`` and ``accounts[].control_tower`` (schema: profile/accounts_schema.py): what conflicts
with Control Tower mode.

E390 without accounts; E391 the management account adopts a trail (Control Tower's organisation trail records it);
E392 an enrolled account adopts AWS Config (Control Tower's recorder records it); E393 data events (Control Tower's
trail records management events only); E394 no log-archive or no security account (Control Tower's Log Archive and
Audit accounts); E395 accounts[].control_tower outside Control Tower mode or on the management account. W444 a
logging.cloudtrail setting written in the profile, which Control Tower's trail decides instead; W445 config.enabled:
false (Control Tower does not record the management account); W446 the Region restriction next to Control Tower's own
Region deny control; W447 a key granting cloudtrail or cloudwatch-logs, which no trail of the baseline's uses
(components/control_tower_keys.py)."""

from __future__ import annotations

from ..components import control_tower as ct
from ..components.control_tower_keys import key_grant_problems
from ..errors import Problem
from .loader import LoadedDocument, problem_at

_TRAIL = ("logging", "cloudtrail")
# What Control Tower's trail and buckets decide; `enabled` says nothing more (no trail either way), data events are E393.
_DECIDED_BY_CONTROL_TOWER = ("name", "kms_key", "log_file_validation", "bucket", "cloudwatch_logs")


def _part(item) -> str | None:
    return item if isinstance(item, str) else item.get("part") if isinstance(item, dict) else None


def _written(doc: LoadedDocument, path: tuple) -> bool:
    """Whether the profile file itself (not its ``extends`` preset) writes ``path``."""
    where = doc.key_locations.get(path) or doc.value_locations.get(path)
    return where is not None and where.file == doc.file


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    org = data.get("organization")
    if not (isinstance(org, dict) and org.get("control_tower") is True):
        return [problem_at(doc, ("accounts", i, "control_tower"), "only in Control Tower mode (organization.control_tower: "
                           "true): remove it", "E395") for i, a in enumerate(data.get("accounts") or [])
                if isinstance(a, dict) and "control_tower" in a]
    if not data.get("accounts"):
        return [problem_at(doc, ct.KEY, "AWS Control Tower governs an organisation: list its accounts (accounts), or remove "
                                        "control_tower", "E390")]
    problems = []
    roles = {a.get("role") for a in data["accounts"] if isinstance(a, dict)}
    for role, named in (("log-archive", "a Log Archive"), ("security", "an Audit")):
        if role not in roles:
            problems.append(problem_at(doc, ct.KEY, f"Control Tower's landing zone has {named} account: list it in accounts "
                                                    f"with role: {role}", "E394"))
    for i, account in enumerate(data["accounts"]):
        if isinstance(account, dict) and "control_tower" in account and account.get("role") == "management":
            problems.append(problem_at(doc, ("accounts", i, "control_tower"), "Control Tower never enrols its management "
                                       "account (the baseline records it anyway): remove it", "E395"))
        if not isinstance(account, dict) or not isinstance(account.get("adopt"), list):
            continue
        for j, item in enumerate(account["adopt"]):
            part, at = _part(item), ("accounts", i, "adopt", j)
            if part == "cloudtrail" and account.get("role") == "management":
                problems.append(problem_at(doc, at, f"Control Tower's organisation trail `{ct.TRAIL}` records every account: "
                                                    "the baseline renders no trail to adopt in Control Tower mode; remove it", "E391"))
            elif part == "config" and account.get("role") != "management" and account.get("control_tower", True) \
                    and data.get("config", {}).get("enabled", True):
                problems.append(problem_at(doc, at, f"Control Tower's recorder `{ct.RECORDER}` records this account: the "
                                                    "baseline renders only its rules here, nothing to adopt; remove it", "E392"))
    events = data.get("logging", {}).get("cloudtrail", {}).get("data_events", {})
    if events.get("s3", "none") != "none" or events.get("lambda"):
        problems.append(problem_at(doc, _TRAIL + ("data_events",), f"Control Tower's trail `{ct.TRAIL}` records management "
                                   "events only, and Control Tower mode renders no second trail: remove data_events (CIS 3.10 "
                                   "and 3.11 then rely on an S3 data-events trail of your own) or turn control_tower off", "E393"))
    trail = data.get("logging", {}).get("cloudtrail", {})
    for key in _DECIDED_BY_CONTROL_TOWER:
        if key in trail and _written(doc, _TRAIL + (key,)):
            problems.append(problem_at(doc, _TRAIL + (key,), f"no effect in Control Tower mode: Control Tower's trail `{ct.TRAIL}`, "
                                       f"its log group `{ct.LOG_GROUP}` and its log archive bucket decide this; remove it",
                                       "W444", "warning"))
    if data.get("config", {}).get("enabled") is False:
        problems.append(problem_at(doc, ("config", "enabled"), "Control Tower does not record the management account: with "
                                   "config.enabled: false no recorder records it (CIS 3.5 / 3.3)", "W445", "warning"))
    if data.get("governance", {}).get("service_control_policies", {}).get("restrict_regions"):
        problems.append(problem_at(doc, ("governance", "service_control_policies", "restrict_regions"),
                                   "Control Tower's Region deny control restricts Regions too: its governed Regions must include "
                                   "every Region of organization.regions, or its deny blocks the baseline there", "W446", "warning"))
    return problems + key_grant_problems(data, doc)
