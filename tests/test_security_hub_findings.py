"""Security Hub findings people hear about (issue 23): every product's findings at or above
detection.security_hub.notify_severity, new and active, go to the alarm topic (the security account's findings topic in
an organisation) from the home Region with a readable message; none: no rule and warning W474."""

from __future__ import annotations

import json

import pytest
import yaml

from baselinegen import api
from baselinegen.validate.hclcheck import _parse, unquote
from conftest import EXAMPLES
from support.terraform_runs import run_root


def _render(tmp_path, name: str, **hub):
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    data["detection"]["security_hub"].update(hub)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    api.render(path, tmp_path / "out")
    text = (tmp_path / "out" / "modules" / "detection" / "security_hub.tf").read_text(encoding="utf-8")
    return {(t[1:-1], n[1:-1]): body for e in _parse(text).get("resource", []) for t, inner in e.items() for n, body in inner.items()}


def _pattern(rule: dict) -> dict:
    text = rule["event_pattern"]
    return json.loads(text[len("${jsonencode("):-2].replace(" = ", ": ")) if False else text


@pytest.mark.parametrize("severity, labels", [("low", '["LOW", "MEDIUM", "HIGH", "CRITICAL"]'), ("medium", '["MEDIUM", "HIGH", "CRITICAL"]'),
                                              ("high", '["HIGH", "CRITICAL"]'), ("critical", '["CRITICAL"]')])
def test_the_rule_matches_new_active_findings_at_or_above_the_severity(tmp_path, severity, labels):
    rule = _render(tmp_path, "acme", notify_severity=severity)[("aws_cloudwatch_event_rule", "security_hub_findings")]
    pattern = rule["event_pattern"]
    assert f"Label = {labels}" in pattern.replace("'", '"')
    assert '"aws.securityhub"' in pattern.replace("'", '"') and "Security Hub Findings - Imported" in pattern
    assert 'Status = ["NEW"]' in pattern.replace("'", '"') and 'RecordState = ["ACTIVE"]' in pattern.replace("'", '"')
    assert rule["region"] == "${local.home_region}" and "for_each" not in rule


def test_the_message_names_product_severity_account_region_title_and_the_console(tmp_path):
    target = _render(tmp_path, "acme")[("aws_cloudwatch_event_target", "security_hub_findings_topic")]
    assert target["arn"] == "${var.alarm_topic_arn}"
    transformer = target["input_transformer"][0]
    assert {k: unquote(v) for k, v in transformer["input_paths"].items() if not k.startswith("__")} == {
        "account": "$.detail.findings[0].AwsAccountId", "region": "$.detail.findings[0].Region",
        "severity": "$.detail.findings[0].Severity.Label", "title": "$.detail.findings[0].Title", "product": "$.detail.findings[0].ProductName"}
    assert "<product>" in transformer["input_template"] and "securityhub/home?region=" in transformer["input_template"]


def test_in_an_organisation_findings_go_to_the_security_accounts_findings_topic(tmp_path):
    target = _render(tmp_path, "acme-org")[("aws_cloudwatch_event_target", "security_hub_findings_topic")]
    assert target["arn"] == "${aws_sns_topic.findings.arn}"


def test_none_renders_no_rule_and_warns(tmp_path, write_profile):
    resources = _render(tmp_path, "acme", notify_severity="none")
    assert ("aws_cloudwatch_event_rule", "security_hub_findings") not in resources
    found, _ = api.check_profile(write_profile("version: 1\norganization: {name: acme, home_region: us-east-1, regions: [us-east-1]}\n"
                                               "monitoring: {topic: {email: [soc@acme.example]}}\nstate: {bucket: acme-terraform-state}\n"
                                               "detection: {security_hub: {notify_severity: none}}\n"))
    assert [f"{p.location.line}:{p.location.column}: {p.path}: {p.message} [{p.code}]" for p in found if p.code == "W474"] == [
        "5:45: detection.security_hub.notify_severity: Security Hub findings notify no one: they wait in the console until someone looks [W474]"]


def test_the_single_account_root_validates_plans_and_applies_with_the_rule(tmp_path, terraform_env, terraform_bin):
    api.render(EXAMPLES / "acme.yaml", tmp_path / "tree")
    run = run_root(terraform_bin, tmp_path / "tree", tmp_path / "tree", terraform_env)
    assert (run.failed, run.validate.get("error_count"), run.validate.get("warning_count")) == (None, 0, 0)
    assert run.planned[2] == 0 and run.replan_exit == 0  # the adopted parts are imported and updated in place, nothing destroyed
