"""A controls report as text (a terminal), Markdown (the generated README, a pull request) or JSON (tools)."""

from __future__ import annotations

import json

from .model import LABELS, STATUSES, ControlsReport, Verdict

SHOWN_EVIDENCE = 8  # text and Markdown list this many addresses per control, then count the rest (JSON lists all)
_MD_ICONS = {"covered": "✅", "relies on Control Tower": "🗼", "partial": "⚠️", "off": "⛔", "manual": "✋", "not applicable": "➖"}


def summary_line(report: ControlsReport) -> str:
    counts = report.counts()
    parts = ", ".join(f"{counts[s]} {LABELS[s]}" for s in STATUSES if counts.get(s))
    return f"{report.title}: {len(report.results)} controls: {parts}"


def _evidence(verdict: Verdict) -> list[str]:
    shown = list(verdict.evidence[:SHOWN_EVIDENCE])
    rest = len(verdict.evidence) - len(shown)
    return shown + ([f"... and {rest} more"] if rest > 0 else [])


def _explanation(verdict: Verdict) -> str:
    if verdict.status == "off":
        return f"turned off by `{verdict.key}`: {verdict.detail}"
    return verdict.detail


def _text(report: ControlsReport) -> str:
    width = max(len(r.id) for r in report.results)
    lines = [f"{report.profile}: {summary_line(report)}", ""]
    for r in report.results:
        lines.append(f"{r.id:<{width}}  {LABELS[r.verdict.status]:<14}  {r.title}")
        pad = " " * (width + 18)
        if r.verdict.detail:
            lines.append(pad + _explanation(r.verdict).replace("`", ""))
        lines += [pad + "- " + e for e in _evidence(r.verdict)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(report: ControlsReport) -> str:
    """The verdict table (also embedded in the generated README)."""
    rows = ["| CIS | Control | Verdict | Evidence and gaps |", "|---|---|---|---|"]
    for r in report.results:
        v = r.verdict
        parts = ([_cell(_explanation(v))] if v.detail else []) + [_code_first(e) for e in _evidence(v)]
        rows.append(f"| {r.id} | {_cell(r.title)} | {_MD_ICONS[v.status]} {LABELS[v.status]} | {'<br>'.join(parts) or '—'} |")
    return "\n".join(rows) + "\n"


def _code_first(evidence: str) -> str:
    """An address in code format, the words after it (accounts, what it is) as text."""
    if not evidence.startswith("module."):
        return _cell(evidence)
    address, sep, rest = evidence.partition(" (") if " (" in evidence.split(":", 1)[0] else evidence.partition(": ")
    return f"`{_cell(address)}`" + (_cell((" (" if sep == " (" else ": ") + rest) if sep else "")


def _markdown(report: ControlsReport) -> str:
    return f"### {report.title}: `{report.profile}`\n\n{summary_line(report)}.\n\n{markdown_table(report)}"


def _json(report: ControlsReport) -> str:
    return json.dumps({
        "profile": report.profile, "benchmark": report.benchmark, "title": report.title, "counts": report.counts(),
        "controls": [{"id": r.id, "title": r.title, "verdict": r.verdict.status, "detail": r.verdict.detail,
                      "key": r.verdict.key or None, "evidence": list(r.verdict.evidence), "other_versions": dict(r.other_ids)}
                     for r in report.results],
    }, indent=2, ensure_ascii=False) + "\n"


def format_report(report: ControlsReport, fmt: str) -> str:
    formats = {"text": _text, "markdown": _markdown, "json": _json}
    if fmt not in formats:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(formats)}")
    return formats[fmt](report)
