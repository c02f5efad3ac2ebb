"""Security Hub automation rules from the profile (issue 23): each suppresses or re-rates the findings it matches
(by control, product, account, resource) with its reason as description and note; in the administrator of an
organisation, in the home Region when findings are aggregated; located validation E336/E337/E346/E356-E358,
W478/W479; review lines; Terraform validate and plan."""

from __future__ import annotations

import yaml

from baselinegen import api
from baselinegen.review import build_review
from baselinegen.validate.hclcheck import _parse, unquote
from conftest import EXAMPLES
from support.terraform_runs import run_root

WEBSITE = {"name": "public-website-bucket", "reason": "The marketing site bucket is public on purpose; CloudFront fronts it.",
           "action": "suppress", "match": {"controls": ["S3.8"], "resources": ["arn:aws:s3:::acme-www*"]}}
STAGING = {"name": "staging-guardduty", "reason": "Staging GuardDuty findings are triaged weekly, not paged.",
           "action": "set-severity", "severity": "low", "match": {"products": ["guardduty"], "accounts": ["payments-staging"]}}


def _write(folder, name: str, rules, **hub):
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    data["detection"]["security_hub"].update(hub, automation_rules=rules)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _rules(tmp_path, name: str, rules, **hub) -> dict:
    api.render(_write(tmp_path, name, rules, **hub), tmp_path / "out")
    text = (tmp_path / "out" / "modules" / "detection" / "automation_rules.tf").read_text(encoding="utf-8")
    return {n[1:-1]: body for e in _parse(text).get("resource", []) for t, inner in e.items() for n, body in inner.items()}


def _plain(value):
    if isinstance(value, dict):
        return {unquote(k): _plain(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return unquote(value)


def test_a_suppression_matches_control_and_resource_prefix_with_its_reason(tmp_path):
    rule = _plain(_rules(tmp_path, "acme-org", [WEBSITE, STAGING])["public_website_bucket"])
    assert (rule["rule_name"], rule["rule_order"], rule["region"], rule["description"]) == (
        "acme-public-website-bucket", 1, "${local.home_region}", WEBSITE["reason"])
    assert rule["criteria"] == [{"compliance_security_control_id": [{"comparison": "EQUALS", "value": "S3.8"}],
                                 "resource_id": [{"comparison": "PREFIX", "value": "arn:aws:s3:::acme-www"}]}]
    assert rule["actions"] == [{"type": "FINDING_FIELDS_UPDATE", "finding_fields_update": [
        {"workflow": [{"status": "SUPPRESSED"}], "note": [{"text": WEBSITE["reason"], "updated_by": "baselinegen"}]}]}]


def test_a_severity_change_matches_product_and_account_by_its_id(tmp_path):
    rule = _plain(_rules(tmp_path, "acme-org", [WEBSITE, STAGING])["staging_guardduty"])
    assert rule["rule_order"] == 2
    assert rule["criteria"] == [{"product_name": [{"comparison": "EQUALS", "value": "GuardDuty"}],
                                 "aws_account_id": [{"comparison": "EQUALS", "value": "060000000006"}]}]
    assert rule["actions"][0]["finding_fields_update"][0]["severity"] == [{"label": "LOW"}]


def test_without_aggregation_each_rule_runs_in_every_region(tmp_path):
    rules = [dict(WEBSITE), dict(STAGING, match={"products": ["guardduty"], "accounts": ["123456789012"]})]
    rule = _rules(tmp_path, "acme", rules, aggregate_findings=False)["public_website_bucket"]
    assert (rule["for_each"], rule["region"]) == ("${var.regions}", "${each.value}")


def test_the_readme_and_the_controls_report_list_the_rules_with_their_reasons(tmp_path):
    api.render(_write(tmp_path, "acme-org", [WEBSITE, STAGING]), tmp_path / "out")
    module = (tmp_path / "out" / "modules" / "detection" / "README.md").read_text(encoding="utf-8")
    assert ("| 1 | `acme-public-website-bucket` | suppresses findings of controls S3.8; resources arn:aws:s3:::acme-www* | "
            "The marketing site bucket is public on purpose; CloudFront fronts it. |") in module
    assert "2 automation rules with a reason (1 suppressing)" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def _problems(tmp_path, rules, name="acme-org", **hub) -> list[str]:
    found, _ = api.check_profile(_write(tmp_path, name, rules, **hub))
    return [f"{p.path}: {p.message} [{p.code}]" for p in found if p.code in ("E336", "E337", "E346", "E356", "E357", "E358", "W478", "W479")]


def test_bad_rules_fail_at_their_keys_with_suggestions(tmp_path):
    rules = [dict(WEBSITE, match={"controls": ["S3.88"]}), dict(WEBSITE, action="set-severity"),
             dict(STAGING, severity="low", action="suppress", name="x-rule", match={"products": ["guardduty"], "accounts": ["payments-stagin"]}),
             dict(STAGING, name="empty", match={})]
    assert _problems(tmp_path, rules) == [
        "detection.security_hub.automation_rules[0].match.controls[0]: 'S3.88' is no Security Hub control (did you mean 'S3.8'?); the controls are listed in the Security Hub controls reference [E346]",
        "detection.security_hub.automation_rules[1].name: automation rule 'public-website-bucket' is named twice (same as index 0) [E336]",
        "detection.security_hub.automation_rules[1].action: set-severity needs severity: informational, low, medium, high or critical [E356]",
        "detection.security_hub.automation_rules[2].severity: severity is for set-severity: a suppressed finding keeps its severity; remove it or write action: set-severity [E356]",
        "detection.security_hub.automation_rules[2].match: this rule suppresses every finding of products guardduty and accounts payments-stagin: new kinds of findings there will never notify; narrow it to controls or resources [W478]",
        "detection.security_hub.automation_rules[2].match.accounts[0]: 'payments-stagin' is no account of the profile (did you mean 'payments-staging'?); accounts: management, log-archive, security, identity, payments-prod, payments-staging [E357]",
        "detection.security_hub.automation_rules[3].match: the rule matches every finding of every product: name controls, products, accounts or resources [E358]"]


def test_more_rules_than_the_quota_fail_and_rules_without_security_hub_warn(tmp_path):
    many = [dict(WEBSITE, name=f"rule-{i}") for i in range(101)]
    assert _problems(tmp_path / "a", many) == ["detection.security_hub.automation_rules: 101 automation rules: Security Hub allows 100 per account and Region [E337]"]
    assert _problems(tmp_path / "b", [WEBSITE], enabled=False) == [
        "detection.security_hub.automation_rules: automation rules need Security Hub: with detection.security_hub.enabled false they are not rendered [W479]"]


def test_a_misspelt_action_or_product_fails_with_did_you_mean(tmp_path):
    found, _ = api.check_profile(_write(tmp_path, "acme", [dict(WEBSITE, action="supress", match={"products": ["gaurdduty"]})]))
    errors = [f"{p.path}: {p.message}" for p in found if p.severity == "error"]
    assert len(errors) == 2 and all("did you mean" in e for e in errors)
    assert "'suppress'" in errors[0] or "'suppress'" in errors[1]


def test_the_review_says_a_suppression_is_weaker_and_its_removal_stronger(tmp_path):
    def files(folder, rules):
        return {f.path: f.content for f in api.render_tree(api.load_profile(_write(tmp_path / folder, "acme", rules)).profile).files}
    before, after = files("old", []), files("new", [WEBSITE])
    assert [c.text for c in build_review(before, after).summary] == [
        "Security Hub automation rule `acme-public-website-bucket` added: suppresses findings of controls S3.8; resources "
        "arn:aws:s3:::acme-www* (weaker): The marketing site bucket is public on purpose; CloudFront fronts it."]
    assert [c.text for c in build_review(after, before).summary] == [
        "Security Hub automation rule `acme-public-website-bucket` removed: its findings notify again (stronger)"]


def test_the_security_account_root_validates_plans_and_applies_with_the_rules(tmp_path, terraform_env, terraform_bin):
    api.render(_write(tmp_path, "acme-org", [WEBSITE, STAGING]), tmp_path / "tree")
    run = run_root(terraform_bin, tmp_path / "tree", tmp_path / "tree" / "accounts" / "security", terraform_env)
    assert (run.failed, run.validate.get("error_count"), run.validate.get("warning_count")) == (None, 0, 0)
    assert run.planned[2] == 0 and run.replan_exit == 0
