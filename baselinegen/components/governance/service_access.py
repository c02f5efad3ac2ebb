"""``organization.keep_service_access`` (schema: profile/accounts_schema.py): trusted access other tools rely on, kept
by the organisation resource the management root manages (every principal it does not list is disabled). E276 not a
service principal, E277 listed twice, E278 without accounts, W443 a principal the baseline enables anyway."""

from __future__ import annotations

import re

from ...errors import Problem
from ...profile.accounts_schema import SERVICE_PRINCIPAL_RE
from ...profile.loader import LoadedDocument, problem_at as _problem

PATH = ("organization", "keep_service_access")
def _hint(value: str) -> str:
    text = value.strip().lower()
    if re.match(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$", text):
        return f" (did you mean {text + '.amazonaws.com'!r}?)"
    if text != value and re.match(SERVICE_PRINCIPAL_RE, text):
        return f" (did you mean {text!r}?)"
    return ""


def keep_service_access_problems(data: dict, doc: LoadedDocument, needed) -> list[Problem]:
    """``needed()``: the TrustedAccess rows the profile's services need (for W443), computed only when asked."""
    values = data["organization"].get("keep_service_access")
    if not isinstance(values, list):
        return []
    if data.get("accounts") is None:
        return [_problem(doc, PATH, "trusted access is managed only with accounts (an organisation profile); without accounts "
                                    "the profile describes one account: remove it, or list the accounts", "E278")]
    problems, seen = [], set()
    for i, value in enumerate(values):
        if not isinstance(value, str):
            continue  # the schema's error
        if not re.match(SERVICE_PRINCIPAL_RE, value):
            problems.append(_problem(doc, PATH + (i,), f"{value!r} is not a service principal: AWS Organizations names "
                                                      f"services <name>.amazonaws.com{_hint(value)}", "E276"))
        elif value in seen:
            problems.append(_problem(doc, PATH + (i,), f"{value!r} is listed twice", "E277"))
        seen.add(value)
    if problems:
        return problems
    why = {access.principal: access.why for access in needed()}
    return [_problem(doc, PATH + (i,), f"{value!r} is already enabled because {why[value]}; remove it here", "W443", "warning")
            for i, value in enumerate(values) if value in why]
