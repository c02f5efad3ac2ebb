"""``imports.tf`` of a root configuration: ``import`` blocks that adopt existing resources instead of creating them
(Terraform >= 1.5). Two sources: what a module declares (``ComponentOutput.imports``, imported by each root that
calls the module: the organisation, by the management root) and the account's ``adopt`` entries (profile/adopt.py:
per root, the account's own ids and Regions).

An import block of a resource already in the state does nothing, so the file stays after the first apply."""

from __future__ import annotations

from dataclasses import dataclass

from ..components.base import Import
from ..profile.adopt import ACCOUNT_ID, PARTS, Part
from ..render.env import RenderedFile, render_file

FILE = "imports.tf"


def root_imports(modules: tuple[dict, ...]) -> tuple[Import, ...]:
    """The import blocks of a root that calls ``modules`` (module entries of organization.layout), addressed from
    the root, in module order."""
    return tuple(Import(f"module.{m['name']}.{i.to}", i.id, i.why) for m in modules for i in m.get("imports", ()))


@dataclass(frozen=True)
class Adopted:
    part: Part
    regions: tuple[str, ...]  # sorted; () for a global part


def adopted(items, regions: tuple[str, ...]) -> tuple[Adopted, ...]:
    """``entries`` as Adopted parts, in profile order."""
    out = []
    for name, wanted in items:
        part = PARTS[name]
        out.append(Adopted(part, tuple(sorted(wanted or regions)) if part.regional else ()))
    return tuple(out)


def adopt_imports(items, regions: tuple[str, ...], organization: bool, account_id: str | None) -> tuple[Import, ...]:
    """The import blocks of one root, addressed from the root. ``account_id`` None: the caller's account
    (``data.aws_caller_identity.adopt``, read at plan time)."""
    out = []
    caller = "data.aws_caller_identity.adopt.account_id"
    for item in adopted(items, regions):
        part = item.part
        for region in item.regions or ("",):
            why = f"adopt: {part.name}" + (f" in {region}" if region else "") + f": the existing {part.what} is imported, not created"
            suffix = f"@{region}" if region else ""
            for address, id_ in part.resources:
                base = f"module.{part.module[1 if organization else 0]}.{address}"
                to = f'{base}["{region}"]' if region else base
                if id_ != ACCOUNT_ID:
                    out.append(Import(to, id_ + suffix, why))
                elif account_id:
                    out.append(Import(to, account_id + suffix, why))
                else:
                    out.append(Import(to, f'"${{{caller}}}{suffix}"' if suffix else caller, why, expression=True))
    return tuple(out)


def imports_file(folder: str, imports: tuple[Import, ...], common: dict) -> RenderedFile:
    """``<folder>/imports.tf`` (``folder`` "" for the single-account root)."""
    return render_file("root/imports.tf.j2", f"{folder}/{FILE}" if folder else FILE, imports=imports, **common)
