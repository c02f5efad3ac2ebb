"""Invariants of the moved blocks (``modules/<module>/migrations.tf``): each moves a resource that the module no
longer declares to one it declares (directly, or through a chain of moves), one move per address, no cycles."""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict

from ..catalog.address_migrations import ADDRESS_RE
from .hclcheck import blocks, documents_in, module_locals

def _address(value) -> str | None:
    """``aws_x.y`` or ``aws_x.y["k"]`` from the parsed ``${...}`` form; None when it is anything else."""
    if isinstance(value, str) and value.startswith("${") and value.endswith("}") and ADDRESS_RE.match(value[2:-1]):
        return value[2:-1]
    return None


def _split(address: str) -> tuple[str, str | None]:
    match = ADDRESS_RE.match(address)
    key = match["key"]
    return f"{match['type']}.{match['name']}", (json.loads(f'"{key}"') if key is not None else None)


def _literal_keys(body: dict, local_values: dict) -> set[str] | None:
    """The for_each keys when the module writes them out (a map, or a local holding one); None when computed."""
    for_each = body.get("for_each")
    if isinstance(for_each, str) and for_each.startswith("${local.") and for_each.endswith("}"):
        for_each = local_values.get(for_each[len("${local."):-1])
    if isinstance(for_each, dict):
        return {json.loads(k) if k.startswith('"') else k for k in for_each if not k.startswith("__")}
    return None


def _module_problems(directory: str, docs: list[tuple[str, dict]], local_values: dict) -> list[str]:
    declared = {f"{t}.{n}": body for _, doc in docs for t, n, body in blocks(doc, "resource")}
    moves: list[tuple[str, str, str]] = []
    problems = []
    for path, doc in docs:
        for block in doc.get("moved", []):
            source, target = _address(block.get("from")), _address(block.get("to"))
            if source is None or target is None:
                problems.append(f"{path}: moved block {block.get('from')!r} -> {block.get('to')!r} is not from one resource address to another")
            elif source.split(".")[0] != target.split(".")[0]:
                problems.append(f"{path}: moved block {source} -> {target} changes the resource type")
            else:
                moves.append((path, source, target))
    sources = {source: target for _, source, target in moves}
    for what, index in (("from", 1), ("to", 2)):
        seen = defaultdict(int)
        for move in moves:
            seen[move[index]] += 1
        problems += [f"{directory}: {count} moved blocks {what} {address}" for address, count in sorted(seen.items()) if count > 1]
    for path, source, target in moves:
        resource, key = _split(source)
        if resource in declared and (key is None or key in (_literal_keys(declared[resource], local_values) or ())):
            problems.append(f"{path}: moved block from {source}, which the module still declares")
        end, hops = target, 0
        while end in sources and hops <= len(moves):
            end, hops = sources[end], hops + 1
        if hops > len(moves):
            problems.append(f"{path}: moved block {source} -> {target} is part of a cycle")
            continue
        resource, key = _split(end)
        keys = _literal_keys(declared.get(resource, {}), local_values)
        if resource not in declared:
            problems.append(f"{path}: moved block {source} -> {target}: {resource} is not declared in {directory}")
        elif key is not None and ("for_each" not in declared[resource] or (keys is not None and key not in keys)):
            problems.append(f"{path}: moved block {source} -> {target}: {end} is not an instance the module declares")
    return problems


def migration_problems(parsed: dict[str, dict]) -> list[str]:
    problems = []
    for directory in sorted({posixpath.dirname(path) for path, doc in parsed.items() if doc.get("moved")}):
        docs = sorted(documents_in(parsed, directory), key=lambda entry: entry[0])
        problems += _module_problems(directory, docs, module_locals(parsed, directory))
    return problems
