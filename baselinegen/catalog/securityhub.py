"""The Security Hub control catalog: every control id, its title, the standards that contain it and whether its
parameters can be customised (``securityhub_controls.json``), and every parameter of the customisable controls with its
type and range (``securityhub_parameters.json``); each file names its source and date. A customisable control whose
parameters the user guide does not list (the file's ``unsourced``) takes any parameter name, unchecked: W473."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("securityhub_controls.json")
PARAMETER_DATA = Path(__file__).with_name("securityhub_parameters.json")
_TAG_KEY = re.compile(r"(?!aws:)[\s\S]{1,128}\Z", re.I)
_KMS_KEY_ARN = re.compile(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[\w-]+\Z")


@dataclass(frozen=True)
class Parameter:
    kind: str  # bool | int | double | string | enum | enum_list | int_list | string_list: the policy's parameter block
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()  # enum, enum_list, a string with a fixed set of values
    max_items: int | None = None  # lists
    items: str = ""  # string_list items: tag_key | kms_key_arn
    customizable: bool = True


def _parameter(raw: dict) -> Parameter:
    return Parameter(raw["type"], raw.get("min"), raw.get("max"), tuple(raw.get("choices", ())), raw.get("max_items"),
                     raw.get("items", ""), raw.get("customizable", True))


@lru_cache(maxsize=1)
def _parameters() -> dict[str, dict[str, Parameter]]:
    data = json.loads(PARAMETER_DATA.read_text(encoding="utf-8"))
    controls = json.loads(DATA.read_text(encoding="utf-8"))["controls"]
    out = {c: {n: _parameter(p) for n, p in params.items()} for c, params in data["controls"].items()}
    tagging = {n: _parameter(p) for n, p in data["tagging"]["parameters"].items()}
    out.update({c: tagging for c, v in controls.items() if v["parameters"] and v["standards"] == ["aws-resource-tagging"]})
    return out


PARAMETERS: dict[str, dict[str, Parameter]] = _parameters()
# Customisable controls whose parameters the user guide does not list, with what the guide says instead.
UNSOURCED: dict[str, str] = json.loads(PARAMETER_DATA.read_text(encoding="utf-8"))["unsourced"]


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
    def integer(v) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    def in_range(v) -> bool:
        return (parameter.minimum is None or v >= parameter.minimum) and (parameter.maximum is None or v <= parameter.maximum)

    span = (f" from {parameter.minimum:g} to {parameter.maximum:g}" if parameter.maximum is not None
            else f" of at least {parameter.minimum:g}" if parameter.minimum is not None else "")
    items = f" (at most {parameter.max_items})" if parameter.max_items else ""
    one_of = "one of " + ", ".join(parameter.choices)
    if not parameter.customizable:
        return "is not customizable (Security Hub keeps its own value)"
    if parameter.kind == "bool":
        return None if isinstance(value, bool) else "takes true or false"
    if parameter.kind == "int":
        return None if integer(value) and in_range(value) else f"takes an integer{span}"
    if parameter.kind == "double":
        return None if (integer(value) or isinstance(value, float)) and in_range(value) else f"takes a number{span}"
    if parameter.kind == "enum":
        return None if _choice(value) in parameter.choices else f"takes {one_of}"
    listed = isinstance(value, list) and bool(value) and (parameter.max_items is None or len(value) <= parameter.max_items)
    if parameter.kind == "enum_list":
        return None if listed and all(_choice(v) in parameter.choices for v in value) else f"takes a list{items} of {one_of}"
    if parameter.kind == "int_list":
        return None if listed and all(integer(v) and in_range(v) for v in value) else f"takes a list{items} of integers{span}"
    if parameter.kind == "string_list":
        pattern = {"tag_key": _TAG_KEY, "kms_key_arn": _KMS_KEY_ARN}.get(parameter.items)
        what = {"tag_key": "tag keys (1-128 characters, not starting with aws:)", "kms_key_arn": "KMS key ARNs"}.get(parameter.items, "strings")
        ok = listed and all(isinstance(v, str) and (pattern is None or pattern.match(v)) for v in value)
        return None if ok else f"takes a list{items} of {what}"
    if parameter.choices:
        return None if value in parameter.choices else f"takes {one_of}"
    if parameter.minimum is not None:  # a number written as a string (Kinesis.3)
        return None if (integer(value) or (isinstance(value, str) and value.isdigit())) and in_range(int(value)) else f"takes a whole number{span}"
    return None if isinstance(value, str) else "takes a string"


def _choice(value) -> str | None:
    """An enum value as the API spells it: YAML's 365 is the choice "365"."""
    if isinstance(value, bool):
        return None
    return str(value) if isinstance(value, (int, str)) else None


def rendered_value(parameter: Parameter, value):
    """The value in the policy's block: enums and numbers-as-strings are strings there."""
    if parameter.kind == "enum" or (parameter.kind == "string" and not isinstance(value, str)):
        return _choice(value)
    if parameter.kind == "enum_list":
        return [_choice(v) for v in value]
    return list(value) if isinstance(value, tuple) else value


DIRECTION_DATA = Path(__file__).with_name("securityhub_parameter_directions.json")
# The rules in review/direction.py a parameter's safer side (securityhub_parameter_directions.json) names.
PARAMETER_RULES = ("securityhub.parameter.higher", "securityhub.parameter.lower", "securityhub.parameter.on",
                   "securityhub.parameter.more", "securityhub.parameter.fewer", "securityhub.parameter.enforcement",
                   "securityhub.parameter.vpc_block_mode", "securityhub.parameter.object_lock_mode",
                   "securityhub.parameter.log_level")


@lru_cache(maxsize=1)
def _directions() -> dict[str, dict[str, str]]:
    data = json.loads(DIRECTION_DATA.read_text(encoding="utf-8"))
    return {c: {n: f"securityhub.parameter.{p['safer']}" for n, p in params.items()} for c, params in data["directed"].items()}


def parameter_rule(control_id: str, name: str) -> str | None:
    """The direction rule of a control's parameter (None: no safer side, or a parameter the catalog does not know)."""
    return _directions().get(control_id, {}).get(name)
