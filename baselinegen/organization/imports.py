"""``imports.tf`` of a root configuration: ``import`` blocks that adopt existing resources instead of creating them
(Terraform >= 1.5). Each entry is (to, id, why). Today: the organisation, imported by the management root
(governance module). The place to add more (e.g. parts of an account that already exist): every entry a module
declares (``ComponentOutput.imports``) is imported by each root that calls that module.

An import block of a resource already in the state does nothing, so the file stays after the first apply.
"""

from __future__ import annotations

from ..components.base import Import
from ..render.env import RenderedFile, render_file

FILE = "imports.tf"


def root_imports(modules: tuple[dict, ...]) -> tuple[Import, ...]:
    """The import blocks of a root that calls ``modules`` (module entries of organization.layout), addressed from
    the root, in module order."""
    return tuple(Import(f"module.{m['name']}.{i.to}", i.id, i.why) for m in modules for i in m.get("imports", ()))


def imports_file(folder: str, imports: tuple[Import, ...], common: dict) -> RenderedFile:
    """``<folder>/imports.tf`` (``folder`` "" for the single-account root)."""
    return render_file("root/imports.tf.j2", f"{folder}/{FILE}" if folder else FILE, imports=imports, **common)
