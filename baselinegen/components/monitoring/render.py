"""Monitoring component: CIS metric filters and alarms on the trail's log group, and the alarm topic."""

from __future__ import annotations

from ..iam.break_glass import alarm as break_glass_alarm
from dataclasses import dataclass

from .alarms import alarms_for
from ...policy.document import ACCOUNT_TOKEN, Condition, PolicyDocument, Principal, Statement, arn
from ...profile.model import Profile
from ..base import Control

MODULE = "monitoring"
PUBLISHERS = ("cloudwatch.amazonaws.com", "events.amazonaws.com")
ALARM_TYPES = ("aws_cloudwatch_log_metric_filter", "aws_cloudwatch_metric_alarm")  # for_each over local.alarms, keyed by alarm id
# Security Hub's CIS standards evaluate the metric-filter controls for 1.2.0 and 1.4.0 only (benchmark -> the
# CloudWatch controls its standard skips); cis-3.0 and cis-5.0 have no Security Hub metric-filter control.
SECURITY_HUB_SKIPPED = {"cis-1.2": (), "cis-1.4": ("CloudWatch.2", "CloudWatch.3")}
BENCHMARK_TITLES = {"cis-1.2": "CIS 1.2.0", "cis-1.4": "CIS 1.4.0", "cis-3.0": "CIS 3.0.0", "cis-5.0": "CIS 5.0.0"}

OUTPUTS = (
    ("monitoring_topic_arn", "ARN of the SNS topic every alarm and finding notification goes to."),
    ("monitoring_alarm_names", "Name of every CloudWatch alarm, by alarm id."),
)


@dataclass(frozen=True)
class RenderedAlarm:
    id: str
    metric_name: str
    title: str
    description: str
    pattern: str
    threshold: int = 1
    period: int = 300
    cis: str = ""  # CIS control id under the profile's benchmark, "" for none
    pattern_source: str = ""


def topic_arn(profile: Profile) -> str:
    return arn("sns", profile.monitoring.topic_name, region=profile.organization.home_region)


def rendered_alarms(profile: Profile) -> list[RenderedAlarm]:
    """The alarms the profile asks for, in catalog order, then the custom ones."""
    m = profile.monitoring
    if not m.alarms_enabled:
        return []
    out = []
    for spec in alarms_for(m.benchmark, m.exclude):
        cis = spec.cis_id(m.benchmark) or ""
        refs = [f"{BENCHMARK_TITLES[m.benchmark]} {cis}"] if cis else []
        if spec.security_hub and m.benchmark in SECURITY_HUB_SKIPPED and spec.security_hub not in SECURITY_HUB_SKIPPED[m.benchmark]:
            refs.append(f"Security Hub {spec.security_hub}")
        suffix = f" ({'; '.join(refs)})" if refs else ""
        out.append(RenderedAlarm(spec.id, spec.metric_name, spec.title, spec.description + suffix, spec.pattern(m.benchmark),
                                 cis=cis, pattern_source=spec.pattern_source(m.benchmark)))
    for c in m.custom:
        out.append(RenderedAlarm(c.id, c.metric_name, _first_sentence(c.description), c.description, c.pattern, c.threshold, c.period,
                                 pattern_source="the profile (custom alarm)"))
    glass = break_glass_alarm(profile)  # iam.break_glass (identity-center): every console sign-in of those users
    if glass is not None:
        alarm_id, metric, title, pattern = glass
        out.append(RenderedAlarm(alarm_id, metric, title, title + ": check who and why (iam.break_glass)", pattern,
                                 pattern_source="iam.break_glass"))
    return out


def _first_sentence(text: str, limit: int = 100) -> str:
    sentence = text.split(". ", 1)[0].rstrip(".")
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def topic_policy(profile: Profile) -> PolicyDocument:
    topic = topic_arn(profile)
    account = Condition("StringEquals", "aws:SourceAccount", (ACCOUNT_TOKEN,))
    return PolicyDocument(
        name="topic", description="Only CloudWatch alarms and EventBridge rules of this account may publish.",
        statements=(
            Statement("CloudWatchAlarmsPublish", actions=("sns:Publish",), resources=(topic,),
                      principals=(Principal("Service", ("cloudwatch.amazonaws.com",)),),
                      conditions=(account, Condition("ArnLike", "aws:SourceArn", (arn("cloudwatch", "alarm:*", region="*"),)))),
            Statement("EventBridgeRulesPublish", actions=("sns:Publish",), resources=(topic,),
                      principals=(Principal("Service", ("events.amazonaws.com",)),),
                      conditions=(account, Condition("ArnLike", "aws:SourceArn", (arn("events", "rule/*", region="*"),)))),
            Statement("DenyPublishFromAnyoneElse", effect="Deny", actions=("sns:Publish",), resources=(topic,),
                      principals=(Principal("*", ("*",)),),
                      conditions=(Condition("StringNotEquals", "aws:PrincipalServiceName", PUBLISHERS),)),
        ),
    )


def _controls(profile: Profile, alarms: list[RenderedAlarm]) -> list[Control]:
    m = profile.monitoring
    cis_ids = {"cis-1.2": "3.x", "cis-1.4": "4.x", "cis-3.0": "4.x", "cis-5.0": "4.x"}
    rows = [Control(f"Alarm `{a.id}`", f"{a.title}; pattern: {a.pattern_source}", ((m.benchmark, a.cis),) if a.cis else ())
            for a in alarms]
    subscribers = f"{len(m.email_subscribers)} e-mail subscriber{'s' if len(m.email_subscribers) != 1 else ''}"
    rows.append(Control("Alarm notifications", f"SNS topic `{m.topic_name}`, KMS-encrypted with `{m.topic_kms_key}`, {subscribers}; only CloudWatch and EventBridge of this account may publish",
                        ((m.benchmark, cis_ids[m.benchmark]),) if alarms else ()))
    return rows
