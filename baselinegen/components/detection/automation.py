"""``detection.security_hub.automation_rules``: Security Hub automation rules for known, accepted findings.

Each rule suppresses the findings it matches or changes their severity, always with a reason (the rule's
description and the note Security Hub adds to every finding it updates). A rule matches by control id, product,
account and resource; several values of one key match any of them, several keys must all match. Rules live in the
account that runs Security Hub alone or in the organisation's administrator (where they apply to every account's
findings), in the home Region when findings are aggregated (they then apply to the linked Regions too), else in every
Region. Codes: E336 name twice, E337 over the quota of 100, E356 action and severity disagree, E357 an account the
profile does not name, E358 a rule that matches everything, W478 a suppression of a whole product or account, W479
rules while Security Hub is off. Unknown control ids: E346 (the catalog)."""

from __future__ import annotations

import difflib
import re

from .catalog_checks import _unknown
from .model import AutomationRule
from .security_hub import CONTROL_ID_RE
from ...catalog.securityhub import catalog
from ...errors import Problem
from ...profile.loader import LoadedDocument, problem_at as _problem

QUOTA = 100  # automation rules per account and Region (Security Hub quotas)
# Profile name -> the ProductName of AWS services' findings in Security Hub (ASFF).
PRODUCTS = {"security-hub": "Security Hub", "guardduty": "GuardDuty", "inspector": "Inspector", "access-analyzer": "IAM Access Analyzer",
            "macie": "Macie", "firewall-manager": "Firewall Manager", "patch-manager": "Systems Manager Patch Manager",
            "config": "Config", "health": "Health"}
SEVERITIES = ("informational", "low", "medium", "high", "critical")
ACTIONS = ("suppress", "set-severity")
ACCOUNT_ID_RE = re.compile(r"^[0-9]{12}$")


def _list(item: dict, description: str) -> dict:
    return {"type": "list", "minlength": 1, "schema": item, "meta": {"description": description}}


AUTOMATION_RULE = {
    "type": "dict",
    "schema": {
        "name": {"type": "string", "required": True, "regex": r"^[a-z][a-z0-9-]{0,63}$",
                 "meta": {"description": "The rule's name (Security Hub calls it <organisation>-<name>), unique (E336).",
                          "allowed": "1-64 characters: lower-case letters, digits and -, starting with a letter"}},
        "reason": {"type": "string", "required": True, "regex": r"^[\x20-\x7e]{10,512}$",
                   "meta": {"description": "Why these findings are accepted: the rule's description and the note on every finding it updates.",
                            "allowed": "10-512 printable ASCII characters"}},
        "action": {"type": "string", "required": True, "allowed": list(ACTIONS),
                   "meta": {"description": "suppress (workflow status SUPPRESSED: the finding notifies no one) or set-severity (with severity, E356)."}},
        "severity": {"type": "string", "allowed": list(SEVERITIES),
                     "meta": {"description": "The severity label set-severity gives the matched findings (only with set-severity, E356)."}},
        "match": {"type": "dict", "required": True, "meta": {"description": "Which findings: every key given must match (at least one, E358); a key's values match any of them."},
                  "schema": {
                      "controls": _list({"type": "string", "regex": CONTROL_ID_RE, "meta": {"allowed": "a control id such as IAM.6"}},
                                        "Security Hub control ids (consolidated, e.g. S3.9) of the catalog (E346)."),
                      "products": _list({"type": "string", "allowed": sorted(PRODUCTS)},
                                        "Products whose findings match: " + ", ".join(f"{k} ({v})" for k, v in PRODUCTS.items()) + "."),
                      "accounts": _list({"type": "string", "regex": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$", "meta": {"allowed": "an account name of the profile or a 12-digit id"}},
                                        "Accounts: names of the profile's accounts (E357) or 12-digit ids."),
                      "resources": _list({"type": "string", "regex": r"^[\x21-\x7e]{1,512}$", "meta": {"allowed": "a resource id or ARN; a trailing * matches a prefix"}},
                                         "Resource ids or ARNs (ResourceId); a trailing * matches every id that starts with the rest."),
                  }},
    },
}

SCHEMA = {"type": "list", "default": [], "schema": AUTOMATION_RULE,
          "meta": {"description": "Automation rules for known, accepted findings: suppress them or change their severity, each "
                                  "with a reason. In an organisation they run in the administrator and apply to every account's "
                                  "findings; in the home Region when findings are aggregated, else in every Region. At most 100 (E337)."}}


def check(s: dict, data: dict, doc: LoadedDocument) -> list[Problem]:
    at = ("detection", "security_hub", "automation_rules")
    rules = s.get("automation_rules") or []
    if not rules:
        return []
    if not s["enabled"]:
        return [_problem(doc, at, "automation rules need Security Hub: with detection.security_hub.enabled false they are not rendered", "W479", "warning")]
    problems = [_problem(doc, at, f"{len(rules)} automation rules: Security Hub allows {QUOTA} per account and Region", "E337")] if len(rules) > QUOTA else []
    names = {a.get("name"): a.get("id") for a in data.get("accounts") or [] if isinstance(a, dict)}
    seen: dict[str, int] = {}
    for i, rule in enumerate(rules):
        path = at + (i,)
        if rule["name"] in seen:
            problems.append(_problem(doc, path + ("name",), f"automation rule {rule['name']!r} is named twice (same as index {seen[rule['name']]})", "E336"))
        seen.setdefault(rule["name"], i)
        if rule["action"] == "set-severity" and "severity" not in rule:
            problems.append(_problem(doc, path + ("action",), "set-severity needs severity: informational, low, medium, high or critical", "E356"))
        if rule["action"] == "suppress" and "severity" in rule:
            problems.append(_problem(doc, path + ("severity",), "severity is for set-severity: a suppressed finding keeps its severity; remove it or write action: set-severity", "E356"))
        match = rule["match"]
        if not any(match.get(k) for k in ("controls", "products", "accounts", "resources")):
            problems.append(_problem(doc, path + ("match",), "the rule matches every finding of every product: name controls, products, accounts or resources", "E358"))
        for j, control in enumerate(match.get("controls") or []):
            if control not in catalog():
                problems.append(_unknown(doc, path + ("match", "controls", j), control))
        for j, account in enumerate(match.get("accounts") or []):
            if not ACCOUNT_ID_RE.match(account) and account not in names:
                close = difflib.get_close_matches(account, [n for n in names if isinstance(n, str)], n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                known = ", ".join(n for n in names if isinstance(n, str)) or "none: a single account names 12-digit ids"
                problems.append(_problem(doc, path + ("match", "accounts", j), f"{account!r} is no account of the profile{hint}; accounts: {known}", "E357"))
        if rule["action"] == "suppress" and not (match.get("controls") or match.get("resources")) and (match.get("products") or match.get("accounts")):
            problems.append(_problem(doc, path + ("match",), "this rule suppresses every finding of " + " and ".join(
                f"{key} {', '.join(match[key])}" for key in ("products", "accounts") if match.get(key))
                + ": new kinds of findings there will never notify; narrow it to controls or resources", "W478", "warning"))
    return problems


def build(s: dict, data: dict) -> tuple[AutomationRule, ...]:
    ids = {a.get("name"): a.get("id") for a in data.get("accounts") or [] if isinstance(a, dict)}
    return tuple(AutomationRule(
        name=r["name"], reason=r["reason"], action=r["action"], severity=r.get("severity", ""),
        controls=tuple(r["match"].get("controls") or ()), products=tuple(r["match"].get("products") or ()),
        accounts=tuple(r["match"].get("accounts") or ()),
        account_ids=tuple(a if ACCOUNT_ID_RE.match(a) else ids.get(a, a) for a in r["match"].get("accounts") or ()),
        resources=tuple(r["match"].get("resources") or ())) for r in s.get("automation_rules") or ())


def criteria(rule: AutomationRule) -> list[tuple[str, str, str]]:
    """(criteria block, comparison, value) of a rule, in the order the template writes them."""
    out = [("compliance_security_control_id", "EQUALS", c) for c in rule.controls]
    out += [("product_name", "EQUALS", PRODUCTS[p]) for p in rule.products]
    out += [("aws_account_id", "EQUALS", a) for a in rule.account_ids]
    out += [("resource_id", "PREFIX", r[:-1]) if r.endswith("*") else ("resource_id", "EQUALS", r) for r in rule.resources]
    return out


def summary(rule: AutomationRule) -> str:
    """What the rule does, for texts: ``suppresses findings of controls S3.9 in accounts payments-prod``."""
    what = "suppresses" if rule.action == "suppress" else f"sets severity {rule.severity} on"
    where = [f"{key} {', '.join(values)}" for key, values in (("controls", rule.controls), ("products", rule.products),
                                                                ("accounts", rule.accounts), ("resources", rule.resources)) if values]
    return f"{what} findings of {'; '.join(where)}"
