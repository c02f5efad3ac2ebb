"""The typed aws 6.x schema: loaded once per process from aws-6-typed.json.gz, served as a GetProviderSchema
response whose protobuf bytes are cached on disk (the provider starts many times per Terraform command)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from tfplugin_proto import tfplugin6_5_pb2 as pb

SCHEMA_FILE = Path(__file__).resolve().parent / "aws-6-typed.json.gz"
NESTING = {"single": 1, "list": 2, "set": 3, "map": 4, "group": 5}


@lru_cache(maxsize=1)
def load() -> dict:
    """{"provider": SCHEMA, "resource_schemas": {type: SCHEMA}, "data_source_schemas": {type: SCHEMA}}."""
    with gzip.open(SCHEMA_FILE, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def resource(type_name: str) -> dict:
    return load()["resource_schemas"][type_name]["block"]


def data_source(type_name: str) -> dict:
    return load()["data_source_schemas"][type_name]["block"]


def provider() -> dict:
    return load()["provider"]["block"]


def _block(raw: dict) -> pb.Schema.Block:
    attributes = [
        pb.Schema.Attribute(
            name=name, type=json.dumps(attr["type"], separators=(",", ":")).encode(),
            required=bool(attr.get("required")), optional=bool(attr.get("optional")),
            computed=bool(attr.get("computed")), sensitive=bool(attr.get("sensitive")),
            deprecated=bool(attr.get("deprecated")))
        for name, attr in sorted(raw.get("attributes", {}).items())
    ]
    block_types = [
        pb.Schema.NestedBlock(
            type_name=name, block=_block(nested["block"]), nesting=NESTING[nested["nesting_mode"]],
            min_items=nested.get("min_items", 0), max_items=nested.get("max_items", 0))
        for name, nested in sorted(raw.get("block_types", {}).items())
    ]
    return pb.Schema.Block(attributes=attributes, block_types=block_types, deprecated=bool(raw.get("deprecated")))


def _schema(raw: dict) -> pb.Schema:
    return pb.Schema(version=raw.get("version", 0), block=_block(raw["block"]))


def build_response() -> pb.GetProviderSchema.Response:
    data = load()
    return pb.GetProviderSchema.Response(
        provider=_schema(data["provider"]),
        resource_schemas={name: _schema(raw) for name, raw in data["resource_schemas"].items()},
        data_source_schemas={name: _schema(raw) for name, raw in data["data_source_schemas"].items()},
        server_capabilities=pb.ServerCapabilities(plan_destroy=False, get_provider_schema_optional=True),
    )


def response_bytes() -> bytes:
    """The serialized GetProviderSchema response, from the cache folder ($TFPROVIDER_CACHE_DIR, else the temp
    folder) when an earlier process built it for the same schema file."""
    digest = hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest()[:16]
    folder = Path(os.environ.get("TFPROVIDER_CACHE_DIR") or tempfile.gettempdir())
    cached = folder / f"tfprovider-aws-schema-{digest}.pb"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    blob = build_response().SerializeToString(deterministic=True)
    folder.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
    partial.write_bytes(blob)
    os.replace(partial, cached)
    return blob
