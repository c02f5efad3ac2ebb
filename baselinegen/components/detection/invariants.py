"""Security invariants of the detective services: on where the profile says and set as it says."""

from __future__ import annotations

import re

from .security_hub import BY_ID as STANDARDS
from .central_invariants import central_problems
from .render import feature_statuses
from .schema import INSPECTOR_TYPES, RUNTIME_AGENTS, SEVERITY_FLOOR, hub_labels
from ...profile.model import Profile
from ...validate.hclcheck import module_locals, unquote
from ...validate.hclcheck import resource_bodies
from ...validate.regional_invariants import DETECTION, module_body, not_in_every_region


def _unquoted_map(value) -> dict:
    return {unquote(k): (_unquoted_map(v) if isinstance(v, dict) else unquote(v)) for k, v in (value or {}).items()}


def detection_problems(parsed, profile: Profile) -> list[str]:
    d = profile.detection
    problems = _guardduty_problems(parsed, profile) if d.guardduty.enabled else []
    problems += _security_hub_problems(parsed, profile) if d.security_hub.enabled else []
    problems += _findings_problems(parsed, profile)
    if d.inspector_resource_types:
        body = module_body(parsed, DETECTION, "aws_inspector2_enabler")
        problems += not_in_every_region([(DETECTION, "aws_inspector2_enabler", body)])
        want = [INSPECTOR_TYPES[t] for t in d.inspector_resource_types]
        got = [unquote(t) for t in body.get("resource_types", [])]
        if got != want:
            problems.append(f"modules/detection: Inspector scans {got}, the profile says {want}")
    if d.ecr_scan_on_push:
        body = module_body(parsed, DETECTION, "aws_ecr_registry_scanning_configuration")
        problems += not_in_every_region([(DETECTION, "aws_ecr_registry_scanning_configuration", body)])
        enhanced = "ecr" in d.inspector_resource_types
        rule = (body.get("rule") or [{}])[0]
        filters = [(unquote(f.get("filter")), unquote(f.get("filter_type"))) for f in rule.get("repository_filter", [])]
        if (unquote(body.get("scan_type")), unquote(rule.get("scan_frequency")), filters) != (
                "ENHANCED" if enhanced else "BASIC", "CONTINUOUS_SCAN" if enhanced else "SCAN_ON_PUSH", [("*", "WILDCARD")]):
            problems.append("modules/detection: ECR does not scan every repository's images on push")
    return problems


def _guardduty_problems(parsed, profile: Profile) -> list[str]:
    g = profile.detection.guardduty
    detector = module_body(parsed, DETECTION, "aws_guardduty_detector")
    runtime = module_body(parsed, DETECTION, "aws_guardduty_detector_feature", "runtime_monitoring")
    problems = not_in_every_region([(DETECTION, "aws_guardduty_detector", detector), (DETECTION, "aws_guardduty_detector_feature.runtime_monitoring", runtime)])
    if detector.get("enable") is not True:
        problems.append("modules/detection: the GuardDuty detector is not enabled")
    features = _unquoted_map(module_locals(parsed, DETECTION).get("guardduty_features"))
    if features != dict(feature_statuses(g)):
        problems.append(f"modules/detection: GuardDuty features {features} differ from the profile's {dict(feature_statuses(g))}")
    each = module_body(parsed, DETECTION, "aws_guardduty_detector_feature")
    if (each.get("for_each"), each.get("status")) != ("${local.guardduty_detector_features}", "${local.guardduty_features[each.value.name]}"):
        problems.append("modules/detection: GuardDuty features are not set from local.guardduty_features in every Region")
    want_runtime = ["ENABLED" if "runtime-monitoring" in g.features else "DISABLED"] + [
        "ENABLED" if name in g.runtime_agents else "DISABLED" for name in RUNTIME_AGENTS]
    got_runtime = [unquote(runtime.get("status"))] + [unquote(c.get("status")) for c in runtime.get("additional_configuration", [])]
    if got_runtime != want_runtime:
        problems.append(f"modules/detection: GuardDuty runtime monitoring is {got_runtime}, the profile says {want_runtime}")
    if g.notify_severity != "none":
        rule = module_body(parsed, DETECTION, "aws_cloudwatch_event_rule", "guardduty_findings")
        floor = re.search(r'numeric = \[">=", (\d+)\]', str(rule.get("event_pattern")))
        if not floor or int(floor.group(1)) != SEVERITY_FLOOR[g.notify_severity]:
            problems.append(f"modules/detection: GuardDuty findings do not notify from severity {g.notify_severity} ({SEVERITY_FLOOR[g.notify_severity]})")
        problems += not_in_every_region([(DETECTION, "aws_cloudwatch_event_rule.guardduty_findings", rule)])
        if not _reaches_topic(parsed, profile, "guardduty_findings_topic"):
            problems.append("modules/detection: GuardDuty findings do not reach the alarm topic")
    return problems


def _security_hub_problems(parsed, profile: Profile) -> list[str]:
    hub = profile.detection.security_hub
    account = module_body(parsed, DETECTION, "aws_securityhub_account")
    problems = not_in_every_region([(DETECTION, "aws_securityhub_account", account)])
    problems += _automation_problems(parsed, profile)
    if hub.configuration == "central":
        return problems + central_problems(parsed, profile) + _hub_notification_problems(parsed, profile)
    if account.get("enable_default_standards") is not False:
        problems.append("modules/detection: Security Hub enables its default standards")
    local = module_locals(parsed, DETECTION)
    arns = _unquoted_map(local.get("security_hub_standard_arns"))
    want = {s: f"arn:${{local.partition}}:securityhub:{'<region>' if STANDARDS[s].regional else ''}::{STANDARDS[s].path}" for s in hub.standards}
    if arns != want:
        problems.append(f"modules/detection: Security Hub standards {sorted(arns)} differ from the profile's {sorted(want)}")
    if want and module_body(parsed, DETECTION, "aws_securityhub_standards_subscription").get("for_each") != "${local.security_hub_subscriptions}":
        problems.append("modules/detection: Security Hub standards are not subscribed in every Region")
    disabled = _unquoted_map(local.get("security_hub_disabled_controls"))
    want_disabled = {f"{standard}/{c.control}": {"standard": standard, "control": c.control, "reason": c.reason}
                     for c in hub.disabled_controls for standard in c.standards}
    if disabled != want_disabled:
        problems.append(f"modules/detection: disabled Security Hub controls {sorted(disabled)} differ from the profile's {sorted(want_disabled)}")
    problems += _hub_notification_problems(parsed, profile)
    aggregator = module_body(parsed, DETECTION, "aws_securityhub_finding_aggregator")
    if bool(aggregator) != hub.aggregate_findings:
        problems.append(f"modules/detection: Security Hub findings are {'' if aggregator else 'not '}aggregated, the profile says {'' if hub.aggregate_findings else 'not '}to")
    return problems


def _hub_notification_problems(parsed, profile: Profile) -> list[str]:
    hub = profile.detection.security_hub
    rule = module_body(parsed, DETECTION, "aws_cloudwatch_event_rule", "security_hub_findings")
    if hub.notify_severity == "none":
        return ["modules/detection: Security Hub findings notify although the profile says none"] if rule else []
    labels = re.findall(r'"(LOW|MEDIUM|HIGH|CRITICAL)"', str(rule.get("event_pattern")))
    if labels != hub_labels(hub.notify_severity):
        return [f"modules/detection: Security Hub findings notify from labels {labels}, the profile says {hub_labels(hub.notify_severity)}"]
    return []


def _reaches_topic(parsed, profile: Profile, target: str) -> bool:
    """The target sends to the alarm topic; in an organisation with a security account, that account's findings topic."""
    topic = module_body(parsed, DETECTION, "aws_cloudwatch_event_target", target)
    own_topic = bool(profile.organization.accounts_with_role("security"))
    return topic.get("arn") == ("${aws_sns_topic.findings.arn}" if own_topic else "${var.alarm_topic_arn}")


def _findings_problems(parsed, profile: Profile) -> list[str]:
    """Inspector's and Access Analyzer's findings rules: in every Region, at the profile's threshold, to the topic."""
    d = profile.detection
    problems = []
    inspector = module_body(parsed, DETECTION, "aws_cloudwatch_event_rule", "inspector_findings")
    if d.inspector_resource_types and d.inspector_notify_severity != "none":
        labels = re.findall(r'"(LOW|MEDIUM|HIGH|CRITICAL)"', str(inspector.get("event_pattern")))
        if labels != hub_labels(d.inspector_notify_severity) or '"aws.inspector2"' not in str(inspector.get("event_pattern")):
            problems.append(f"modules/detection: Inspector findings notify from severities {labels}, the profile says {hub_labels(d.inspector_notify_severity)}")
        problems += not_in_every_region([(DETECTION, "aws_cloudwatch_event_rule.inspector_findings", inspector)])
        if not _reaches_topic(parsed, profile, "inspector_findings_topic"):
            problems.append("modules/detection: Inspector findings do not reach the alarm topic")
    elif inspector:
        problems.append("modules/detection: Inspector findings notify although the profile says none")
    analyzer = module_body(parsed, DETECTION, "aws_cloudwatch_event_rule", "access_analyzer_findings")
    if d.access_analyzer and d.access_analyzer_notify != "none":
        pattern = str(analyzer.get("event_pattern"))
        if '"aws.access-analyzer"' not in pattern or ("isPublic" in pattern) != (d.access_analyzer_notify == "public"):
            problems.append(f"modules/detection: Access Analyzer findings do not notify as the profile says ({d.access_analyzer_notify})")
        problems += not_in_every_region([(DETECTION, "aws_cloudwatch_event_rule.access_analyzer_findings", analyzer)])
        if not _reaches_topic(parsed, profile, "access_analyzer_findings_topic"):
            problems.append("modules/detection: Access Analyzer findings do not reach the alarm topic")
    elif analyzer:
        problems.append("modules/detection: Access Analyzer findings notify although the profile says none")
    return problems


def _automation_problems(parsed, profile: Profile) -> list[str]:
    """One automation rule per profile rule, in its order, with its reason and action."""
    want = [(f"{profile.organization.name}-{r.name}", i + 1, r.reason, "SUPPRESSED" if r.action == "suppress" else r.severity.upper())
            for i, r in enumerate(profile.detection.security_hub.automation_rules)]
    got = []
    for body in resource_bodies(parsed, DETECTION, "resource", "aws_securityhub_automation_rule").values():
        update = ((body.get("actions") or [{}])[0].get("finding_fields_update") or [{}])[0]
        action = unquote(((update.get("workflow") or [{}])[0]).get("status")) or unquote(((update.get("severity") or [{}])[0]).get("label"))
        got.append((unquote(body.get("rule_name")), body.get("rule_order"), unquote(body.get("description")), action))
    if sorted(got, key=lambda g: g[1]) != want:
        return [f"modules/detection: Security Hub automation rules {[g[0] for g in got]} differ from the profile's {[w[0] for w in want]}"]
    return []
