"""References in the values of a parsed module (replacements.py resolves them, unchanged_blocks.py follows them):
a resource's or data source's attribute, ``each.key``/``each.value``, a local, a variable, a module's output."""

from __future__ import annotations

import re

REFERENCE = re.compile(r"(?<![\w.])(?:(?P<res>(?:data\.)?aws_[a-z0-9_]+\.[\w-]+)(?:\[(?P<index>[^\[\]]+)\])?\.(?P<attr>\w+)"
                       r"|each\.(?P<each>key|value(?:\.\w+)?)|local\.(?P<local>\w+)|var\.(?P<var>\w+)"
                       r"|module\.(?P<module>[\w-]+)\.(?P<output>\w+))")


def calling_module(prefix: str) -> str:
    """The module instance that calls ``prefix`` (``module.a.module.b`` -> ``module.a``, ``accounts/x:module.a`` ->
    ``accounts/x:``)."""
    if ".module." in prefix:
        return prefix.rsplit(".module.", 1)[0]
    root, sep, _ = prefix.partition(":") if ":" in prefix else ("", "", prefix)
    return root + sep
