"""Findings people hear about (issue 23): Inspector findings at or above detection.inspector.notify_severity and
IAM Access Analyzer findings (every active one, or only public ones) reach the alarm topic from the home Region with a
message a person can act on; other Regions forward to the home Region; in an organisation the rules live in the
delegated administrator, whose findings topic receives every account's findings. none: no rule, W462 / W463."""

from __future__ import annotations

import pytest
import yaml

from baselinegen import api
from baselinegen.validate.hclcheck import _parse, unquote
from conftest import EXAMPLES
from support.terraform_runs import run_root


def _write(tmp_path, name: str, **sections):
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    for section, values in sections.items():
        data["detection"].setdefault(section, {}).update(values)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _render(tmp_path, name: str, **sections) -> dict:
    api.render(_write(tmp_path, name, **sections), tmp_path / "out")
    folder = tmp_path / "out" / "modules" / "detection"
    text = (folder / "findings.tf").read_text(encoding="utf-8") if (folder / "findings.tf").exists() else ""
    return {(t[1:-1], n[1:-1]): body for e in _parse(text).get("resource", []) for t, inner in e.items() for n, body in inner.items()}


def _quoted(text: str) -> str:
    return text.replace("'", '"')


@pytest.mark.parametrize("severity, labels", [("low", '["LOW", "MEDIUM", "HIGH", "CRITICAL"]'), ("medium", '["MEDIUM", "HIGH", "CRITICAL"]'),
                                              ("high", '["HIGH", "CRITICAL"]'), ("critical", '["CRITICAL"]')])
def test_the_inspector_rule_matches_active_findings_at_or_above_the_severity_in_every_region(tmp_path, severity, labels):
    rule = _render(tmp_path, "acme", inspector={"notify_severity": severity})[("aws_cloudwatch_event_rule", "inspector_findings")]
    pattern = _quoted(rule["event_pattern"])
    assert f"severity = {labels}" in pattern and 'status = ["ACTIVE"]' in pattern
    assert '"aws.inspector2"' in pattern and '"Inspector2 Finding"' in pattern
    assert (rule["for_each"], rule["region"], unquote(rule["name"])) == ("${var.regions}", "${each.value}", "acme-inspector-findings")


def test_the_inspector_message_names_severity_account_region_title_and_the_console(tmp_path):
    resources = _render(tmp_path, "acme")
    target = resources[("aws_cloudwatch_event_target", "inspector_findings_topic")]
    assert (target["arn"], target["region"]) == ("${var.alarm_topic_arn}", "${local.home_region}")
    transformer = target["input_transformer"][0]
    assert {k: unquote(v) for k, v in transformer["input_paths"].items() if not k.startswith("__")} == {
        "account": "$.detail.awsAccountId", "region": "$.region", "severity": "$.detail.severity", "title": "$.detail.title",
        "type": "$.detail.type", "finding": "$.detail.findingArn"}
    assert "inspector/v2/home?region=<region>#/findings" in transformer["input_template"]
    home = resources[("aws_cloudwatch_event_target", "inspector_findings_home")]
    assert (home["for_each"], home["role_arn"]) == ("${setsubtract(var.regions, [local.home_region])}", "${aws_iam_role.findings_forwarding.arn}")


@pytest.mark.parametrize("notify, public", [("active", False), ("public", True)])
def test_the_access_analyzer_rule_matches_active_findings_or_only_public_ones(tmp_path, notify, public):
    resources = _render(tmp_path, "acme", access_analyzer={"notify": notify})
    pattern = _quoted(resources[("aws_cloudwatch_event_rule", "access_analyzer_findings")]["event_pattern"])
    assert '"aws.access-analyzer"' in pattern and '"Access Analyzer Finding"' in pattern and 'status = ["ACTIVE"]' in pattern
    assert ("isPublic = [true]" in pattern) is public
    transformer = resources[("aws_cloudwatch_event_target", "access_analyzer_findings_topic")]["input_transformer"][0]
    assert {k: unquote(v) for k, v in transformer["input_paths"].items() if not k.startswith("__")} == {
        "account": "$.detail.accountId", "region": "$.region", "resource": "$.detail.resource", "type": "$.detail.resourceType",
        "public": "$.detail.isPublic", "finding": "$.detail.id"}
    assert "access-analyzer/home?region=<region>#/findings" in transformer["input_template"]


def test_the_forwarding_role_may_be_assumed_by_each_findings_rule_only(tmp_path):
    api.render(_write(tmp_path, "acme"), tmp_path / "out")
    policies = (tmp_path / "out" / "modules" / "detection" / "policies.tf").read_text(encoding="utf-8")
    for name in ("acme-guardduty-findings", "acme-inspector-findings", "acme-access-analyzer-findings"):
        assert f"rule/{name}" in policies


def test_without_guardduty_notifications_the_role_still_forwards_inspector_findings(tmp_path):
    resources = _render(tmp_path, "acme", guardduty={"notify_severity": "none"}, access_analyzer={"notify": "none"})
    assert ("aws_iam_role", "findings_forwarding") in resources and ("aws_cloudwatch_event_rule", "inspector_findings") in resources
    assert ("aws_cloudwatch_event_rule", "access_analyzer_findings") not in resources


def test_none_everywhere_renders_no_findings_file(tmp_path):
    resources = _render(tmp_path, "acme", guardduty={"notify_severity": "none"}, access_analyzer={"notify": "none"},
                        inspector={"notify_severity": "none"})
    assert resources == {}


def test_in_an_organisation_the_administrators_findings_topic_receives_them(tmp_path):
    resources = _render(tmp_path, "acme-org")
    for name in ("inspector_findings_topic", "access_analyzer_findings_topic"):
        assert resources[("aws_cloudwatch_event_target", name)]["arn"] == "${aws_sns_topic.findings.arn}"
    text = (tmp_path / "out" / "modules" / "detection" / "findings.tf").read_text(encoding="utf-8")
    assert "As the administrator of Inspector, this account receives every member account's findings too." in text


def test_none_warns_at_its_location(write_profile):
    found, _ = api.check_profile(write_profile(
        "version: 1\norganization: {name: acme, home_region: us-east-1, regions: [us-east-1]}\n"
        "monitoring: {topic: {email: [soc@acme.example]}}\nstate: {bucket: acme-terraform-state}\n"
        "detection:\n  inspector: {notify_severity: none}\n  access_analyzer: {notify: none}\n"))
    assert [f"{p.location.line}:{p.location.column}: {p.path}: {p.message} [{p.code}]" for p in found if p.code in ("W462", "W463")] == [
        "6:32: detection.inspector.notify_severity: Inspector findings notify no one: vulnerabilities wait in the console until someone looks [W462]",
        "7:29: detection.access_analyzer.notify: Access Analyzer findings notify no one: a resource shared outside waits in the console until someone looks [W463]"]


def test_a_misspelt_choice_fails_with_did_you_mean(write_profile):
    found, _ = api.check_profile(write_profile(
        "version: 1\norganization: {name: acme, home_region: us-east-1, regions: [us-east-1]}\n"
        "monitoring: {topic: {email: [soc@acme.example]}}\nstate: {bucket: acme-terraform-state}\n"
        "detection:\n  access_analyzer: {notify: publik}\n"))
    errors = [f"{p.location.line}:{p.path}: {p.message}" for p in found if p.severity == "error"]
    assert len(errors) == 1 and errors[0].startswith("6:detection.access_analyzer.notify:") and "'public'" in errors[0]


def test_the_controls_report_says_which_findings_notify(tmp_path):
    api.render(_write(tmp_path, "acme", inspector={"notify_severity": "critical"}, access_analyzer={"notify": "public"}), tmp_path / "out")
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "active findings of severity critical or higher go to the alarm topic" in readme
    assert "active findings that grant public access go to the alarm topic" in readme


def test_the_single_account_root_validates_plans_and_applies_with_the_rules(tmp_path, terraform_env, terraform_bin):
    api.render(_write(tmp_path, "acme", access_analyzer={"notify": "public"}), tmp_path / "tree")
    run = run_root(terraform_bin, tmp_path / "tree", tmp_path / "tree", terraform_env)
    assert (run.failed, run.validate.get("error_count"), run.validate.get("warning_count")) == (None, 0, 0)
    assert run.planned[2] == 0 and run.replan_exit == 0


def _files(tmp_path, name: str, **sections) -> dict[str, str]:
    folder = tmp_path / name
    folder.mkdir()
    return {f.path: f.content for f in api.render_tree(api.load_profile(_write(folder, "acme", **sections)).profile).files}


def test_the_review_says_a_higher_inspector_threshold_is_weaker_in_one_line(tmp_path):
    from baselinegen.review import build_review
    review = build_review(_files(tmp_path, "old"), _files(tmp_path, "new", inspector={"notify_severity": "critical"}))
    assert [c.text for c in review.summary] == ["Inspector findings notify from high -> critical (weaker)"]
    back = build_review(_files(tmp_path, "new2", inspector={"notify_severity": "critical"}), _files(tmp_path, "old2"))
    assert [c.text for c in back.summary] == ["Inspector findings notify from critical -> high (stronger)"]


def test_the_review_says_access_analyzer_findings_notifying_no_one_is_weaker(tmp_path):
    from baselinegen.review import build_review
    review = build_review(_files(tmp_path, "old"), _files(tmp_path, "new", access_analyzer={"notify": "none"}))
    assert [c.text for c in review.summary] == [
        "Access Analyzer findings notify no one (they were: every active finding) (weaker)"]
    narrowed = build_review(_files(tmp_path, "old2"), _files(tmp_path, "public", access_analyzer={"notify": "public"}))
    assert [c.text for c in narrowed.summary] == ["Access Analyzer findings notify from active -> public (weaker)"]


def test_turning_inspector_off_is_not_also_reported_as_its_findings_rule_going(tmp_path):
    from baselinegen.review import build_review
    review = build_review(_files(tmp_path, "old"), _files(tmp_path, "new", inspector={"resource_types": []}))
    texts = [c.text for c in review.summary]
    assert not [t for t in texts if t.startswith("Inspector findings")]
    assert 'module.detection.aws_cloudwatch_event_rule.inspector_findings["us-east-1"]' in review.destroyed
