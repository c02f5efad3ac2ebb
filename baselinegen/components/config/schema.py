"""The ``config`` section: AWS Config recorders, their delivery bucket and managed rules, checked against the catalog."""

from __future__ import annotations

import difflib

from .rules import BY_NAME, CIS_PRESET, PASSWORD_POLICY_RULE, value_problem
from ...errors import Problem
from .. import control_tower
from ...profile.loader import LoadedDocument, problem_at as _problem
from ...profile.wording import allowed_list
from ..cloudtrail.schema import BUCKET_ALLOWED, BUCKET_NAME_RE, BUCKET_NAME_TOO_LONG, bucket_name_too_long, lifecycle_problems, lifecycle_schema
from ..iam.checks import CI_USER_PATH
from ..kms.schema import DEFAULT_KEY, key_reference_problems

DELIVERY_FREQUENCIES = ("One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours")
GLOBAL_RESOURCES = ("home", "all", "none")
NO_POLICIES_RULE = "iam-user-no-policies-check"

SCHEMA = {
    "config": {
        "type": "dict",
        "default": {},
        "meta": {"description": "AWS Config in every Region of organization.regions (CIS 3.5 in v1.4.0, 3.3 in v3.0.0) and managed rules."},
        "schema": {
            "enabled": {"type": "boolean", "default": True,
                        "meta": {"description": "false only when another setup (e.g. Control Tower) records this account: warning W416."}},
            "global_resources": {"type": "string", "allowed": list(GLOBAL_RESOURCES), "default": "home",
                                 "meta": {"description": "Where the recorders record global (IAM) resource types: the home Region, every Region, or "
                                                         "none (warning W419)."}},
            "delivery_frequency": {"type": "string", "allowed": list(DELIVERY_FREQUENCIES), "default": "TwentyFour_Hours",
                                   "meta": {"description": "How often configuration snapshots are delivered to the bucket."}},
            "kms_key": {"type": "string", "default": DEFAULT_KEY,
                        "meta": {"description": "Key of encryption.keys that encrypts what Config delivers and the Config bucket; it must "
                                                "list config (E213).",
                                 "allowed": "a key of encryption.keys"}},
            "retention_days": {"type": "integer", "min": 30, "max": 2557, "nullable": True, "default": None,
                               "meta": {"description": "Days Config keeps configuration items; null = AWS Config's default (2557 days)."}},
            "bucket": {
                "type": "dict",
                "default": {},
                "meta": {"description": "The bucket AWS Config delivers to, hardened and KMS-encrypted."},
                "schema": {
                    "name": {"type": "string", "regex": BUCKET_NAME_RE,
                             "meta": {"description": "The Config bucket, not a CloudTrail bucket; at most 63 characters with <account> "
                                                     "as the 12-digit id (E232); the other S3 naming rules: E120.",
                                      "default": "`<organization.name>-config-<account>`", "allowed": BUCKET_ALLOWED}},
                    **lifecycle_schema("delivered files"),
                },
            },
            "rules": {
                "type": "dict",
                "default": {},
                "meta": {"description": "AWS Config managed rules: a preset, minus exclusions, plus rules named with parameters."},
                "schema": {
                    "preset": {"type": "string", "allowed": ["cis", "none"], "default": "cis",
                               "meta": {"description": "cis: the rules that back CIS items (README: Config rules); none: warning W420."}},
                    "exclude": {"type": "list", "default": [], "schema": {"type": "string"},
                                "meta": {"description": "Rules of the preset to leave out, each once, not also in extra (E230); "
                                                        "excluding one: warning W417.",
                                         "allowed": "rules of the preset (E229)",
                                         "example": ["root-account-hardware-mfa-enabled"]}},
                    "extra": {
                        "type": "list",
                        "default": [],
                        "meta": {"description": "Rules of the catalog to add, or preset rules with other parameter values."},
                        "schema": {"type": "dict", "schema": {
                            "name": {"type": "string", "required": True,
                                     "meta": {"description": "A rule name of the catalog, e.g. access-keys-rotated; each rule once.",
                                              "allowed": "a rule of baselinegen/components/config/rules.py (E225)"}},
                            "parameters": {"type": "dict", "default": {}, "keysrules": {"type": "string"},
                                           "meta": {"description": "Parameter values by the rule's parameter names, e.g. "
                                                                   "{maxAccessKeyAge: 60}; for a preset rule they override the "
                                                                   "preset's one by one; iam-password-policy takes none (E231).",
                                                    "allowed": "the rule's own parameters (E226), typed: integer, boolean, string, "
                                                               "a list for a CSV parameter, or one of its allowed values (E227); "
                                                               "required ones present (E228)"}},
                        }},
                    },
                },
            },
        },
    },
}


def _unknown_rule(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f"; rule names: {allowed_list(choices, 'aws-config-rules', what='rule names')}"


def _exclusion_problems(doc, rules: dict, benchmark: str) -> list[Problem]:
    problems = []
    for j, name in enumerate(rules["exclude"]):
        path = ("config", "rules", "exclude", j)
        if name in rules["exclude"][:j]:
            problems.append(_problem(doc, path, f"rule {name!r} is listed twice", "E209"))
        elif name not in BY_NAME:
            problems.append(_problem(doc, path, f"no managed rule {name!r} in the catalog{_unknown_rule(name, BY_NAME)}", "E229"))
        elif rules["preset"] != "cis" or name not in CIS_PRESET:
            problems.append(_problem(doc, path, f"rule {name!r} is not in the {rules['preset']} preset; nothing to exclude", "E229"))
        else:
            cis = BY_NAME[name].cis_ids(benchmark)
            what = f"CIS {cis} ({benchmark})" if cis else "its CIS item"
            problems.append(_problem(doc, path, f"excluding {name!r} leaves {what} without its Config rule", "W417", "warning"))
    return problems


def _parameter_problems(doc, path: tuple, name: str, parameters: dict, preset: str) -> list[Problem]:
    spec = BY_NAME[name]
    if name == PASSWORD_POLICY_RULE and parameters:
        return [_problem(doc, path, "iam-password-policy takes its parameters from iam.password_policy, so the rule checks exactly the policy the baseline sets; change them there", "E231")]
    problems = []
    allowed = [p.name for p in spec.parameters]
    for key, value in parameters.items():
        param = spec.parameter(key)
        if param is None:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            known = f"parameters of {name}: {', '.join(allowed)}" if allowed else f"{name} takes no parameters"
            problems.append(_problem(doc, path + (key,), f"unknown parameter {key!r}{hint}; {known}", "E226"))
        elif value_problem(param, value):
            problems.append(_problem(doc, path + (key,), f"parameter {key} of {name} {value_problem(param, value)}", "E227"))
    from_preset = (spec.cis_preset or {}) if preset == "cis" else {}
    for param in spec.parameters:
        if param.required and param.name not in parameters and param.name not in from_preset:
            problems.append(_problem(doc, path, f"{name} needs parameter {param.name}", "E228"))
    return problems


def _extra_problems(doc, rules: dict) -> list[Problem]:
    problems = []
    names = [entry["name"] for entry in rules["extra"]]
    for j, entry in enumerate(rules["extra"]):
        path = ("config", "rules", "extra", j)
        name = entry["name"]
        if name not in BY_NAME:
            problems.append(_problem(doc, path + ("name",), f"no managed rule {name!r} in the catalog{_unknown_rule(name, BY_NAME)}", "E225"))
        elif name in names[:j]:
            problems.append(_problem(doc, path + ("name",), f"rule {name!r} is listed twice", "E209"))
        elif name in rules["exclude"]:
            problems.append(_problem(doc, path + ("name",), f"rule {name!r} is also in config.rules.exclude; keep one of the two", "E230"))
        else:
            problems += _parameter_problems(doc, path + ("parameters",), name, entry["parameters"], rules["preset"])
    return problems


def active_rule_names(rules: dict) -> list[str]:
    """The preset's rules minus exclusions, then the explicit ones (each once)."""
    names = [n for n in CIS_PRESET if n not in rules["exclude"]] if rules["preset"] == "cis" else []
    return names + [e["name"] for e in rules["extra"] if e["name"] not in names and e["name"] in BY_NAME]


def _bucket_setting_problems(data: dict, doc) -> list[Problem]:
    bucket, base = data["config"]["bucket"], ("config", "bucket")
    problems = lifecycle_problems(doc, base, bucket, "files", "E232")
    name = bucket.get("name")
    if name and bucket_name_too_long(name):
        problems.append(_problem(doc, base + ("name",), BUCKET_NAME_TOO_LONG, "E232"))
    trail_buckets = data["logging"]["cloudtrail"]["bucket"]
    if name and name in (trail_buckets.get("name"), trail_buckets.get("access_log_bucket_name")):
        problems.append(_problem(doc, base + ("name",), f"{name!r} is already a CloudTrail bucket; Config needs a bucket of its own", "E232"))
    return problems


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    config, base = data["config"], ("config",)
    if not config["enabled"] and control_tower.on_in(data):
        return []  # W445 (profile/control_tower_checks.py): Control Tower records every account but the management account
    if not config["enabled"]:
        return [_problem(doc, base + ("enabled",), "AWS Config is off: CIS 3.5 (v1.4.0) / 3.3 (v3.0.0) must be met by another setup that records this account, and no managed rule runs", "W416", "warning")]
    problems = key_reference_problems(data, doc, base + ("kms_key",), config["kms_key"], "config", "the Config delivery bucket")
    problems += _bucket_setting_problems(data, doc)
    if config["global_resources"] == "none":
        problems.append(_problem(doc, base + ("global_resources",), "no Region records IAM users, groups, roles and policies: their changes leave no configuration history and change-triggered IAM rules never run", "W419", "warning"))
    rules = config["rules"]
    if rules["preset"] == "none":
        problems.append(_problem(doc, base + ("rules", "preset"), "no CIS managed rules: only the rules in config.rules.extra run", "W420", "warning"))
    problems += _exclusion_problems(doc, rules, data["monitoring"]["alarms"]["benchmark"]) + _extra_problems(doc, rules)
    direct = [u["name"] for u in data["iam"]["users"] if u.get("programmatic") and (u.get("managed_policy_arns") or u.get("statements"))]
    if direct and NO_POLICIES_RULE in active_rule_names(rules) and not (data.get("ci") or {}).get("github"):  # ci.github: W439
        where = base + ("rules", "preset") if NO_POLICIES_RULE in CIS_PRESET and rules["preset"] == "cis" and NO_POLICIES_RULE not in rules["exclude"] else base + ("rules", "extra")
        problems.append(_problem(doc, where, f"{NO_POLICIES_RULE} will report the programmatic users with direct policies ({', '.join(direct)}) as NON_COMPLIANT (CIS 1.15): {CI_USER_PATH}; another program: expected findings, exclude the rule", "W418", "warning"))
    return problems
