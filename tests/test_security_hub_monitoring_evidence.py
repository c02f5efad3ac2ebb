"""CIS v4.0.1+ monitoring items met through Security Hub (controls/detections.py): Security Hub's findings rule
forwards GuardDuty's root-credential finding when its severity labels include LOW, even where GuardDuty's own rule's
threshold holds the finding back; Security Hub's CloudWatch.x controls are no evidence (they check that the metric
filter exists, which the metric-filter verdict already judges)."""

from __future__ import annotations

from pathlib import Path

import yaml

from baselinegen import api
from conftest import EXAMPLES

CIS5 = EXAMPLES / "acme-cis5.yaml"
HUB_RULE = ("module.detection.aws_cloudwatch_event_rule.security_hub_findings: Security Hub forwards GuardDuty's "
            "low-severity findings to the alarm topic")


def _root_usage(tmp_path: Path, guardduty: str, security_hub: str, hub_enabled: bool = True, email: bool = True):
    data = yaml.safe_load(CIS5.read_text(encoding="utf-8"))
    data["monitoring"].setdefault("alarms", {})["exclude"] = ["root-usage"]
    data["detection"]["guardduty"]["notify_severity"] = guardduty
    data["detection"].setdefault("security_hub", {}).update(notify_severity=security_hub, enabled=hub_enabled)
    if not email:
        data["monitoring"]["topic"].pop("email")
    path = tmp_path / "acme-cis5.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {r.id: r for r in api.controls(path, "cis-5.0").results}["4.3"].verdict


def test_root_usage_reaches_the_topic_through_security_hub_when_guarddutys_own_rule_holds_it_back(tmp_path):
    verdict = _root_usage(tmp_path, guardduty="medium", security_hub="low")
    assert verdict.status == "covered"
    assert verdict.evidence == ("module.detection.aws_guardduty_detector.this: GuardDuty finding Policy:IAMUser/RootCredentialUsage "
                                "(low severity)", HUB_RULE)


def test_a_security_hub_threshold_above_low_is_no_route_and_guarddutys_advice_stands(tmp_path):
    verdict = _root_usage(tmp_path, guardduty="medium", security_hub="medium")
    assert (verdict.status, verdict.key) == ("off", "monitoring.alarms.exclude")
    assert verdict.detail.endswith("but only findings of medium severity or higher reach the alarm topic: set "
                                   "detection.guardduty.notify_severity to low")


def test_security_hub_off_is_no_route(tmp_path):
    assert _root_usage(tmp_path, guardduty="none", security_hub="low", hub_enabled=False).status == "off"


def test_the_route_through_security_hub_still_needs_someone_subscribed(tmp_path):
    verdict = _root_usage(tmp_path, guardduty="medium", security_hub="low", email=False)
    assert verdict.status == "off"  # the excluded alarm's verdict, with the route's gap after it
    assert verdict.detail.endswith("; or: the alarm topic has no subscriber, so nobody is told: add monitoring.topic.email")
    assert HUB_RULE in verdict.evidence


def test_security_hubs_cloudwatch_controls_meet_no_item_without_the_metric_filter(tmp_path):
    """CIS 1.4.0's standard runs CloudWatch.1 (root usage filter and alarm exist); it only reports their absence."""
    data = yaml.safe_load(CIS5.read_text(encoding="utf-8"))
    data["monitoring"].setdefault("alarms", {})["exclude"] = ["root-usage"]
    data["detection"]["guardduty"]["notify_severity"] = "none"
    data["detection"].setdefault("security_hub", {})["standards"] = ["aws-foundational", "cis-1.4", "cis-5.0"]
    path = tmp_path / "acme-cis5.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert {r.id: r for r in api.controls(path, "cis-5.0").results}["4.3"].verdict.status == "off"
