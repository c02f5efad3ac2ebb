"""The typed aws 6.x schema of aws-6-typed.json.gz. The provider starts several times per Terraform command, so
what takes time is cached on disk ($TFPROVIDER_CACHE_DIR, else the temp folder), keyed by the schema file's hash:
the serialized GetProviderSchema response, and each type's schema as JSON text (decoded only when used)."""

from __future__ import annotations

import gzip
import hashlib
import json
import marshal
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from tfplugin_proto import tfplugin6_5_pb2 as pb

SCHEMA_FILE = Path(__file__).resolve().parent / "aws-6-typed.json.gz"
CACHE_FORMAT = "v1"  # bump when what the caches hold changes shape
NESTING = {"single": 1, "list": 2, "set": 3, "map": 4, "group": 5}


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def load() -> dict:
    """{"provider": SCHEMA, "resource_schemas": {type: SCHEMA}, "data_source_schemas": {type: SCHEMA}} (all of it:
    only to build the GetProviderSchema response)."""
    with gzip.open(SCHEMA_FILE, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _cache_file(kind: str, suffix: str) -> Path:
    digest = hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest()[:16]
    folder = Path(os.environ.get("TFPROVIDER_CACHE_DIR") or tempfile.gettempdir())
    return folder / f"tfprovider-aws-{kind}-{CACHE_FORMAT}-{digest}.{suffix}"


def _cached(kind: str, suffix: str, build, read, write) -> object:
    """``read`` of the cache file when an earlier process wrote it for the same schema file, else ``build``'s
    result, written for the next process (atomically: plugin processes start in parallel)."""
    path = _cache_file(kind, suffix)
    try:
        return read(path.read_bytes())
    except (OSError, ValueError, EOFError):
        pass
    value = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    partial.write_bytes(write(value))
    os.replace(partial, path)
    return value


def _tables() -> dict:
    data = load()
    return {table: {name: json.dumps(raw) for name, raw in data[table].items()}
            for table in ("resource_schemas", "data_source_schemas")}


@lru_cache(maxsize=1)
def tables() -> dict:
    """Each type's schema as JSON text, by table: decoding one type costs little, decoding all of them does."""
    with _LOCK:
        return _cached("types", "marshal", _tables, marshal.loads, marshal.dumps)


@lru_cache(maxsize=None)
def _decoded(table: str, type_name: str) -> dict:
    return json.loads(tables()[table][type_name])


def resource(type_name: str) -> dict:
    return _decoded("resource_schemas", type_name)["block"]


def data_source(type_name: str) -> dict:
    return _decoded("data_source_schemas", type_name)["block"]


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
    """The serialized GetProviderSchema response (cached on disk: building it takes a second)."""
    with _LOCK:
        return _cached("schema", "pb", lambda: build_response().SerializeToString(deterministic=True),
                       lambda blob: blob, lambda blob: blob)
