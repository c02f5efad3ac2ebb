"""Security Hub control ids and parameters checked against the control catalog (baselinegen/catalog/securityhub.py):
E346 unknown control (with a suggestion), E347 a control disabled for a standard that does not contain it, E348 a
parameter the control does not take (or that Security Hub does not let anyone customise), E349 a value of the wrong type or
out of range; W473 a customisable control whose parameters the catalog does not describe (not checked)."""

from __future__ import annotations

import difflib

from ...catalog.securityhub import PARAMETERS, UNSOURCED, catalog, rendered_value, value_problem
from ...errors import Problem
from ...profile.loader import LoadedDocument, problem_at as _problem


def _unknown(doc: LoadedDocument, path: tuple, control: str) -> Problem:
    ids = list(catalog())
    by_lower = {i.lower(): i for i in ids}
    close = [by_lower[control.lower()]] if control.lower() in by_lower else difflib.get_close_matches(control, ids, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return _problem(doc, path, f"{control!r} is no Security Hub control{hint}; the controls are listed in the Security Hub controls reference", "E346")


def disabled_control_problems(control: dict, enabled: list[str], path: tuple, doc: LoadedDocument) -> list[Problem]:
    found = catalog().get(control["control"])
    if found is None:
        return [_unknown(doc, path + ("control",), control["control"])]
    return [_problem(doc, path + ("standards", j), f"{found.id} ({found.title}) is not part of {standard}; standards that contain it: "
                     f"{', '.join(found.standards) or 'none'}", "E347")
            for j, standard in enumerate(control.get("standards", [])) if standard in enabled and standard not in found.standards]


def parameter_problems(parameters: dict, path: tuple, doc: LoadedDocument) -> list[Problem]:
    problems = []
    for control, values in parameters.items():
        found = catalog().get(control)
        if found is None:
            problems.append(_unknown(doc, path + (control,), control))
            continue
        if not found.customizable:
            problems.append(_problem(doc, path + (control,), f"{control} ({found.title}) takes no custom parameters", "E348"))
            continue
        known = PARAMETERS.get(control)
        if known is None:
            why = UNSOURCED.get(control, "not in the catalog's source")
            problems.append(_problem(doc, path + (control,), f"the parameters of {control} are not in baselinegen's catalog ({why}): their "
                                     "names and values are not checked here (Security Hub rejects a wrong one at apply)", "W473", "warning"))
            continue
        takes = [n for n, p in known.items() if p.customizable]
        for name, value in values.items():
            if name not in known:
                close = difflib.get_close_matches(name, takes, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(_problem(doc, path + (control, name), f"{control} has no parameter {name!r}{hint}; its parameters: {', '.join(takes)}", "E348"))
            elif not known[name].customizable:
                problems.append(_problem(doc, path + (control, name), f"{control} {name} is not customizable: Security Hub keeps its own value; "
                                         f"its customizable parameters: {', '.join(takes) or 'none'}", "E348"))
            elif (why := value_problem(known[name], value)) is not None:
                problems.append(_problem(doc, path + (control, name), f"{control} {name} {why}", "E349"))
    return problems


def parameter_kind(control: str, name: str, value) -> tuple[str, object] | None:
    """The catalog's block for a parameter (enum, for one) and the value as that block holds it (an enum's 365 is "365"),
    or None when the catalog does not describe it."""
    known = PARAMETERS.get(control, {}).get(name)
    return (known.kind, rendered_value(known, value)) if known else None
