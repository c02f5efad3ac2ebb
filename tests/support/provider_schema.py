"""Check Terraform files against the committed hashicorp/aws 6.x schema.

The schema lives in ``tests/provider_schema/aws-6.json.gz`` (see the README
next to it for how it is built).  Only ``resource`` and ``data`` blocks whose
type starts with ``aws_`` are checked; ``module``, ``variable``, ``output``,
``locals``, ``terraform``, ``provider``, ``moved``, ``removed``, ``import``,
``check`` and ``ephemeral`` blocks are not checked against the provider schema (``moved`` blocks must have
exactly ``from`` and ``to``).

Public API::

    load_schema() -> dict                               # cached
    validate_terraform_dir(root: pathlib.Path) -> list[str]

Each problem is one line, e.g.::

    modules/iam/main.tf: resource aws_iam_group.admins: unknown argument "nam"
    main.tf: data aws_iam_policy_document.mfa: statement.condition: missing required argument "test"

Nested block paths use the block names joined by ``.`` (no indices).
"""

from __future__ import annotations

import functools
import gzip
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import hcl2

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "provider_schema" / "aws-6.json.gz"

# Terraform meta-arguments (https://developer.hashicorp.com/terraform/language/meta-arguments).
META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on"})
RESOURCE_META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
DATA_META_BLOCKS = frozenset({"lifecycle"})

# Top-level block types that are valid Terraform but not provider-schema checked.
UNCHECKED_TOP_LEVEL = frozenset(
    {"module", "variable", "output", "locals", "terraform", "provider", "moved", "removed", "import", "check", "ephemeral"}
)

_KIND_TABLE = {"resource": "resource_schemas", "data": "data_source_schemas"}
_KIND_NOUN = {"resource": "resource type", "data": "data source type"}


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------
def serialization_options() -> hcl2.SerializationOptions:
    """The python-hcl2 (8.x) output options this module relies on, pinned."""
    return hcl2.SerializationOptions(
        with_comments=False,  # otherwise "__comments__" keys appear in bodies
        with_meta=False,  # no "__start_line__"/"__end_line__" keys
        wrap_objects=False,
        wrap_tuples=False,
        explicit_blocks=True,  # every block body carries "__is_block__": True
        preserve_heredocs=True,
        force_operation_parentheses=False,
        preserve_scientific_notation=True,
        strip_string_quotes=True,  # labels come back as aws_iam_group, not '"aws_iam_group"'
    )


def parse_terraform(text: str) -> dict:
    return hcl2.loads(text, serialization_options=serialization_options())


def _is_dunder(key: str) -> bool:
    return key.startswith("__") and key.endswith("__")


def _unwrap_block(element: Any) -> tuple[list[str], dict] | None:
    """``{"label": {..., "__is_block__": True}}`` -> (["label"], body)."""
    labels: list[str] = []
    while isinstance(element, dict):
        if element.get("__is_block__") is True:
            return labels, element
        if len(element) != 1:
            return None
        ((label, element),) = element.items()
        labels.append(str(label).strip('"'))
    return None


def _split_body(body: dict) -> tuple[dict[str, Any], dict[str, list[tuple[list[str], dict]]]]:
    """Split a block body into arguments and nested blocks."""
    arguments: dict[str, Any] = {}
    blocks: dict[str, list[tuple[list[str], dict]]] = {}
    for key, value in body.items():
        if _is_dunder(key):
            continue
        if isinstance(value, list) and value:
            unwrapped = [_unwrap_block(element) for element in value]
            if all(item is not None for item in unwrapped):
                blocks[key] = unwrapped  # type: ignore[assignment]
                continue
        arguments[key] = value
    return arguments, blocks


# --------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def load_schema() -> dict:
    """Load (once) the compact hashicorp/aws 6.x schema."""
    with gzip.open(SCHEMA_PATH, "rt", encoding="utf-8") as handle:
        return json.load(handle)


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------
def _check_body(
    body: dict,
    schema: dict,
    problems: list[str],
    where: str,
    path: tuple[str, ...] = (),
    meta_arguments: frozenset[str] = frozenset(),
    meta_blocks: frozenset[str] = frozenset(),
) -> None:
    prefix = f"{where}: {'.'.join(path)}: " if path else f"{where}: "

    def report(message: str) -> None:
        problems.append(prefix + message)

    arguments, blocks = _split_body(body)
    attributes: dict[str, str] = schema.get("attributes", {})
    nested: dict[str, dict] = schema.get("blocks", {})
    attribute_blocks: dict[str, dict] = schema.get("attribute_blocks", {})

    # dynamic "x" { for_each = ... content { ... } }  ->  validated as block x.
    dynamic_contents: dict[str, list[dict]] = defaultdict(list)
    if "dynamic" not in nested:
        for labels, dynamic_body in blocks.pop("dynamic", []):
            if len(labels) != 1:
                report(f"dynamic block must have exactly one label, got {len(labels)}")
                continue
            name = labels[0]
            dynamic_arguments, dynamic_blocks = _split_body(dynamic_body)
            if dynamic_arguments.get("for_each") is None:
                report(f'dynamic "{name}": missing required argument "for_each"')
            for argument in sorted(set(dynamic_arguments) - {"for_each", "iterator", "labels"}):
                report(f'dynamic "{name}": unknown argument "{argument}"')
            contents = dynamic_blocks.pop("content", [])
            for block_name in sorted(dynamic_blocks):
                report(f'dynamic "{name}": unknown nested block "{block_name}"')
            if len(contents) != 1:
                report(f'dynamic "{name}": expected exactly one content block, got {len(contents)}')
            dynamic_contents[name].extend(content for _labels, content in contents)

    # Arguments.
    for name, value in arguments.items():
        if name in meta_arguments:
            continue
        mode = attributes.get(name)
        if mode is None:
            if name in nested:
                report(f'"{name}" is a block, not an argument')
            else:
                report(f'unknown argument "{name}"')
        elif mode == "computed" and value is not None:
            report(f'computed-only argument "{name}" cannot be set')

    # Required arguments (null counts as unset; list-of-object arguments may
    # also be written as blocks).
    for name, mode in attributes.items():
        if mode != "required" or arguments.get(name) is not None:
            continue
        if name in attribute_blocks and (blocks.get(name) or dynamic_contents.get(name)):
            continue
        report(f'missing required argument "{name}"')

    # Nested blocks.
    for name in sorted(set(blocks) | set(dynamic_contents)):
        static = blocks.get(name, [])
        dynamic = dynamic_contents.get(name, [])
        if name in meta_blocks:
            continue  # lifecycle / provisioner / connection: not provider schema
        spec = nested.get(name)
        if spec is None:
            if name in attribute_blocks:  # "attributes as blocks" (list/set of objects)
                for labels, block_body in static:
                    if labels:
                        report(f'block "{name}" takes no labels, got {len(labels)}')
                    _check_body(block_body, attribute_blocks[name], problems, where, path + (name,))
                for block_body in dynamic:
                    _check_body(block_body, attribute_blocks[name], problems, where, path + (name,))
            elif name in attributes:
                report(f'"{name}" is an argument, not a block')
            else:
                report(f'unknown nested block "{name}"')
            continue
        nesting = spec["nesting"]
        expected_labels = 1 if nesting == "map" else 0
        for labels, block_body in static:
            if len(labels) != expected_labels:
                report(f'block "{name}" takes {expected_labels} label(s), got {len(labels)}')
            _check_body(block_body, spec["block"], problems, where, path + (name,))
        for block_body in dynamic:
            _check_body(block_body, spec["block"], problems, where, path + (name,))
        max_items = spec["max_items"] or (1 if nesting in ("single", "group") else 0)
        if max_items and len(static) > max_items:
            report(f'too many "{name}" blocks: {len(static)} (at most {max_items})')
        if not dynamic and 0 < len(static) < spec["min_items"]:
            report(f'too few "{name}" blocks: {len(static)} (at least {spec["min_items"]})')

    # Required blocks (a dynamic block may produce them: not reported).
    for name, spec in nested.items():
        if spec["min_items"] > 0 and not blocks.get(name) and not dynamic_contents.get(name):
            report(f'missing required block "{name}"')


def _check_file(relpath: str, document: dict, schema: dict, problems: list[str]) -> None:
    for key, entries in document.items():
        if key == "moved":  # a Terraform language block: exactly the arguments from and to
            for body in entries if isinstance(entries, list) else [entries]:
                arguments = sorted(k for k in body if not _is_dunder(k))
                if arguments != ["from", "to"]:
                    problems.append(f'{relpath}: moved block must have exactly the arguments "from" and "to", got {arguments}')
            continue
        if _is_dunder(key) or key in UNCHECKED_TOP_LEVEL:
            continue
        if key not in _KIND_TABLE:
            problems.append(f'{relpath}: unsupported top-level block or argument "{key}"')
            continue
        table = schema[_KIND_TABLE[key]]
        meta_blocks = RESOURCE_META_BLOCKS if key == "resource" else DATA_META_BLOCKS
        for entry in entries if isinstance(entries, list) else [entries]:
            unwrapped = _unwrap_block(entry)
            if unwrapped is None or len(unwrapped[0]) != 2:
                count = "?" if unwrapped is None else len(unwrapped[0])
                problems.append(f"{relpath}: {key} block must have 2 labels, got {count}")
                continue
            (type_name, name), body = unwrapped
            if not type_name.startswith("aws_"):
                continue  # another provider: not covered by this schema
            where = f"{relpath}: {key} {type_name}.{name}"
            block_schema = table.get(type_name)
            if block_schema is None:
                problems.append(f'{where}: unknown {_KIND_NOUN[key]} "{type_name}"')
                continue
            _check_body(
                body,
                block_schema,
                problems,
                where,
                meta_arguments=META_ARGUMENTS,
                meta_blocks=meta_blocks,
            )


def _terraform_files(root: Path) -> list[Path]:
    files = []
    for path in root.rglob("*.tf"):
        relative = path.relative_to(root)
        # skip .terraform/, .git/ and other hidden directories
        if any(part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.is_file():
            files.append(path)
    return sorted(files)


def validate_terraform_dir(root: Path) -> list[str]:
    """Validate every ``*.tf`` under ``root`` (recursively) against the
    hashicorp/aws 6.x schema.  Returns sorted problem messages; [] if valid."""
    root = Path(root)
    schema = load_schema()
    problems: list[str] = []
    for path in _terraform_files(root):
        relpath = path.relative_to(root).as_posix()
        try:
            document = parse_terraform(path.read_text(encoding="utf-8"))
        except Exception as exc:  # lark raises several unrelated exception types
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            problems.append(f"{relpath}: cannot parse: {first_line}")
            continue
        _check_file(relpath, document, schema, problems)
    return sorted(problems)
