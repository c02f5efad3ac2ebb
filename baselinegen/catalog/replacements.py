"""Which arguments of a resource the aws provider cannot update in place (a change replaces the resource).

The table is data: ``replace_on_change.json`` next to this module, one row per resource type the templates render,
each with where it was read (the provider's Go schema and its commit). The review (``review/replacements.py``) and
the stand-in provider of the tests (``tests/tfprovider/planning.py``) read the same file.

    arguments("aws_iam_policy")      # ("description", "name", "name_prefix", "path", "region")
    covered("aws_iam_policy")        # True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("replace_on_change.json")


@dataclass(frozen=True)
class Row:
    """One resource type: the arguments whose change replaces it (``block.argument`` for a nested block's argument,
    a block name alone for any change inside it), and where that was read."""

    type: str
    arguments: tuple[str, ...]
    source: str


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(TABLE_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def rows() -> dict[str, Row]:
    """Every row of the table, by resource type."""
    return {name: Row(name, tuple(entry["arguments"]), entry["source"]) for name, entry in sorted(_data()["types"].items())}


def region_arguments() -> tuple[str, ...]:
    """The arguments that replace any Region-aware resource (``region``): they apply to every type that has them."""
    return tuple(_data()["every_region_aware_type"]["arguments"])


def covered(type_: str) -> bool:
    return type_ in rows()


def arguments(type_: str) -> tuple[str, ...]:
    """The replace-on-change arguments of ``type_`` (its row and ``region``); only ``region`` for a type the table
    does not cover (the coverage test keeps that from happening to a rendered type)."""
    row = rows().get(type_)
    return (row.arguments if row is not None else ()) + region_arguments()
