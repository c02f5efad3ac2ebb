#!/usr/bin/env python3
"""Build tests/tfprovider/aws-6-typed.json.gz: the typed hashicorp/aws 6.x schema the stand-in provider serves.

Usage (by hand, once; see README.md for how the input is made)::

    python tests/tfprovider/build_schema.py schema-5.100.0.json

The input is ``terraform providers schema -json`` for hashicorp/aws 5.100.0. The 5.100.0 -> 6.0.0 differences of
``tests/provider_schema/v6_changes.py`` (the same list the untyped ``aws-6.json.gz`` is built from) are applied to
the typed schema, and the optional+computed ``region`` argument of Enhanced Region Support is added to every
Region-aware type. The output keeps Terraform's own JSON layout (``block``/``attributes``/``block_types``,
``nesting_mode``, ``min_items``/``max_items``, ``version``) without descriptions, sorted, gzipped reproducibly.
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
SCHEMA_DIR = HERE.parent / "provider_schema"
PROVIDER = "registry.terraform.io/hashicorp/aws"
OUTPUT = HERE / "aws-6-typed.json.gz"
TABLES = {"resource": "resource_schemas", "data": "data_source_schemas"}
DROPPED_KEYS = {"description", "description_kind", "deprecation_message"}
REGION = {"type": "string", "optional": True, "computed": True}

# The types of the attributes 6.0.0 adds (v6_changes.PATCHES "attribute" entries naming an attribute 5.100.0 lacks);
# every other added attribute is a string. Checked against @cdktf/provider-aws 21.22.1 (aws 6.25.0) by hand.
ADDED_TYPES = {
    ("data", "aws_ami", "allow_unsafe_filter"): "bool",
    ("resource", "aws_sagemaker_image_version", "aliases"): ["set", "string"],
    ("data", "aws_ssmincidents_replication_set", "regions"): "<type of region>",
}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def strip_block(block: dict) -> dict:
    """The block without descriptions (Terraform does not need them to plan)."""
    out = {k: v for k, v in block.items() if k not in DROPPED_KEYS and k not in ("attributes", "block_types")}
    if block.get("attributes"):
        out["attributes"] = {
            name: {k: v for k, v in attr.items() if k not in DROPPED_KEYS} for name, attr in block["attributes"].items()}
    if block.get("block_types"):
        out["block_types"] = {
            name: {**{k: v for k, v in nested.items() if k != "block"}, "block": strip_block(nested["block"])}
            for name, nested in block["block_types"].items()}
    return out


def strip(schemas: dict) -> dict:
    return {name: {**schema, "block": strip_block(schema["block"])} for name, schema in (schemas or {}).items()}


def _parent(block: dict, path: str, where: str) -> tuple[dict, str]:
    parts = path.split(".")
    for part in parts[:-1]:
        try:
            block = block["block_types"][part]["block"]
        except KeyError:
            raise SystemExit(f"{where}: no nested block {part!r}") from None
    block.setdefault("attributes", {})
    block.setdefault("block_types", {})
    return block, parts[-1]


def apply_patch(schemas: dict, patch: tuple) -> None:
    op, kind, type_name, path, *args = patch
    where = f"{op} {kind} {type_name} {path}"
    parent, name = _parent(schemas[TABLES[kind]][type_name]["block"], path, where)
    attrs, blocks = parent["attributes"], parent["block_types"]
    if op == "remove":
        if attrs.pop(name, None) is None and blocks.pop(name, None) is None:
            raise SystemExit(f"{where}: nothing to remove")
    elif op == "attribute":
        (mode,) = args
        flags = {"required": {"required": True}, "optional": {"optional": True}, "computed": {"computed": True}}[mode]
        if name in attrs:
            kept = {k: v for k, v in attrs[name].items() if k not in ("required", "optional", "computed")}
            if mode == "optional" and attrs[name].get("computed"):
                flags = {"optional": True, "computed": True}
            attrs[name] = {**kept, **flags}
        else:
            type_ = ADDED_TYPES.get((kind, type_name, name), "string")
            if type_ == "<type of region>":
                type_ = attrs["region"]["type"] if "region" in attrs else blocks_to_type(blocks["region"])
            attrs[name] = {"type": type_, **flags}
    elif op == "rename":
        (new_name,) = args
        table = attrs if name in attrs else blocks
        table[new_name] = table.pop(name)
    elif op == "nesting":
        nesting, min_items, max_items = args
        block = blocks[name]
        block["nesting_mode"] = nesting
        for key, value in (("min_items", int(min_items)), ("max_items", int(max_items))):
            if value:
                block[key] = value
            else:
                block.pop(key, None)
    elif op == "copy_block":
        (new_name,) = args
        blocks[new_name] = copy.deepcopy(blocks[name])
    else:
        raise SystemExit(f"{where}: unknown op")


def blocks_to_type(block_type: dict):
    """The cty type of a nested block read as a computed attribute (set of objects of its attributes)."""
    inner = block_type["block"]
    fields = {n: a["type"] for n, a in inner.get("attributes", {}).items()}
    fields.update({n: blocks_to_type(b) for n, b in inner.get("block_types", {}).items()})
    return ["set", ["object", fields]]


def build(raw: dict) -> dict:
    provider = raw["provider_schemas"][PROVIDER]
    changes = _load("v6_changes", SCHEMA_DIR / "v6_changes.py")
    untyped = _load("untyped_build", SCHEMA_DIR / "build.py")
    schemas = {table: strip(provider.get(table)) for table in TABLES.values()}
    for kind, names in changes.REMOVED_TYPES.items():
        for name in names:
            del schemas[TABLES[kind]][name]
    for patch in changes.PATCHES:
        apply_patch(schemas, patch)
    for kind, table in TABLES.items():
        for name, schema in schemas[table].items():
            if untyped.is_region_aware(changes, kind, name):
                schema["block"].setdefault("attributes", {})["region"] = dict(REGION)
    return {"provider": strip({"p": provider["provider"]})["p"], "derived_from": "5.100.0", "target": "6.x", **schemas}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("schema_json", type=Path, help="`terraform providers schema -json` of hashicorp/aws 5.100.0")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data = build(json.loads(args.schema_json.read_text(encoding="utf-8")))
    payload = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    args.output.write_bytes(buffer.getvalue())
    counts = {table: len(data[table]) for table in TABLES.values()}
    print(f"wrote {args.output} ({len(buffer.getvalue()):,} bytes gzip; {counts})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
