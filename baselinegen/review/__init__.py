"""What a regeneration changes, for a reviewer: a resource-level security summary, what Terraform will
destroy, the moves that prevent destroys, and the unified file diffs.

    review = build_review(old, new)   # relative path -> text: the files on disk now, what a render writes
    text = format_review(review, "text" | "markdown" | "json")
"""

from __future__ import annotations

from .model import Change, FileDiff, Replacement, Review

__all__ = ["build_review", "destroyed_between", "format_review", "Review", "Change", "FileDiff", "Replacement"]

_ENGINE = {"build_review": "build", "destroyed_between": "build", "account_roots": "build", "format_review": "formats"}


def __getattr__(name: str):
    """The engine is imported when it is first asked for: a render imports ``review.tree`` alone (its destroy check)
    without the rules, the formats and the components' review modules."""
    if name in _ENGINE:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_ENGINE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
