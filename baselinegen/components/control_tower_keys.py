"""Control Tower mode and the profile's KMS keys (W447): with Control Tower's trail and log group in place of the
baseline's, a key that lists ``cloudtrail`` or ``cloudwatch-logs`` in its ``services`` grants a service that nothing of
the baseline's uses, and, with no trail or log group to pin it to, grants it for any trail or log group of the account
(components/kms/grants.py: ``aws:SourceAccount`` and ``trail/*``, ``log-group:*``). Control Tower's trail
``aws-controltower-BaselineCloudTrail`` and its log group ``aws-controltower/CloudTrailLogs`` are encrypted as its
landing zone's settings say, not by a key of the profile."""

from __future__ import annotations

from ..errors import Problem
from ..profile.loader import LoadedDocument, problem_at
from . import control_tower as ct

# service -> what of the baseline's it is for, and what Control Tower mode has instead
_UNUSED = {
    "cloudtrail": ("no trail of the baseline's", "any CloudTrail trail of the account may encrypt with it",
                   f"Control Tower's trail `{ct.TRAIL}`"),
    "cloudwatch-logs": ("no log group for a trail of the baseline's", "any CloudWatch Logs group of the account in the home "
                        "Region may encrypt with it", f"Control Tower's log group `{ct.LOG_GROUP}`"),
}


def key_grant_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    """W447 for each ``cloudtrail`` / ``cloudwatch-logs`` of a key's ``services`` in Control Tower mode: at the item
    where the profile (or its preset) writes it; for the default key, at organization.control_tower."""
    if not ct.on_in(data):
        return []
    keys = data.get("encryption", {}).get("keys") or []
    problems = []
    for i, key in enumerate(keys):
        if not isinstance(key, dict) or not isinstance(key.get("services"), list):
            continue
        listed = [(j, s) for j, s in enumerate(key["services"]) if s in _UNUSED]
        written = ("encryption", "keys") in doc.key_locations or ("encryption", "keys") in doc.value_locations
        if listed and not written:  # the default key: one warning, where the mode is switched on
            keep = [s for s in key["services"] if s not in _UNUSED]
            problems.append(problem_at(doc, ct.KEY, f"the default key `{key.get('name')}` lists "
                                       f"{' and '.join(s for _, s in listed)}, which Control Tower mode leaves unused (the "
                                       "baseline renders no trail or trail log group; any trail or log group of the account "
                                       f"may encrypt with it): write encryption.keys with services [{', '.join(keep)}]",
                                       "W447", "warning"))
            continue
        for j, service in listed:
            what, grant, instead = _UNUSED[service]
            problems.append(problem_at(doc, ("encryption", "keys", i, "services", j),
                                       f"Control Tower mode renders {what}: key `{key.get('name')}` lets {service} use it "
                                       f"for nothing of the baseline's, and {grant}; remove {service} from its services "
                                       f"({instead} is encrypted as the landing zone's settings say)", "W447", "warning"))
    return problems
