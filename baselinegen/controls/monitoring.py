"""CIS monitoring controls: a metric filter with the benchmark's pattern on the trail's log group, an alarm on its
metric that notifies a topic, and someone subscribed to that topic."""

from __future__ import annotations

import re
from dataclasses import replace

from ..components.monitoring.alarms import CATALOG, AlarmSpec
from .context import Context
from .detections import other_evidence
from .model import COVERED, Verdict, covered, off, partial
from .rendered import Found, literal

SECURITY_HUB_EXACT = ("cis-1.2", "cis-1.4")  # Security Hub compares these benchmarks' strings byte for byte
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\s+|[^"\s]+')
_PLAIN = re.compile(r'"([\w.*:@/-]+)"')
_EVENT_NAME = re.compile(r'\$\.eventName\s*=\s*"?(\w+)"?')


def spelling(pattern: str) -> str:
    """A pattern without the differences CloudWatch ignores: blanks outside strings, quotes around plain words."""
    tokens = [t for t in _TOKEN.findall(pattern) if not t.isspace()]
    return _PLAIN.sub(r"\1", "".join(tokens))


def _matches(ctx: Context, rendered, wanted: str) -> bool:
    if not isinstance(rendered, str):
        return False
    return rendered == wanted if ctx.benchmark in SECURITY_HUB_EXACT else spelling(rendered) == spelling(wanted)


def specs_for(control_id: str, benchmark: str) -> list[AlarmSpec]:
    """The catalog alarms a benchmark renders for this control (route tables: two under cis-1.2 and cis-1.4)."""
    return [s for s in CATALOG if s.cis_id(benchmark) == control_id and benchmark in s.default_in]


TEXT_JUDGED_FROM_V4 = ("cis-5.0",)  # v4.0.1 and later: monitoring is met by a filter, an EventBridge rule or a detection


def event_names(pattern: str) -> set[str]:
    """The ``$.eventName = X`` names a pattern asks for."""
    return set(_EVENT_NAME.findall(pattern))


def alarm_verdict_any(ctx: Context, control_id: str) -> Verdict:
    """From v4.0.1 on (judged here for v5.0.0, and through it v6.0.0/v7.0.0) a monitoring item is met by a metric
    filter and alarm, or by an EventBridge rule on the same events with a target, or by a GuardDuty detection that
    reaches the alarm topic (controls/detections.py); earlier versions only by the filter."""
    verdict = alarm_verdict(ctx, control_id)
    if ctx.benchmark not in TEXT_JUDGED_FROM_V4 or verdict.status == COVERED:
        return verdict
    wanted = [s.pattern(ctx.benchmark) for s in specs_for(control_id, ctx.benchmark)]
    other = other_evidence(ctx, control_id, set().union(*map(event_names, wanted)) if wanted else set())
    if other is None or other.status == COVERED:
        return other or verdict
    return replace(verdict, detail=f"{verdict.detail}; or: {other.detail}", evidence=verdict.evidence + other.evidence)


def alarm_verdict(ctx: Context, control_id: str) -> Verdict:
    specs = specs_for(control_id, ctx.benchmark)
    filters = ctx.found("aws_cloudwatch_log_metric_filter")
    alarms = {f.address.replace("aws_cloudwatch_log_metric_filter", "aws_cloudwatch_metric_alarm", 1): f
              for f in ctx.found("aws_cloudwatch_metric_alarm")}
    exact, other_form, missing = [], [], []
    for spec in specs:
        wanted = spec.pattern(ctx.benchmark)
        hits = [f for f in filters if _matches(ctx, literal(f.body, "pattern"), wanted)]
        variants = {s.pattern(b) for s in CATALOG if s.cis_id(ctx.benchmark) == control_id for b in s.default_in} - {wanted}
        near = [f for f in filters if f not in hits and literal(f.body, "pattern") in variants]
        if ctx.benchmark not in SECURITY_HUB_EXACT:  # judged by the benchmark's text: every form with its events matches
            asked = event_names(wanted)
            hits, near = hits + [f for f in near if event_names(literal(f.body, "pattern")) >= asked], \
                [f for f in near if not event_names(literal(f.body, "pattern")) >= asked]
        if hits:
            exact += hits
        elif near:
            other_form.append((spec, near))
        else:
            missing.append(spec)
    if not exact and not other_form:
        return _absent(ctx, specs)
    paired = [(f, alarms.get(f.address.replace("aws_cloudwatch_log_metric_filter", "aws_cloudwatch_metric_alarm", 1))) for f in exact]
    evidence = ctx.cite([f for f, _ in paired]) + ctx.cite([a for _, a in paired if a is not None])
    gaps = [f"no alarm on the metric of {f.address}" for f, a in paired if a is None]
    gaps += [f"{a.address} notifies nobody (no alarm_actions)" for _, a in paired if a is not None and not a.body.get("alarm_actions")]
    for spec, near in other_form:
        evidence += ctx.cite(near, "another benchmark's form of the pattern")
        gaps.append(_form_gap(ctx, spec))
    for spec in missing:
        gaps.append(_missing_gap(ctx, spec))
    if not ctx.found("aws_sns_topic_subscription"):
        return partial("the alarm topic has no subscriber, so nobody is told: add monitoring.topic.email", evidence, "monitoring.topic.email")
    if gaps:
        return partial("; ".join(gaps), evidence, "monitoring.alarms.benchmark" if other_form else "")
    return covered(evidence)


def _form_gap(ctx: Context, spec: AlarmSpec) -> str:
    exact = " (Security Hub compares the string exactly)" if ctx.benchmark in SECURITY_HUB_EXACT else ""
    return (f"alarm `{spec.id}` uses the pattern of monitoring.alarms.benchmark `{ctx.profile.monitoring.benchmark}`, not the "
            f"{ctx.benchmark} one{exact}: set monitoring.alarms.benchmark to {ctx.benchmark}")


def _missing_gap(ctx: Context, spec: AlarmSpec) -> str:
    if spec.id in ctx.profile.monitoring.exclude:
        return f"alarm `{spec.id}` is excluded (monitoring.alarms.exclude)"
    return f"no metric filter with the pattern of alarm `{spec.id}`"


def _absent(ctx: Context, specs: list[AlarmSpec]) -> Verdict:
    m = ctx.profile.monitoring
    if not ctx.profile.cloudtrail.enabled:
        return off("logging.cloudtrail.enabled", "no trail, so no log group to filter: turn the trail on")
    if not m.alarms_enabled:
        return off("monitoring.alarms.enabled", "the CIS alarms are turned off: set monitoring.alarms.enabled: true")
    excluded = [s.id for s in specs if s.id in m.exclude]
    if excluded:
        return off("monitoring.alarms.exclude", f"alarm {', '.join(f'`{i}`' for i in excluded)} is excluded: remove it from monitoring.alarms.exclude")
    return partial("no metric filter with this control's pattern on the trail's log group")


def root_alarm(ctx: Context) -> list[Found]:
    """The root-usage metric filters (detective evidence for the root-user controls)."""
    patterns = {s.pattern(b) for s in CATALOG if s.id == "root-usage" for b in s.default_in}
    return ctx.found("aws_cloudwatch_log_metric_filter", lambda b: literal(b, "pattern") in patterns)
