"""The Security Hub control catalog: every control id, its title, the standards that contain it and whether its
parameters can be customised (``securityhub_controls.json``, with its source and date), plus the parameters baselinegen
checks by name, type and range (``PARAMETERS`` below; a customisable control not listed there takes any parameter
name, unchecked: W473)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("securityhub_controls.json")


@dataclass(frozen=True)
class Parameter:
    kind: str  # bool | int | double | string | enum | int_list | string_list: the policy's parameter block
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()  # enum


# The parameters checked by name and type, from the Security Hub CSPM user guide (each control's "Parameters"
# section and "Understanding control parameters"), read 2026-12-05. Ranges: ACM.1's as the guide states it; the
# others only the limits of the underlying API (IAM password policy, TCP/UDP ports), which Security Hub may narrow.
PARAMETERS: dict[str, dict[str, Parameter]] = {
    "ACM.1": {"daysToExpiration": Parameter("int", 14, 365)},
    "IAM.7": {
        "RequireUppercaseCharacters": Parameter("bool"), "RequireLowercaseCharacters": Parameter("bool"),
        "RequireSymbols": Parameter("bool"), "RequireNumbers": Parameter("bool"),
        "MinimumPasswordLength": Parameter("int", 6, 128), "PasswordReusePrevention": Parameter("int", 1, 24),
        "MaxPasswordAge": Parameter("int", 1, 1095),
    },
    "CloudWatch.16": {"minRetentionTime": Parameter("int", 1)},
    "EC2.18": {"authorizedTcpPorts": Parameter("int_list", 1, 65535), "authorizedUdpPorts": Parameter("int_list", 1, 65535)},
    "Lambda.5": {"minAvailabilityZones": Parameter("int", 2)},
}


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    standards: tuple[str, ...]
    customizable: bool


@lru_cache(maxsize=1)
def catalog() -> dict[str, Control]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {cid: Control(cid, c["title"], tuple(c["standards"]), c["parameters"]) for cid, c in data["controls"].items()}


def title(control_id: str) -> str:
    """The catalog's title of a control ('' for an id it does not know)."""
    found = catalog().get(control_id)
    return found.title if found else ""


def value_problem(parameter: Parameter, value) -> str | None:
    """Why ``value`` does not fit ``parameter``, or None."""
    def number(v) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    def in_range(v) -> bool:
        return (parameter.minimum is None or v >= parameter.minimum) and (parameter.maximum is None or v <= parameter.maximum)

    span = (f" from {parameter.minimum:g} to {parameter.maximum:g}" if parameter.maximum is not None
            else f" of at least {parameter.minimum:g}" if parameter.minimum is not None else "")
    if parameter.kind == "bool":
        return None if isinstance(value, bool) else "takes true or false"
    if parameter.kind == "int":
        return None if isinstance(value, int) and not isinstance(value, bool) and in_range(value) else f"takes an integer{span}"
    if parameter.kind == "double":
        return None if number(value) and in_range(value) else f"takes a number{span}"
    if parameter.kind == "int_list":
        ok = isinstance(value, list) and value and all(isinstance(v, int) and not isinstance(v, bool) and in_range(v) for v in value)
        return None if ok else f"takes a list of integers{span}"
    if parameter.kind == "enum":
        return None if value in parameter.choices else "takes one of " + ", ".join(parameter.choices)
    if parameter.kind == "string_list":
        return None if isinstance(value, list) and value and all(isinstance(v, str) for v in value) else "takes a list of strings"
    return None if isinstance(value, str) else "takes a string"
