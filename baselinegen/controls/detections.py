"""The other ways a CIS v4.0.1+ monitoring item is met, besides a metric filter and alarm: an EventBridge rule that
matches the item's events and has a target, or a GuardDuty finding type that detects the same activity and reaches the
alarm topic (the item's text asks that the activity be monitored and someone told; it names the filter as one way).

GuardDuty finding types and severities: GuardDuty user guide, "GuardDuty IAM finding types" (Policy:IAMUser/
RootCredentialUsage, severity Low), read 2026-12-05. Only findings that detect the item's whole activity are listed:
CloudTrail's Stealth:IAMUser/CloudTrailLoggingDisabled covers stopping or deleting a trail, not 4.5's other changes,
so it is not a way to meet 4.5.

Security Hub adds one honest way: it imports GuardDuty's findings (GuardDuty's severity 1.0-3.9 is Security Hub's
label LOW) and its findings rule forwards them to the alarm topic when the rule's severity labels include the
finding's, so a GuardDuty detection whose own rule's threshold is too high still reaches someone through Security Hub.
Security Hub's CloudWatch.1-14 controls add nothing: each checks that a metric filter and alarm exist for the item's
pattern (they belong to the CIS 1.2.0 / 1.4.0 standards only, not to CIS 3.0.0 or 5.0.0), which the metric-filter
verdict already judges from the Terraform itself; a failing CloudWatch.x reports the missing filter, not the activity,
so it is no monitoring of the item. Security Hub's other controls check configuration, not events."""

from __future__ import annotations

import re

from .context import Context
from .model import Verdict, covered, partial

# CIS v5.0.0 monitoring id -> (GuardDuty finding type, its severity label).
GUARDDUTY_DETECTIONS = {"4.3": ("Policy:IAMUser/RootCredentialUsage", "low")}
_SEVERITY_ORDER = ("low", "medium", "high", "critical")


def other_evidence(ctx: Context, control_id: str, events: set[str]) -> Verdict | None:
    """A verdict from an EventBridge rule or a GuardDuty detection, or None when neither meets the item."""
    told = bool(ctx.found("aws_sns_topic_subscription"))
    rules = _event_rules(ctx, events) if events else []
    if rules:
        evidence = ctx.cite(rules, "EventBridge rule on the item's events")
        return covered(evidence) if told else partial("the EventBridge rule's topic has no subscriber: add monitoring.topic.email",
                                                      evidence, "monitoring.topic.email")
    if control_id in GUARDDUTY_DETECTIONS:
        return _guardduty(ctx, *GUARDDUTY_DETECTIONS[control_id], told)
    return None


def _event_rules(ctx: Context, events: set[str]) -> list:
    targets = [str(t.body.get("rule", "")) for t in ctx.found("aws_cloudwatch_event_target")]
    return [r for r in ctx.found("aws_cloudwatch_event_rule")
            if all(re.search(rf"\b{name}\b", str(r.body.get("event_pattern", ""))) for name in events)
            and any(f"aws_cloudwatch_event_rule.{_name(r.address)}" in t for t in targets)]


def _name(address: str) -> str:
    return address.split("aws_cloudwatch_event_rule.", 1)[1].split("[", 1)[0]


def _security_hub_route(ctx: Context, severity: str) -> list:
    """Security Hub findings rules with a target whose severity labels let a finding of ``severity`` through."""
    if not ctx.found("aws_securityhub_account"):
        return []
    targets = [str(t.body.get("rule", "")) for t in ctx.found("aws_cloudwatch_event_target")]
    routes = []
    for rule in ctx.found("aws_cloudwatch_event_rule"):
        pattern = str(rule.body.get("event_pattern", ""))
        labels = re.search(r"Label\W+\[([^\]]*)\]", pattern)
        if ("aws.securityhub" in pattern and "Findings - Imported" in pattern and (labels is None or f'"{severity.upper()}"' in labels.group(1))
                and any(f"aws_cloudwatch_event_rule.{_name(rule.address)}" in t for t in targets)):
            routes.append(rule)
    return routes


def _guardduty(ctx: Context, finding: str, severity: str, told: bool) -> Verdict | None:
    detectors = ctx.found("aws_guardduty_detector")
    rules = [r for r in ctx.found("aws_cloudwatch_event_rule") if "aws.guardduty" in str(r.body.get("event_pattern", ""))]
    floor = ctx.profile.detection.guardduty.notify_severity
    held_back = floor == "none" or _SEVERITY_ORDER.index(floor) > _SEVERITY_ORDER.index(severity)
    hub = _security_hub_route(ctx, severity) if held_back else []
    if not detectors or not (rules or hub):
        return None
    evidence = ctx.cite(detectors[:1], f"GuardDuty finding {finding} ({severity} severity)")
    if hub:
        evidence += ctx.cite(hub[:1], f"Security Hub forwards GuardDuty's {severity}-severity findings to the alarm topic")
        return covered(evidence) if told else partial("the alarm topic has no subscriber, so nobody is told: add monitoring.topic.email",
                                                      evidence, "monitoring.topic.email")
    evidence += ctx.cite(rules[:1])
    if held_back:
        return partial(f"GuardDuty detects it ({finding}, {severity} severity) but only findings of {floor} severity or higher reach "
                       f"the alarm topic: set detection.guardduty.notify_severity to {severity}", evidence, "detection.guardduty.notify_severity")
    if not told:
        return partial("the alarm topic has no subscriber, so nobody is told: add monitoring.topic.email", evidence, "monitoring.topic.email")
    return covered(evidence)
