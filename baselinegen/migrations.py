"""``modules/<module>/migrations.tf``: the moved blocks of renamed profile items (``renamed_from``, computed by
each component's ``moves()``; a renamed account's keys in the shared roots: organization/account_renames.py) and of the template address migrations catalog (``catalog/address_migrations.py``).
The file is rendered only for modules with at least one move."""

from __future__ import annotations

import re
from itertools import groupby

from .catalog.address_migrations import MIGRATIONS
from .components.base import Component, ComponentOutput, Move
from .organization.account_renames import account_rename_moves
from .profile.model import Profile
from .render.env import RenderedFile, render_file

_RESOURCE_HEADER = re.compile(r'^resource "([^"]+)" "([^"]+)" \{', re.M)


def declared_resources(files: list[RenderedFile], module: str) -> set[str]:
    """``type.name`` of every resource the rendered module declares (the output is canonical: one header per line)."""
    prefix = f"modules/{module}/"
    return {f"{t}.{n}" for f in files if f.path.startswith(prefix) and f.path.endswith(".tf")
            for t, n in _RESOURCE_HEADER.findall(f.content)}


def template_moves(module: str, declared: set[str]) -> list[Move]:
    """The catalog's moves for one module, for the resources this render declares."""
    return [Move(m.from_address, m.to_address, f"baselinegen {m.since}: {m.why}")
            for m in MIGRATIONS if m.module == module and m.resource() in declared]


def moves_into(moves: list[Move], declared: set[str]) -> list[Move]:
    """The moves that end, directly or through a chain of renames, at a resource the module declares: a component
    with several modules (the organisation layout) gives each module its own moves. Profile order is kept."""
    targets = set(declared)
    changed = True
    while changed:
        changed = False
        for move in moves:
            if move.to_address.split("[", 1)[0] in targets and move.from_address.split("[", 1)[0] not in targets:
                targets.add(move.from_address.split("[", 1)[0])
                changed = True
    return [m for m in moves if m.to_address.split("[", 1)[0] in targets]


def migration_files(profile: Profile, outputs: list[tuple[Component, ComponentOutput]]) -> list[RenderedFile]:
    files = []
    for component, out in outputs:
        if out.module is None:
            continue
        module = out.module.name
        declared = declared_resources(out.files, module)
        renames = component.moves(profile) + account_rename_moves(profile, component.id)
        moves = moves_into(renames, declared) + template_moves(module, declared)
        if moves:
            grouped = [(why, list(group)) for why, group in groupby(moves, key=lambda m: m.why)]
            files.append(render_file("shared/migrations.tf.j2", f"modules/{module}/migrations.tf", source=profile.source, moves=grouped))
    return files
