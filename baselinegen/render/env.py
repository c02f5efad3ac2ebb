"""The Jinja environment every template renders in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..profile.model import PROTECTED_TAG_KEY
from ..resources import templates_dir
from . import template_cache
from .filters import FILTERS
from .hclfmt import format_hcl


@dataclass(frozen=True)
class RenderedFile:
    """One output file, rendered in memory. ``mode``: ``managed`` (rewritten on every render) or
    ``starter`` (written once, never overwritten)."""

    path: str  # relative, "/"-separated
    content: str
    mode: str = "managed"


# Options that shape the compiled templates (template_cache keys its folder on them).
TEMPLATE_OPTIONS = {"keep_trailing_newline": True, "trim_blocks": True, "lstrip_blocks": True, "autoescape": False}


@lru_cache(maxsize=1)
def environment():
    """The jinja2.Environment (jinja2 is imported on first use: a render that changes nothing renders nothing).
    Compiled templates are kept in the package's ``__pycache__`` (see template_cache)."""
    return build_environment(template_cache.bytecode_cache(template_cache.cache_folder(TEMPLATE_OPTIONS)))


def build_environment(bytecode_cache=None):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates are part of the installed package: no stat of the file on every use
        bytecode_cache=bytecode_cache,
        **TEMPLATE_OPTIONS,
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
