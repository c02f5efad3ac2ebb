"""What Terraform will destroy: resources of the old tree the new one no longer declares, after ``moved``.

The new tree's ``moved`` blocks carry old addresses over (a whole resource, a single instance or a whole
module). Keys are compared where both trees' keys are known statically; otherwise the resource as a whole.
Data sources are never destroyed.
"""

from __future__ import annotations

import dataclasses
import re

from .tree import Block, Tree, join

_ADDRESS = re.compile(r"^(?:(?P<module>.*)\.)?(?P<type>[a-z][a-z0-9_]*)\.(?P<name>[A-Za-z_][\w-]*)$")


def apply_moves(address: str, moves: list[tuple[str, str]]) -> str:
    """Where ``address`` lives after every applicable move (chains followed)."""
    for _ in range(len(moves) + 1):
        for source, target in moves:
            if address == source:
                address = target
                break
            if address.startswith((source + "[", source + ".")):
                address = target + address[len(source):]
                break
        else:
            return address
    return address


def applicable_moves(old: Tree, moves: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The moves that carry something of the old tree (sorted, without duplicates)."""
    addresses = set()
    for block in old.blocks.values():
        if block.mode == "resource":
            addresses.add(block.address)
            addresses.update(block.instance_addresses() or ())
    found = set()
    for source, target in moves:
        if source != target and any(a == source or a.startswith((source + "[", source + ".")) for a in addresses):
            found.add((source, target))
    return tuple(sorted(found))


def normalized(old: Tree, moves: list[tuple[str, str]]) -> Tree:
    """The old tree with every resource under the address the moves give it, to compare with the new tree."""
    if not moves:
        return old
    out = dataclasses.replace(old, blocks={})
    for address, block in old.blocks.items():
        target = apply_moves(address, moves) if block.mode == "resource" else address
        relocated = _relocated(block, target) if target != address else None
        if relocated is not None:
            out.blocks[target] = relocated
        else:
            out.blocks[address] = block
    return out


def _relocated(block: Block, target: str) -> Block | None:
    root, sep, rest = target.rpartition(":") if ":" in target else ("", "", target)
    match = _ADDRESS.match(rest)
    if not match or match.group("type") != block.type:
        return None
    module = (root + sep) if sep else ""
    module = join(module, match.group("module")) if match.group("module") else module
    return dataclasses.replace(block, module=module, name=match.group("name"))


def destroyed(old: Tree, new: Tree, moves: list[tuple[str, str]]) -> tuple[str, ...]:
    """Old resource addresses (instance level where known) that nothing in the new tree carries on."""
    new_instances = set()
    for block in new.blocks.values():
        if block.mode == "resource":
            new_instances.update(block.instance_addresses() or ())
    out = []
    for address, block in sorted(old.blocks.items()):
        if block.mode != "resource":
            continue
        target = new.blocks.get(apply_moves(address, moves))
        if block.instances.kind == "unknown" or (target is not None and target.instances.kind == "unknown"):
            if target is None:
                out.append(address)  # keys unknown: the resource as a whole
            continue
        out += [i for i in block.instance_addresses() if apply_moves(i, moves) not in new_instances]
    return tuple(sorted(set(out)))
