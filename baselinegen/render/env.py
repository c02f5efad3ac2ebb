"""The Jinja environment every template renders in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..profile.model import PROTECTED_TAG_KEY
from ..resources import templates_dir
from .filters import FILTERS
from .hclfmt import format_hcl


@dataclass(frozen=True)
class RenderedFile:
    """One output file, rendered in memory. ``mode``: ``managed`` (rewritten on every render) or
    ``seeded`` (written once, never overwritten)."""

    path: str  # relative, "/"-separated
    content: str
    mode: str = "managed"


@lru_cache(maxsize=1)
def environment():
    """The jinja2.Environment (jinja2 is imported on first use: a render that changes nothing renders nothing)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        auto_reload=False,  # templates are part of the installed package: no stat of the file on every use
    )
    env.filters.update(FILTERS)
    env.globals["protected_tag_key"] = PROTECTED_TAG_KEY  # the tag the IAM guardrails protect
    return env


def render_file(template: str, path: str, *, mode: str = "managed", **context) -> RenderedFile:
    """Render ``template`` to ``path``; Terraform files get the fmt pass."""
    text = environment().get_template(template).render(**context)
    if path.endswith((".tf", ".tfvars")):
        text = format_hcl(text)
    else:
        text = "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n") + "\n"
    return RenderedFile(path=path, content=text, mode=mode)
