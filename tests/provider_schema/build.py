#!/usr/bin/env python3
"""Build tests/provider_schema/aws-6.json.gz from a hashicorp/aws 5.x schema.

Usage::

    python tests/provider_schema/build.py /path/to/schema-5.100.0.json
    python tests/provider_schema/build.py schema.json --output other.json.gz

The input is the output of ``terraform providers schema -json`` for a
configuration requiring ``hashicorp/aws`` 5.100.0 (see README.md for the exact
commands).  The 6.x differences listed in ``v6_changes.py`` are applied and a
compact, deterministic gzip JSON file is written:

    {"provider": "registry.terraform.io/hashicorp/aws",
     "derived_from": "5.100.0", "target": "6.x",
     "resource_schemas": {type: BLOCK}, "data_source_schemas": {type: BLOCK}}

    BLOCK = {"attributes": {name: "required" | "optional" | "computed"},
             "blocks": {name: {"nesting": "single"|"list"|"set"|"map"|"group",
                               "min_items": int, "max_items": int,  # 0 = unlimited
                               "block": BLOCK}},
             # only present when non-empty, see README.md:
             "attribute_blocks": {name: BLOCK}}

Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import importlib.util
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROVIDER = "registry.terraform.io/hashicorp/aws"
DEFAULT_OUTPUT = HERE / "aws-6.json.gz"
DERIVED_FROM = "5.100.0"
TARGET = "6.x"
KINDS = {"resource": "resource_schemas", "data": "data_source_schemas"}


def _load_changes():
    spec = importlib.util.spec_from_file_location("v6_changes", HERE / "v6_changes.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------
# 5.x JSON -> compact BLOCK
# --------------------------------------------------------------------------
def _attribute_mode(attr: dict) -> str:
    if attr.get("required"):
        return "required"
    if attr.get("optional"):  # optional, or optional+computed
        return "optional"
    return "computed"


def _object_attributes(cty_type) -> dict | None:
    """Return the attribute types of a list/set-of-object cty type, else None."""
    if (
        isinstance(cty_type, list)
        and len(cty_type) == 2
        and cty_type[0] in ("list", "set")
        and isinstance(cty_type[1], list)
        and len(cty_type[1]) >= 2
        and cty_type[1][0] == "object"
        and isinstance(cty_type[1][1], dict)
    ):
        return cty_type[1][1]
    return None


def _attribute_block(object_attributes: dict) -> dict:
    """Schema Terraform core uses when a list/set-of-object attribute is
    written with block syntax ("attributes as blocks", blocktoattr): every
    object attribute is optional, nested list/set-of-object attributes may be
    written as blocks too."""
    block: dict = {"attributes": {name: "optional" for name in object_attributes}, "blocks": {}}
    nested = {}
    for name, cty_type in object_attributes.items():
        inner = _object_attributes(cty_type)
        if inner is not None:
            nested[name] = _attribute_block(inner)
    if nested:
        block["attribute_blocks"] = nested
    return block


def convert_block(raw: dict) -> dict:
    attributes: dict[str, str] = {}
    attribute_blocks: dict[str, dict] = {}
    for name, attr in (raw.get("attributes") or {}).items():
        mode = _attribute_mode(attr)
        attributes[name] = mode
        if mode != "computed":
            inner = _object_attributes(attr.get("type"))
            if inner is not None:
                attribute_blocks[name] = _attribute_block(inner)
    blocks: dict[str, dict] = {}
    for name, block_type in (raw.get("block_types") or {}).items():
        blocks[name] = {
            "nesting": block_type["nesting_mode"],
            "min_items": int(block_type.get("min_items", 0)),
            "max_items": int(block_type.get("max_items", 0)),
            "block": convert_block(block_type.get("block") or {}),
        }
    result: dict = {"attributes": attributes, "blocks": blocks}
    if attribute_blocks:
        result["attribute_blocks"] = attribute_blocks
    return result


# --------------------------------------------------------------------------
# 6.x patches
# --------------------------------------------------------------------------
class PatchError(Exception):
    pass


def _parent(block: dict, path: str, where: str) -> tuple[dict, str]:
    parts = path.split(".")
    for part in parts[:-1]:
        try:
            block = block["blocks"][part]["block"]
        except KeyError:
            raise PatchError(f"{where}: no nested block {part!r} on the way to {path!r}") from None
    return block, parts[-1]


def apply_patch(schemas: dict, patch: tuple) -> None:
    op, kind, type_name, path, *args = patch
    where = f"{op} {kind} {type_name} {path}"
    table = schemas[KINDS[kind]]
    if type_name not in table:
        raise PatchError(f"{where}: unknown {kind} type")
    parent, name = _parent(table[type_name], path, where)
    attrs, blocks = parent["attributes"], parent["blocks"]
    if op == "remove":
        if name in attrs:
            del attrs[name]
            parent.get("attribute_blocks", {}).pop(name, None)
        elif name in blocks:
            del blocks[name]
        else:
            raise PatchError(f"{where}: nothing to remove")
    elif op == "attribute":
        (mode,) = args
        if mode not in ("required", "optional", "computed"):
            raise PatchError(f"{where}: bad mode {mode!r}")
        if name in blocks:
            raise PatchError(f"{where}: {name!r} is a block")
        if attrs.get(name) == mode:
            raise PatchError(f"{where}: already {mode} (stale patch?)")
        attrs[name] = mode
        if mode == "computed":
            parent.get("attribute_blocks", {}).pop(name, None)
    elif op == "rename":
        (new_name,) = args
        if new_name in attrs or new_name in blocks:
            raise PatchError(f"{where}: {new_name!r} already exists")
        if name in attrs:
            attrs[new_name] = attrs.pop(name)
            if name in parent.get("attribute_blocks", {}):
                parent["attribute_blocks"][new_name] = parent["attribute_blocks"].pop(name)
        elif name in blocks:
            blocks[new_name] = blocks.pop(name)
        else:
            raise PatchError(f"{where}: nothing to rename")
    elif op == "nesting":
        nesting, min_items, max_items = args
        if name not in blocks:
            raise PatchError(f"{where}: no such block")
        blocks[name].update(nesting=nesting, min_items=int(min_items), max_items=int(max_items))
    elif op == "copy_block":
        (new_name,) = args
        if name not in blocks:
            raise PatchError(f"{where}: no such block")
        if new_name in attrs or new_name in blocks:
            raise PatchError(f"{where}: {new_name!r} already exists")
        blocks[new_name] = copy.deepcopy(blocks[name])
    else:
        raise PatchError(f"{where}: unknown op")


def is_region_aware(changes, kind: str, type_name: str) -> bool:
    if type_name in changes.GLOBAL_TYPES[kind]:
        return False
    if type_name in changes.REGION_DEPRECATED_TYPES[kind]:
        return False
    if type_name in changes.REGION_UNCHANGED_TYPES[kind]:
        return False
    if type_name.startswith(changes.GLOBAL_PREFIXES) and not type_name.startswith(
        changes.GLOBAL_PREFIX_EXCEPTIONS
    ):
        return False
    return True


def build(
    raw_schema: dict,
    changes=None,
    log=print,
    derived_from: str = DERIVED_FROM,
    apply_changes: bool = True,
) -> dict:
    try:
        provider = raw_schema["provider_schemas"][PROVIDER]
    except KeyError:
        raise SystemExit(f"input has no provider_schemas[{PROVIDER!r}]") from None

    schemas = {
        table: {name: convert_block(entry["block"]) for name, entry in (provider.get(table) or {}).items()}
        for table in KINDS.values()
    }
    metadata = {"provider": PROVIDER, "derived_from": derived_from, "target": TARGET}
    if not apply_changes:  # input already is a 6.x schema
        return {**metadata, **schemas}
    changes = changes or _load_changes()

    # 1. Removed types.
    for kind, names in changes.REMOVED_TYPES.items():
        for name in names:
            if schemas[KINDS[kind]].pop(name, None) is None:
                raise PatchError(f"remove_type {kind} {name}: unknown type")

    # 2. Argument / block patches.
    for patch in changes.PATCHES:
        apply_patch(schemas, patch)

    # 3. Enhanced Region Support: optional top-level `region` everywhere except
    #    the non-Region-aware types.
    counts = {}
    for kind, table in KINDS.items():
        aware = global_ = 0
        for name, block in schemas[table].items():
            if is_region_aware(changes, kind, name):
                if "region" in block["blocks"]:
                    raise PatchError(f"{kind} {name}: Region-aware but has a `region` block")
                block["attributes"]["region"] = "optional"
                block.get("attribute_blocks", {}).pop("region", None)
                aware += 1
            else:
                global_ += 1
        counts[kind] = (aware, global_)

    # Report explicitly listed names that do not exist (informational: the
    # guide also lists types added after 5.100.0).
    for label, per_kind in (
        ("GLOBAL_TYPES", changes.GLOBAL_TYPES),
        ("REGION_DEPRECATED_TYPES", changes.REGION_DEPRECATED_TYPES),
        ("REGION_UNCHANGED_TYPES", changes.REGION_UNCHANGED_TYPES),
    ):
        for kind, names in per_kind.items():
            for name in sorted(names):
                if name not in schemas[KINDS[kind]]:
                    log(f"note: {label}[{kind}] {name} is not in the {derived_from} schema")
    for kind, (aware, global_) in counts.items():
        log(f"{kind}: {aware + global_} types, {aware} Region-aware, {global_} not Region-aware")

    return {**metadata, **schemas}


def write_gzip_json(data: dict, output: Path) -> bytes:
    payload = json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header byte-for-byte reproducible.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    blob = buffer.getvalue()
    output.write_bytes(blob)
    return blob


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("schema_json", type=Path, help="output of `terraform providers schema -json` (hashicorp/aws 5.x)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    parser.add_argument(
        "--derived-from",
        default=DERIVED_FROM,
        help=f"provider version the input schema was printed for (default: {DERIVED_FROM}; "
        "the JSON itself does not record it)",
    )
    parser.add_argument(
        "--no-patches",
        action="store_true",
        help="only convert to the compact format; use when the input already is a 6.x schema",
    )
    args = parser.parse_args(argv)

    raw = json.loads(args.schema_json.read_text(encoding="utf-8"))
    try:
        data = build(raw, derived_from=args.derived_from, apply_changes=not args.no_patches)
    except PatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    blob = write_gzip_json(data, args.output)
    print(f"wrote {args.output} ({len(blob):,} bytes gzip)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
