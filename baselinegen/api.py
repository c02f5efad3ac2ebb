"""The public API: load and validate a profile, render it in memory, render/check/diff an output folder, judge
controls. A thin surface over ``pipeline`` (in memory) and ``regenerate`` (the output folder)."""

from __future__ import annotations

from .pipeline import (  # noqa: F401
    FATAL_CODES, MANUAL_CHECKLIST, LoadResult, RenderResult, check_profile, controls, controls_report, load_profile,
    render_problems, render_tree, verify, verify_beside,
)
from .regenerate import Plan, check, diff, plan_render, render  # noqa: F401

__all__ = ["LoadResult", "Plan", "RenderResult", "check", "check_profile", "controls", "controls_report", "diff",
           "load_profile", "plan_render", "render", "render_problems", "render_tree", "verify", "verify_beside"]
