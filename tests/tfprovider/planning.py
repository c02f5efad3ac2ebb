"""Resources without an API: plan (the proposed new state, computed attributes unknown until apply) and apply
(every unknown filled with a value derived from the resource's type, account, Region and configuration, so that
applying the same configuration twice gives the same state and the next plan has nothing to change)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tfprovider.values import UNKNOWN, contains_unknown

GLOBAL_SERVICES = {"iam", "organizations", "cloudfront", "route53", "budgets", "account", "ce", "shield"}
NAME_ATTRIBUTES = ("name", "bucket", "alias_name", "function_name", "role_name", "user", "group", "name_prefix", "description")


@dataclass
class Settings:
    """What ConfigureProvider told this provider instance (one process per provider configuration)."""

    region: str = "us-east-1"
    account_id: str = "123456789012"
    default_tags: dict = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: dict) -> Settings:
        config = config or {}
        account = "123456789012"
        allowed = config.get("allowed_account_ids") or []
        if allowed:
            account = sorted(allowed)[0]
        for assume in config.get("assume_role") or []:
            arn = (assume or {}).get("role_arn") or ""
            parts = arn.split(":")
            if len(parts) >= 5 and parts[4].isdigit():
                account = parts[4]
        tags = {}
        for block in config.get("default_tags") or []:
            tags.update((block or {}).get("tags") or {})
        return cls(region=config.get("region") or "us-east-1", account_id=account, default_tags=tags)


def digest(*parts) -> str:
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def _service(type_name: str) -> str:
    return type_name.split("_")[1] if type_name.count("_") >= 1 else type_name


def display_name(type_name: str, value: dict) -> str:
    for attribute in NAME_ATTRIBUTES:
        candidate = value.get(attribute)
        if isinstance(candidate, str) and candidate:
            return candidate.replace(" ", "-")[:64]
    return f"{type_name[4:]}-{digest(type_name, value)[:12]}"


def arn(type_name: str, settings: Settings, region: str | None, name: str) -> str:
    service = _service(type_name)
    where = "" if service in GLOBAL_SERVICES else (region or settings.region)
    kind = type_name.split("_", 2)[2] if type_name.count("_") >= 2 else service
    return f"arn:aws:{service}:{where}:{settings.account_id}:{kind}/{name}"


def filled(type_, seed: str):
    """A known value of ``type_`` for an attribute nobody configured."""
    if type_ == "string":
        return f"{seed.rsplit('.', 1)[-1]}-{hashlib.sha256(seed.encode()).hexdigest()[:10]}"
    if type_ == "number":
        return 0
    if type_ == "bool":
        return False
    kind, inner = type_[0], type_[1]
    if kind == "object":
        return {name: filled(t, f"{seed}.{name}") for name, t in inner.items()}
    return {} if kind == "map" else []


def _fill_value(value, type_, seed: str):
    if value is UNKNOWN:
        return filled(type_, seed)
    if value is None or isinstance(type_, str):
        return value
    kind, inner = type_[0], type_[1]
    if kind in ("list", "set"):
        return [_fill_value(v, inner, f"{seed}.{i}") for i, v in enumerate(value)]
    if kind == "map":
        return {k: _fill_value(v, inner, f"{seed}.{k}") for k, v in value.items()}
    if kind == "object":
        return {k: _fill_value(value.get(k), t, f"{seed}.{k}") for k, t in inner.items()}
    return value


def fill_block(value: dict, block: dict, seed: str, top: dict | None = None) -> dict:
    """``value`` with every unknown (and, for ``top``-level well-known names, a fitting value) made known."""
    out = dict(value)
    for name, attr in block.get("attributes", {}).items():
        current = out.get(name)
        if current is UNKNOWN and top is not None and name in top and attr["type"] == "string":
            out[name] = top[name]
        elif contains_unknown(current):
            out[name] = _fill_value(current, attr["type"], f"{seed}.{name}")
    for name, nested in block.get("block_types", {}).items():
        current = out.get(name)
        if current is None:
            continue
        if nested["nesting_mode"] in ("single", "group"):
            out[name] = fill_block(current, nested["block"], f"{seed}.{name}")
        elif nested["nesting_mode"] == "map":
            out[name] = {k: fill_block(v, nested["block"], f"{seed}.{name}.{k}") for k, v in current.items()}
        else:
            out[name] = [fill_block(v, nested["block"], f"{seed}.{name}.{i}") for i, v in enumerate(current)]
    return out


def _unknown_computed(value: dict, block: dict) -> dict:
    """A new object's plan: every computed attribute nobody set is unknown until apply."""
    out = dict(value)
    for name, attr in block.get("attributes", {}).items():
        if attr.get("computed") and out.get(name) is None:
            out[name] = UNKNOWN
    for name, nested in block.get("block_types", {}).items():
        current = out.get(name)
        if current is None:
            continue
        if nested["nesting_mode"] in ("single", "group"):
            out[name] = _unknown_computed(current, nested["block"])
        elif nested["nesting_mode"] == "map":
            out[name] = {k: _unknown_computed(v, nested["block"]) for k, v in current.items()}
        else:
            out[name] = [_unknown_computed(v, nested["block"]) for v in current]
    return out


def _tags_all(settings: Settings, tags):
    if contains_unknown(tags):
        return UNKNOWN
    return {**settings.default_tags, **(tags or {})} or None


def plan(type_name: str, block: dict, prior, proposed, settings: Settings):
    """The planned new state (None: destroy)."""
    if proposed is None:
        return None
    planned = dict(proposed)
    if prior is None:
        planned = _unknown_computed(planned, block)
        attributes = block.get("attributes", {})
        if "region" in attributes and attributes["region"].get("computed") and planned.get("region") is UNKNOWN:
            planned["region"] = settings.region
    attributes = block.get("attributes", {})
    if "tags_all" in attributes and "tags" in attributes:
        planned["tags_all"] = _tags_all(settings, planned.get("tags"))
    return planned


def apply(type_name: str, block: dict, planned, settings: Settings):
    """The new state after "creating" or "updating" (None after a destroy)."""
    if planned is None:
        return None
    name = display_name(type_name, planned)
    region = planned.get("region") if isinstance(planned.get("region"), str) else None
    well_known = {
        "arn": arn(type_name, settings, region, name),
        "id": name,
        "account_id": settings.account_id,
        "owner_id": settings.account_id,
        "region": settings.region,
    }
    return fill_block(planned, block, f"{type_name}.{name}", well_known)



# ------------------------------------------------------------------------------------------------------------------
# Replacements: the arguments the real provider cannot update in place (ForceNew / RequiresReplace), read from the
# package's own table (baselinegen/catalog/replace_on_change.json) so that Terraform plans what the review lists.
# ------------------------------------------------------------------------------------------------------------------
REPLACE_TABLE = Path(__file__).resolve().parents[2] / "baselinegen" / "catalog" / "replace_on_change.json"


@lru_cache(maxsize=1)
def _replace_table() -> dict:
    return json.loads(REPLACE_TABLE.read_text(encoding="utf-8"))


def replacing_arguments(type_name: str) -> tuple[str, ...]:
    data = _replace_table()
    row = data["types"].get(type_name, {"arguments": []})
    return tuple(row["arguments"]) + tuple(data["every_region_aware_type"]["arguments"])


def _differs(before, after) -> bool:
    return contains_unknown(after) or before != after


def _nested(value, steps: list[str], path: list) -> list[list]:
    """Paths (attribute names and list indexes) under ``value`` where ``steps`` lead to a value; a block list is
    followed element by element."""
    if not steps:
        return [path]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _nested(item, steps, path + [i])]
    if isinstance(value, dict):
        return _nested(value.get(steps[0]), steps[1:], path + [steps[0]])
    return []


def _value_at(value, path: list):
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and step < len(value) else None
        else:
            value = value.get(step) if isinstance(value, dict) else None
    return value


def requires_replace(type_name: str, settings: Settings, prior, proposed, unset_prior_matches: bool = False) -> list[list]:
    """The paths whose planned change forces a new resource (empty on create and destroy). ``unset_prior_matches``
    (an imported state, which lacks what the real provider would read back): a null prior value changes nothing."""
    if prior is None or proposed is None:
        return []
    if unset_prior_matches:
        prior = {**proposed, **{k: v for k, v in prior.items() if v is not None}}
    found = []
    for argument in replacing_arguments(type_name):
        steps = argument.split(".")
        if argument == "region":
            if not _same_region(prior.get("region"), proposed.get("region"), settings):
                found.append(["region"])
        elif len(steps) == 1:
            if _differs(prior.get(argument), proposed.get(argument)):
                found.append([argument])
        elif _count(prior, steps[0]) != _count(proposed, steps[0]):
            found.append([steps[0]])
        else:
            found += [path for path in _nested(proposed, steps, []) if _differs(_value_at(prior, path), _value_at(proposed, path))]
    return found


def _count(value: dict, name: str) -> int:
    inner = value.get(name)
    return len(inner) if isinstance(inner, list) else (0 if inner is None else 1)


def _same_region(before, after, settings: Settings) -> bool:
    """Unset and the provider's Region are the same Region (forceNewIfRegionChanges of the real provider)."""
    if contains_unknown(after):
        return False
    return (before or settings.region) == (after or settings.region)
