"""cty values on the wire (msgpack DynamicValue) and shaped by a schema: decode, encode, conform, walk."""

from __future__ import annotations

import json

import msgpack


class Unknown:
    """A value Terraform does not know yet (msgpack extension 0, or 12 with refinements, which are dropped)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()


def _ext_hook(code: int, data: bytes):
    if code in (0, 12):  # 12: an unknown with refinements (not null, a prefix, a length range)
        return UNKNOWN
    return msgpack.ExtType(code, data)


def _default(value):
    if value is UNKNOWN:
        return msgpack.ExtType(0, b"")
    raise TypeError(f"cannot encode {value!r}")


def decode(dynamic_value) -> object:
    """A DynamicValue's content (msgpack, or JSON when Terraform sends that)."""
    if dynamic_value.msgpack:
        return msgpack.unpackb(dynamic_value.msgpack, ext_hook=_ext_hook, raw=False, strict_map_key=False)
    if dynamic_value.json:
        return json.loads(dynamic_value.json)
    return None


def encode(value) -> bytes:
    return msgpack.packb(value, default=_default, use_bin_type=True)


# --------------------------------------------------------------------------------------------------------------
# Shapes: a block schema (Terraform's JSON layout) and cty types (JSON form: "string", ["list", T], ["object", {}])
# --------------------------------------------------------------------------------------------------------------
def conform_type(value, type_):
    """``value`` (plain JSON, e.g. an older state) made to fit ``type_``: objects get every attribute, nothing more."""
    if value is None or value is UNKNOWN:
        return value
    if isinstance(type_, str):
        if type_ == "string" and not isinstance(value, str):
            return json.dumps(value) if isinstance(value, (dict, list)) else str(value).lower() if isinstance(value, bool) else str(value)
        return value
    kind, inner = type_[0], type_[1]
    if kind in ("list", "set"):
        return [conform_type(v, inner) for v in value]
    if kind == "map":
        return {k: conform_type(v, inner) for k, v in value.items()}
    if kind == "object":
        return {name: conform_type(value.get(name), t) for name, t in inner.items()}
    if kind == "tuple":
        return [conform_type(v, t) for v, t in zip(value, inner)]
    return value


def conform_block(value, block: dict):
    """A block's object with every attribute and nested block of the schema (null/empty where absent)."""
    if value is None or value is UNKNOWN:
        return value
    out = {name: conform_type(value.get(name), attr["type"]) for name, attr in block.get("attributes", {}).items()}
    for name, nested in block.get("block_types", {}).items():
        mode, inner, got = nested["nesting_mode"], nested["block"], value.get(name)
        if mode in ("single", "group"):
            if isinstance(got, list):  # a legacy state keeps a single block as a list
                got = got[0] if got else None
            if got is None:
                out[name] = conform_block({}, inner) if mode == "group" else None
            else:
                out[name] = conform_block(got, inner)
        elif mode == "map":
            out[name] = {k: conform_block(v, inner) for k, v in (got or {}).items()}
        else:
            out[name] = [conform_block(v, inner) for v in (got or [])]
    return out


def block_items(value, nested: dict) -> list:
    """The objects of a nested block value, whatever its nesting mode."""
    mode = nested["nesting_mode"]
    if value is None or value is UNKNOWN:
        return []
    if mode in ("single", "group"):
        return [value]
    if mode == "map":
        return list(value.values())
    return list(value)


def contains_unknown(value) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False
