"""Which controls of a CIS AWS Foundations Benchmark the rendered baseline covers, judged from the rendered
Terraform itself (never from a hand-kept list of what a profile turns on).

    report = assess(profile, parsed, "cis-1.4")   # parsed: path -> python-hcl2 document of every .tf file
    text = format_report(report, "text" | "markdown" | "json")
"""

from __future__ import annotations

from dataclasses import replace

from ..deviations import deviations, words
from ..profile.model import Profile
from .catalog import CONTROL_BENCHMARKS, FULL_TITLES, BENCHMARKS, controls_of
from .context import Context
from .control_tower import relying
from .model import LABELS, STATUSES, ControlResult, ControlsReport, Verdict
from .report import format_report, markdown_table, summary_line
from .rendered import RenderedTree

__all__ = ["BENCHMARKS", "CONTROL_BENCHMARKS", "FULL_TITLES", "ControlResult", "ControlsReport", "LABELS", "STATUSES", "Verdict",
           "assess", "format_report", "markdown_table", "summary_line"]


def assess(profile: Profile, parsed: dict[str, dict], benchmark: str) -> ControlsReport:
    """The verdict on every control of ``benchmark`` for this rendered tree."""
    ctx = Context(RenderedTree(parsed), profile, benchmark)
    results = tuple(ControlResult(cid, control.title, relying(ctx, control, control.check(ctx, cid)),
                                  tuple(i for i in control.ids if i[0] != benchmark))
                    for cid, control in controls_of(benchmark))
    results = accepted_controls(results, deviations(profile.raw))  # exceptions naming a control: "accepted deviation"
    return ControlsReport(benchmark, FULL_TITLES[benchmark], profile.source, results)


def accepted_controls(results: tuple[ControlResult, ...], found) -> tuple[ControlResult, ...]:
    """Controls an exception names keep their verdict; their detail says "accepted deviation", why,
    by whom and until when."""
    named = {d.check: d for d in found if d.kind == "control"}
    if not named:
        return results
    return tuple(replace(r, verdict=replace(r.verdict, detail="; ".join(filter(None, (r.verdict.detail, words(named[r.id]))))))
                 if r.id in named else r for r in results)
