"""The review's lines about where each root keeps its state: a changed ``backend.tf`` is a state migration the
operator carries out (Terraform refuses to plan a root whose backend changed until ``terraform init`` says how)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from ...review.model import Change

_BACKEND = re.compile(r'^\s*backend\s+"(\w+)"\s*\{', re.M)
_ARGUMENT = re.compile(r'^\s*(bucket|key|region|kms_key_id)\s*=\s*"([^"]*)"\s*$', re.M)


def backend_of(text: str | None) -> dict | None:
    """The S3 backend a backend.tf configures ({} for another backend or none: local state); None: no such file."""
    if text is None:
        return None
    live = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    found = _BACKEND.search(live)
    if not found or found.group(1) != "s3":
        return {}
    return dict(_ARGUMENT.findall(live[found.end():]))


def _where(backend: dict) -> str:
    if not backend:
        return "a local terraform.tfstate"
    return f"s3://{backend.get('bucket', '?')}/{backend.get('key', '?')} ({backend.get('region', '?')})"


def state_changes(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[Change, ...]:
    """One line per distinct move, naming the roots it applies to (in path order)."""
    moves: dict[str, list[str]] = {}
    for path in sorted(p for p in set(old) & set(new) if posixpath.basename(p) == "backend.tf"):
        before, after = backend_of(old[path]), backend_of(new[path])
        if before == after:
            continue
        root = posixpath.dirname(path) or "."
        if before and after and {k: v for k, v in before.items() if k != "kms_key_id"} == \
                {k: v for k, v in after.items() if k != "kms_key_id"}:
            text = (f"state: encrypted with `{after.get('kms_key_id', 'the bucket default')}` instead of "
                    f"`{before.get('kms_key_id', 'the bucket default')}` from its next write; run `terraform init "
                    f"-reconfigure` in {{roots}} before the next plan")
        else:
            text = (f"state moves from {_where(before)} to {_where(after)}: a state migration you carry out, "
                    f"`terraform init -migrate-state` (answer yes) in {{roots}} before the next plan; until then Terraform "
                    "refuses to plan there")
        moves.setdefault(text, []).append(root)
    changes = []
    for text, roots in moves.items():
        named = ", ".join(f"`{r}`" for r in roots)
        changes.append(Change("state", "changed", text.replace("{roots}", named), tuple(f"{r}/backend.tf" for r in roots)))
    return tuple(changes)
