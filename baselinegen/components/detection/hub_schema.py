"""``detection.security_hub``: its keys and their checks (E220, E221, E340-E345, E350, W411, W413, W470-W472; the catalog checks,
E346-E349 and W473, are in catalog_checks.py).

In an organisation with a security account, Security Hub is configured centrally from that account (the delegated
administrator): one configuration policy per distinct setting, associated with the root (every account, the
management account included, and every account that joins later) or with the units and accounts of
``configuration_policies[].apply_to``."""

from __future__ import annotations

import difflib

from . import automation
from .catalog_checks import disabled_control_problems, parameter_problems
from ...catalog.securityhub import PARAMETERS
from .security_hub import BY_ID as STANDARDS, CONTROL_ID_RE
from ...errors import Problem
from ...profile.accounts_schema import ACCOUNT_ROLES
from ...profile.loader import LoadedDocument, problem_at as _problem
from ..governance.units import build_units
from ...profile.units import ROOT, accounts_at, unit_paths

REASON_RE = r"^[\x20-\x7e]{10,1000}$"
POLICY_NAME_RE = r"^[a-z][a-z0-9-]{0,39}$"
CONFIGURATIONS = ("central", "local")

DISABLED_CONTROL = {
    "type": "dict",
    "schema": {
        "control": {"type": "string", "required": True, "regex": CONTROL_ID_RE,
                    "meta": {"description": "The Security Hub control id, e.g. IAM.6: a control of the catalog (E346) that each "
                                            "of its standards contains (E347).",
                             "allowed": "a control id such as IAM.6, EC2.2 or CloudTrail.1"}},
        "reason": {"type": "string", "required": True, "regex": REASON_RE,
                   "meta": {"description": "Why the control does not apply. A single account: Security Hub shows it next to the "
                                           "control. Central configuration: the API has no reason field; the reason is kept in "
                                           "the configuration policy's description (when it fits) and the module's README.",
                            "allowed": "10-1000 printable ASCII characters"}},
        "standards": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string", "allowed": sorted(STANDARDS)},
                      "meta": {"description": "Standards of security_hub.standards in which to disable it; each must contain the "
                                              "control (Security Hub rejects the change otherwise); central configuration disables it in "
                                              "all of them"}},
    },
}

PARAMETER_RE = r"^[A-Za-z][A-Za-z0-9]{0,63}$"
CONTROL_PARAMETERS = {
    "type": "dict", "keysrules": {"type": "string", "regex": CONTROL_ID_RE, "meta": {"allowed": "control ids such as ACM.1"}},
    "valuesrules": {"type": "dict", "keysrules": {"type": "string", "regex": PARAMETER_RE,
                                                  "meta": {"allowed": "parameter names such as daysToExpiration"}}},
}
SCALARS = (bool, int, float, str)


def _standards(description: str) -> dict:
    return {"type": "list", "schema": {"type": "string", "allowed": sorted(STANDARDS)}, "meta": {"description": description}}


def _targets(description: str, **extra) -> dict:
    return {"type": "list", "schema": {"type": "string", "regex": r"^[A-Za-z0-9][A-Za-z0-9 ./_-]{0,199}(?!\n)$",
                                       "meta": {"allowed": "root, a unit path or an account name"}},
            "meta": {"description": description}, **extra}


CONFIGURATION_POLICY = {
    "type": "dict",
    "schema": {
        "name": {"type": "string", "required": True, "regex": POLICY_NAME_RE,
                 "meta": {"description": "The policy's name (Security Hub calls it <organisation>-<name>).",
                          "allowed": "1-40 characters: lower-case letters, digits and -, starting with a letter"}},
        "apply_to": _targets("Where it applies instead of the organisation-wide policy: unit paths (Workloads/Prod) or account "
                             "names; each account gets at most one policy of this list (E343).", required=True, minlength=1),
        "standards": _standards("Its standards; absent: the organisation-wide standards."),
        "disabled_controls": {"type": "list", "schema": DISABLED_CONTROL,
                              "meta": {"description": "Its disabled controls; absent: the organisation-wide ones."}},
        "control_parameters": CONTROL_PARAMETERS | {"meta": {"description": "Its control parameters; absent: the organisation-wide ones."}},
    },
}

SECURITY_HUB = {"type": "dict", "default": {}, "meta": {"description": "AWS Security Hub."}, "schema": {
    "enabled": {"type": "boolean", "default": True,
                "meta": {"description": "Security Hub in every Region, with exactly the standards listed; false: warning W413."}},
    "standards": {"type": "list", "schema": {"type": "string", "allowed": sorted(STANDARDS)},
                  "meta": {"description": "Standards to subscribe to, each once; Security Hub's default standards are not "
                                          "enabled silently. Empty: warning W413; a CIS 1.2 or 1.4 standard other than "
                                          "monitoring.alarms.benchmark: warning W411.",
                           "default": "`aws-foundational` and the CIS version of `monitoring.alarms.benchmark`"}},
    "disabled_controls": {"type": "list", "default": [], "schema": DISABLED_CONTROL,
                          "meta": {"description": "Controls that do not apply here, each once (E220), with the reason."}},
    "control_parameters": CONTROL_PARAMETERS | {
        "default": {}, "meta": {"description": "Control parameters other than Security Hub's defaults, by control and parameter name "
                                               "(`ACM.1: {daysToExpiration: 45}`): a boolean, number, string or list of strings or "
                                               "integers, of the type and range the catalog gives (E348, E349; W473: not in the "
                                               "catalog), not for a control the same policy disables (E344); central "
                                               "configuration only (E345: Terraform has no resource for them in a single account)."}},
    "notify_severity": {"type": "string", "allowed": ["low", "medium", "high", "critical", "none"], "default": "high",
                        "meta": {"description": "Security Hub findings (every product's: its controls, GuardDuty, Inspector, Access "
                                                "Analyzer, ...) of this severity label or higher, new and active (suppressed ones not), "
                                                "go to the alarm topic from the home Region, where the aggregator brings every Region's "
                                                "findings; none: warning W474."}},
    "aggregate_findings": {"type": "boolean", "default": True,
                           "meta": {"description": "Aggregate the findings of every Region of the profile in the home Region; "
                                                   "central configuration needs it (E341)."}},
    "configuration": {"type": "string", "allowed": list(CONFIGURATIONS),
                      "meta": {"description": "Organisations: central (configuration policies from the security account reach "
                                              "every account; needs a security account, E340) or local (members get Security Hub "
                                              "without any standard, warning W470).",
                               "default": "central with a security account and aggregate_findings, else local"}},
    "apply_to": _targets("Central configuration: where the organisation-wide policy applies (root: every account, present and "
                         "future; or unit paths and account names, W471 for accounts left out).", default=[ROOT]),
    "automation_rules": automation.SCHEMA,
    "configuration_policies": {"type": "list", "default": [], "schema": CONFIGURATION_POLICY,
                               "meta": {"description": "Central configuration: other settings for some units or accounts, one "
                                                       "configuration policy each (names unique, E350)."}},
}}


def unit_ids(data: dict) -> dict[str, str]:
    """Unit path -> its id, for the units whose id the profile knows (adopted units: organization.units[].id)."""
    return {u.path: u.id for u in build_units(data) if u.id}


def configuration(data: dict) -> str:
    """``central`` or ``local``: what the profile says, else central exactly when a security account exists and
    findings are aggregated (central configuration reaches the other Regions through the aggregator)."""
    hub = data["detection"]["security_hub"]
    if "configuration" in hub:
        return hub["configuration"]
    accounts = data.get("accounts") or []
    security = any(isinstance(a, dict) and a.get("role") == "security" for a in accounts)
    return "central" if security and hub.get("aggregate_findings", True) else "local"


def security_hub_standards(data: dict) -> list[str]:
    """The profile's standards, or AWS Foundational plus the CIS version the alarms follow."""
    hub = data["detection"]["security_hub"]
    if "standards" in hub:
        return hub["standards"]
    benchmark = data["monitoring"]["alarms"]["benchmark"]
    return ["aws-foundational"] + ([benchmark] if benchmark in STANDARDS else [])


def check(s: dict, data: dict, doc: LoadedDocument) -> list[Problem]:
    at = ("detection", "security_hub")
    if s["enabled"] and s["notify_severity"] == "none":
        problems_first = [_problem(doc, at + ("notify_severity",), "Security Hub findings notify no one: they wait in the console until someone looks", "W474", "warning")]
    else:
        problems_first = []
    if not s["enabled"]:
        return [_problem(doc, at + ("enabled",), "Security Hub is off: no continuous checks against the CIS and AWS best-practice standards (CIS 3.0 4.16)", "W413", "warning")]
    problems = []
    if not data.get("config", {}).get("enabled", True):
        problems.append(_problem(doc, ("config", "enabled"), "Security Hub (detection.security_hub) evaluates its controls with AWS Config rules: with AWS Config off most of its checks have no data", "W413", "warning"))
    standards = security_hub_standards(data)
    if not standards:
        problems.append(_problem(doc, at + ("standards",), "Security Hub has no standard: it collects findings but checks nothing itself", "W413", "warning"))
    problems += _setting_problems(s, standards, at, doc)
    alarms = data["monitoring"]["alarms"]
    for i, standard in enumerate(s.get("standards", [])):
        if standard in ("cis-1.2", "cis-1.4") and alarms["enabled"] and alarms["benchmark"] in STANDARDS and alarms["benchmark"] != standard:
            problems.append(_problem(doc, at + ("standards", i),
                                     f"Security Hub's {standard} standard compares metric filters with its own patterns, but monitoring.alarms.benchmark is {alarms['benchmark']}: its CloudWatch controls may fail; use one benchmark for both", "W411", "warning"))
    return problems_first + problems + _organisation_problems(s, data, at, doc)


def _setting_problems(setting: dict, standards: list[str], at: tuple, doc: LoadedDocument,
                      where: str = "standards in detection.security_hub.standards") -> list[Problem]:
    """One setting (the organisation-wide one or a configuration policy): E220, E221, E344."""
    problems = []
    seen: dict[str, int] = {}
    for i, control in enumerate(setting.get("disabled_controls") or []):
        path = at + ("disabled_controls", i)
        if control["control"] in seen:
            problems.append(_problem(doc, path + ("control",), f"control {control['control']!r} is disabled twice (same as index {seen[control['control']]})", "E220"))
        seen.setdefault(control["control"], i)
        for j, standard in enumerate(control.get("standards", [])):
            if standard not in standards:
                enabled = ", ".join(x for x in standards if x in STANDARDS) or "none"
                problems.append(_problem(doc, path + ("standards", j), f"standard {standard!r} is not enabled; {where}: {enabled}", "E221"))
        problems += disabled_control_problems(control, standards, path, doc)
    for control, parameters in (setting.get("control_parameters") or {}).items():
        if control in seen:
            problems.append(_problem(doc, at + ("control_parameters", control), f"{control} is disabled here (disabled_controls[{seen[control]}]): its parameters would have no effect", "E344"))
            continue
        for name, value in parameters.items():
            if name in PARAMETERS.get(control, {}):
                continue  # checked against its type and range (catalog_checks)
            if not (isinstance(value, SCALARS) or (isinstance(value, list) and value and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value))):
                problems.append(_problem(doc, at + ("control_parameters", control, name), "a control parameter is a boolean, a number, a string or a non-empty list of strings or integers", "E349"))
    enabled = {c: v for c, v in (setting.get("control_parameters") or {}).items() if c not in seen}
    return problems + parameter_problems(enabled, at + ("control_parameters",), doc)


def _organisation_problems(s: dict, data: dict, at: tuple, doc: LoadedDocument) -> list[Problem]:
    accounts = [a for a in data.get("accounts") or [] if isinstance(a, dict)]
    mode = configuration(data)
    policies = s["configuration_policies"]
    problems = []
    if not accounts:
        for key in ("configuration", "configuration_policies") + (("apply_to",) if s["apply_to"] != [ROOT] else ()):
            if key in s and s[key]:
                problems.append(_problem(doc, at + (key,), f"{key} is for organisations (a profile with accounts): a single account configures Security Hub itself", "E341"))
        if s["control_parameters"]:
            problems.append(_problem(doc, at + ("control_parameters",), "control parameters need central configuration: Terraform (aws provider 6.x) has no resource that sets them in a single account", "E345"))
        return problems
    if not all(isinstance(a, dict) and all(isinstance(a.get(k), str) for k in ("name", "id", "role")) and a["role"] in ACCOUNT_ROLES
               for a in data["accounts"]):
        return problems  # a malformed account may be the security account or a target: its schema error comes first
    if mode == "central" and not any(a.get("role") == "security" for a in accounts):
        problems.append(_problem(doc, at + ("configuration",), "central configuration needs a security account: AWS refuses the management account as its delegated administrator; add a security account or write configuration: local", "E340"))
        return problems
    if mode == "local":
        why = ("local configuration" if "configuration" in s else "aggregate_findings: false keeps Security Hub in local configuration"
               if any(a.get("role") == "security" for a in accounts) else "without a security account Security Hub keeps local configuration")
        problems.append(_problem(doc, at + ("configuration",), f"{why}: member accounts get Security Hub without any standard; the standards and disabled controls apply to the administrator account only", "W470", "warning"))
        for key in ("configuration_policies", "control_parameters"):
            if s[key]:
                problems.append(_problem(doc, at + (key,), f"{key} need central configuration (configuration: central, with a security account)", "E345"))
        return problems
    if not s["aggregate_findings"]:
        problems.append(_problem(doc, at + ("aggregate_findings",), "central configuration reaches the other Regions through the home Region's finding aggregator: aggregate_findings must stay true (or write configuration: local)", "E341"))
    problems += _target_problems(s["apply_to"], at + ("apply_to",), data, doc, allow_root=True)
    names: dict[str, int] = {}
    owner: dict[str, str] = {}
    for i, policy in enumerate(policies):
        path = at + ("configuration_policies", i)
        if policy["name"] in names or policy["name"] == "baseline":
            problems.append(_problem(doc, path + ("name",), f"configuration policy name {policy['name']!r} is "
                                     + ("reserved for the organisation-wide policy" if policy["name"] == "baseline" else f"used twice (same as index {names[policy['name']]})"), "E350"))
        names.setdefault(policy["name"], i)
        problems += _target_problems(policy["apply_to"], path + ("apply_to",), data, doc, allow_root=False)
        for account in dict.fromkeys(a for t in policy["apply_to"] if t != ROOT for a in accounts_at(data, t)):
            if account in owner and owner[account] != policy["name"]:
                problems.append(_problem(doc, path + ("apply_to",), f"account {account!r} is already reached by configuration policy {owner[account]!r}: each account gets one policy of this list", "E343"))
            owner.setdefault(account, policy["name"])
        problems += _setting_problems(policy, policy.get("standards", security_hub_standards(data)), path, doc, "standards of this policy")
    if ROOT not in s["apply_to"]:
        reached = {a for t in s["apply_to"] for a in accounts_at(data, t)} | set(owner)
        left = [a["name"] for a in accounts if isinstance(a.get("name"), str) and a["name"] not in reached]
        if left:
            problems.append(_problem(doc, at + ("apply_to",), f"no configuration policy reaches {', '.join(left)}: Security Hub there runs what each account sets up itself (apply_to: [root] reaches every account)", "W471", "warning"))
    problems += _same_setting_problems(s, policies, data, at, doc)
    return problems + _unit_id_problems(s, data, at, doc)


def _unit_id_problems(s: dict, data: dict, at: tuple, doc: LoadedDocument) -> list[Problem]:
    """W464: a policy target that is a unit without a known id is associated with the unit's accounts one by one."""
    known, paths = unit_ids(data), unit_paths((data.get("organization") or {}).get("units") or [])
    places = [(at + ("apply_to",), s["apply_to"])] + [(at + ("configuration_policies", i, "apply_to"), p["apply_to"]) for i, p in enumerate(s["configuration_policies"])]
    return [_problem(doc, where + (j,), f"unit {target!r} has no id in organization.units: the policy is associated with its accounts "
                     f"({', '.join(accounts_at(data, target)) or 'none yet'}) one by one, and an account that joins the unit later gets its "
                     "parent's policy; after the first apply, add the unit's id (ou-...) to associate the policy with the unit itself", "W464", "warning")
            for where, targets in places for j, target in enumerate(targets) if target != ROOT and target in paths and target not in known]


def _target_problems(targets: list[str], at: tuple, data: dict, doc: LoadedDocument, *, allow_root: bool) -> list[Problem]:
    """E342: a target that is neither root (where allowed), a unit path nor an account name; with a did-you-mean."""
    units = unit_paths((data.get("organization") or {}).get("units") or [])
    names = [a["name"] for a in data.get("accounts") or [] if isinstance(a, dict) and isinstance(a.get("name"), str)]
    known = ([ROOT] if allow_root else []) + units + names
    problems = []
    for i, target in enumerate(targets):
        if target == ROOT and not allow_root:
            problems.append(_problem(doc, at + (i,), "root is where the organisation-wide policy applies (detection.security_hub.apply_to); name units or accounts here", "E342"))
        elif target not in known:
            close = difflib.get_close_matches(target, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(_problem(doc, at + (i,), f"{target!r} is no unit path or account name{hint}; targets: {', '.join(known[:10])}{', ...' if len(known) > 10 else ''}", "E342"))
        elif target in targets[:i]:
            problems.append(_problem(doc, at + (i,), f"{target!r} is listed twice", "E209"))
    return problems


def _same_setting_problems(s: dict, policies: list[dict], data: dict, at: tuple, doc: LoadedDocument) -> list[Problem]:
    """W472: a configuration policy whose setting equals the organisation-wide one or an earlier policy's."""
    def setting(p: dict) -> tuple:
        return (tuple(p.get("standards", security_hub_standards(data))),
                tuple(sorted(c["control"] for c in p.get("disabled_controls", s["disabled_controls"]))),
                repr(sorted((c, sorted(v.items())) for c, v in p.get("control_parameters", s["control_parameters"]).items())))
    seen = {setting(s): "the organisation-wide policy"}
    problems = []
    for i, policy in enumerate(policies):
        key = setting(policy)
        if key in seen:
            problems.append(_problem(doc, at + ("configuration_policies", i), f"configuration policy {policy['name']!r} has the same standards, disabled controls and parameters as {seen[key]}: one policy per distinct setting (add its targets there)", "W472", "warning"))
        seen.setdefault(key, f"configuration policy {policy['name']!r}")
    return problems
