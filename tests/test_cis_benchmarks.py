"""CIS v5.0.0 alarms and preset, v6.0.0 and v7.0.0 in `controls`, the crosswalk between versions, and the v4.0.1+
monitoring items met by a metric filter, an EventBridge rule or a GuardDuty detection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from baselinegen import api
from baselinegen.catalog.cis_versions import translate, v5_from_v3
from baselinegen.components.monitoring.alarms import alarms_for
from baselinegen.controls.catalog import controls_of
from baselinegen.render.env import RenderedFile
from conftest import EXAMPLES
from support.checkov_run import run_checkov

ACME = EXAMPLES / "acme.yaml"
ACME_ORG = EXAMPLES / "acme-org.yaml"
V5_4_10 = ("{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
           "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || "
           "($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }")


def _variant(tmp_path: Path, change, source: Path = ACME) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _v5_alarms(data):
    data["monitoring"]["alarms"]["benchmark"] = "cis-5.0"


def _results(path: Path, benchmark: str) -> dict:
    return {r.id: r for r in api.controls(path, benchmark).results}


def test_cis_5_0_alarms_render_the_v5_security_group_pattern_and_otherwise_the_v3_strings():
    v5 = {a.id: a.pattern("cis-5.0") for a in alarms_for("cis-5.0")}
    v3 = {a.id: a.pattern("cis-3.0") for a in alarms_for("cis-3.0")}
    assert v5["security-group-changes"] == V5_4_10
    assert {k: v for k, v in v5.items() if k != "security-group-changes"} == {k: v for k, v in v3.items() if k != "security-group-changes"}


def test_with_v5_alarms_every_v5_monitoring_item_is_covered(tmp_path):
    results = _results(_variant(tmp_path, _v5_alarms), "cis-5.0")
    assert {i: results[i].verdict.status for i in (f"4.{n}" for n in range(1, 16))} == {f"4.{n}": "covered" for n in range(1, 16)}


def test_a_profile_extending_the_cis_5_0_preset_renders_v5_alarms_and_subscribes_the_v5_standard(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("version: 1\nextends: cis-5.0\norganization:\n  name: demo\n  home_region: eu-west-1\n  regions: [eu-west-1]\n"
                       "monitoring:\n  topic:\n    email: [sec@example.com]\n", encoding="utf-8")
    loaded = api.load_profile(profile).profile
    assert (loaded.monitoring.benchmark, loaded.iam.password_policy.minimum_length, loaded.iam.password_policy.reuse_prevention) == ("cis-5.0", 14, 24)
    api.render(profile, tmp_path / "out")
    assert "ModifySecurityGroupRules" in (tmp_path / "out" / "modules" / "monitoring" / "alarms.tf").read_text(encoding="utf-8")
    hub = (tmp_path / "out" / "modules" / "detection" / "security_hub.tf").read_text(encoding="utf-8")
    assert "standards/cis-aws-foundations-benchmark/v/5.0.0" in hub
    assert _results(profile, "cis-5.0")["4.10"].verdict.status == "covered"


def test_the_generated_readme_names_the_v5_ids_of_the_password_policy(tmp_path):
    api.render(_variant(tmp_path, _v5_alarms), tmp_path / "out")
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "CIS ids are those of the profile's benchmark, CIS 5.0.0 (`monitoring.alarms.benchmark`)." in readme
    assert "| Password policy | 1.7, 1.8 | minimum 14 characters, reuse prevention 24, no expiry |" in readme


def test_v6_and_v7_list_every_requirement_once_in_the_benchmarks_numbering():
    v6 = [cid for cid, _ in controls_of("cis-6.0")]
    v7 = [cid for cid, _ in controls_of("cis-7.0")]
    assert (len(v6), len(set(v6)), len(v7), len(set(v7))) == (63, 63, 70, 70)
    assert v6[:2] == ["2.1", "2.2"] and v6[-1] == "6.7" and "5.16" in v6 and "2.21" in v6
    assert [i for i in v7 if i.startswith("2.1.")] == ["2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.1.6"]
    assert {"2.21", "4.10", "6.8"} <= set(v7) and "2.22" not in v7
    titles6 = {cid: c.title for cid, c in controls_of("cis-6.0")}
    titles7 = {cid: c.title for cid, c in controls_of("cis-7.0")}
    assert titles6["2.7"] == titles7["2.8"] == "Password policy requires a minimum length of 14 or more"
    assert titles6["2.15"] == titles7["2.14"] == "No IAM policies with full \"*:*\" administrative privileges are attached"
    assert titles6["2.1"] == titles7["2.2"] == "Maintain current contact details"
    assert titles6["5.16"] == titles7["5.16"] == "AWS Security Hub is enabled"
    assert "Only one active access key per IAM user" in titles6.values() and "Only one active access key per IAM user" not in titles7.values()


def test_a_weaker_password_policy_changes_exactly_the_length_id_of_each_later_version(tmp_path):
    weak = _variant(tmp_path, lambda d: d["iam"]["password_policy"].update(minimum_length=8))
    for benchmark, expected in (("cis-3.0", "1.8"), ("cis-5.0", "1.7"), ("cis-6.0", "2.7"), ("cis-7.0", "2.8")):
        before, after = _results(ACME, benchmark), _results(weak, benchmark)
        changed = sorted(cid for cid in before if before[cid].verdict.status != after[cid].verdict.status)
        assert changed == [expected], benchmark
        assert (before[expected].verdict.status, after[expected].verdict.status) == ("covered", "partial")


def test_json_carries_each_controls_ids_in_the_other_versions():
    result = subprocess.run([sys.executable, "-m", "baselinegen", "controls", str(ACME), "--benchmark", "cis-7.0", "--format", "json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    controls = {c["id"]: c for c in json.loads(result.stdout)["controls"]}
    assert controls["2.8"]["other_versions"] == {"cis-1.2": "1.9", "cis-1.4": "1.8", "cis-3.0": "1.8", "cis-5.0": "1.7", "cis-6.0": "2.7"}
    assert controls["5.10"]["other_versions"] == {"cis-1.2": "3.10", "cis-1.4": "4.10", "cis-3.0": "4.10", "cis-5.0": "4.10", "cis-6.0": "5.10"}
    assert controls["6.1.1"]["other_versions"] == {"cis-1.4": "2.2.1", "cis-3.0": "2.2.1", "cis-5.0": "5.1.1", "cis-6.0": "6.1.1"}
    assert controls["2.1.1"]["other_versions"] == {}


def test_the_crosswalk_arithmetic_follows_the_v5_renumbering():
    assert [v5_from_v3(i) for i in ("1.1", "1.2", "1.3", "1.4", "1.22", "2.2.1", "2.3.3", "2.4.1", "3.9", "4.16", "5.1", "5.6")] == \
        ["1.1", "1.2", None, "1.3", "1.21", "5.1.1", "2.2.3", "2.3.1", "3.9", "4.16", "5.2", "5.7"]
    assert (translate("1.8, 1.9", "cis-5.0"), translate("1.8, 1.9", "cis-6.0"), translate("1.8, 1.9", "cis-7.0")) == ("1.7, 1.8", "2.7, 2.8", "2.8, 2.9")
    assert (translate("4.x", "cis-5.0"), translate("4.x", "cis-6.0"), translate("1.3", "cis-5.0"), translate("1.11", "cis-7.0")) == ("4.x", "5.x", "", "")


def test_v7_organizations_items_are_judged_from_the_organisation_render():
    org, single = _results(ACME_ORG, "cis-7.0"), _results(ACME, "cis-7.0")
    assert {i: org[i].verdict.status for i in ("2.1.1", "2.1.2", "2.1.3", "2.1.6", "4.10", "6.8")} == {
        "2.1.1": "covered", "2.1.2": "covered", "2.1.3": "manual", "2.1.6": "covered", "4.10": "not applicable", "6.8": "not applicable"}
    assert single["2.1.1"].verdict.status == "not applicable"


def test_root_usage_without_its_alarm_is_met_by_guardduty_only_when_low_findings_reach_the_topic(tmp_path):
    def without_root_alarm(data, severity):
        _v5_alarms(data)
        data["monitoring"]["alarms"]["exclude"] = ["root-usage"]
        data["detection"]["guardduty"]["notify_severity"] = severity
    medium = _results(_variant(tmp_path, lambda d: without_root_alarm(d, "medium")), "cis-5.0")["4.3"].verdict
    assert (medium.status, medium.key) == ("off", "monitoring.alarms.exclude")
    assert medium.detail.endswith("or: GuardDuty detects it (Policy:IAMUser/RootCredentialUsage, low severity) but only findings of medium "
                                  "severity or higher reach the alarm topic: set detection.guardduty.notify_severity to low")
    low = _results(_variant(tmp_path, lambda d: without_root_alarm(d, "low")), "cis-5.0")["4.3"].verdict
    assert low.status == "covered" and any("Policy:IAMUser/RootCredentialUsage" in e for e in low.evidence)
    v3 = _results(_variant(tmp_path, lambda d: (without_root_alarm(d, "low"), d["monitoring"]["alarms"].update(benchmark="cis-3.0"))), "cis-3.0")
    assert v3["4.3"].verdict.status == "off"  # before v4.0.1 only the metric filter meets it


def test_an_eventbridge_rule_on_the_items_events_with_a_target_meets_a_v5_monitoring_item(tmp_path):
    profile = api.load_profile(_variant(tmp_path, lambda d: (_v5_alarms(d), d["monitoring"]["alarms"].update(exclude=["nacl-changes"])))).profile
    files = api.render_tree(profile).files
    names = ["CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry", "ReplaceNetworkAclAssociation"]
    rule = ('resource "aws_cloudwatch_event_rule" "nacl" {\n  event_pattern = jsonencode({ detail = { eventName = [' +
            ", ".join(f'"{n}"' for n in names) + '] } })\n}\n')
    target = 'resource "aws_cloudwatch_event_target" "nacl" {\n  rule = aws_cloudwatch_event_rule.nacl.name\n  arn  = "arn:aws:sns:eu-west-1:111111111111:t"\n}\n'
    assert {r.id: r for r in api.controls_report(profile, files, "cis-5.0").results}["4.11"].verdict.status == "off"  # no alarm
    with_rule = api.controls_report(profile, files + [RenderedFile("modules/monitoring/nacl_rule.tf", rule + target)], "cis-5.0")
    verdict = {r.id: r for r in with_rule.results}["4.11"].verdict
    assert verdict.status == "covered" and verdict.evidence == ("module.monitoring.aws_cloudwatch_event_rule.nacl: EventBridge rule on the item's events",)
    short = rule.replace('"ReplaceNetworkAclAssociation"', '"Other"')
    partial_rule = api.controls_report(profile, files + [RenderedFile("modules/monitoring/nacl_rule.tf", short + target)], "cis-5.0")
    assert {r.id: r for r in partial_rule.results}["4.11"].verdict.status == "off"  # a rule missing one event is no evidence


def test_a_cis_5_0_profile_validates_plans_and_applies_with_the_stand_in_provider(tmp_path, terraform_env, terraform_bin):
    from support.terraform_runs import run_root

    api.render(_variant(tmp_path, _v5_alarms), tmp_path / "tree")
    run = run_root(terraform_bin, tmp_path / "tree", tmp_path / "tree", terraform_env)
    assert (run.failed, run.validate.get("error_count"), run.validate.get("warning_count")) == (None, 0, 0)
    assert run.planned[2] == 0 and run.replan_exit == 0


def test_an_enum_parameter_is_written_as_a_string_and_the_security_root_validates_and_plans(tmp_path, terraform_env, terraform_bin):
    from support.terraform_runs import run_root

    def retention(data):
        data["detection"]["security_hub"]["control_parameters"]["CloudWatch.16"] = {"minRetentionTime": 400}
    api.render(_variant(tmp_path, retention, ACME_ORG), tmp_path / "tree")
    text = (tmp_path / "tree" / "modules" / "detection" / "security_hub_organization.tf").read_text(encoding="utf-8")
    assert 'name       = "minRetentionTime"\n          value_type = "CUSTOM"\n\n          enum {\n            value = "400"\n          }' in text
    root = tmp_path / "tree" / "accounts" / "security"
    run = run_root(terraform_bin, tmp_path / "tree", root, terraform_env)
    assert (run.failed, run.validate.get("error_count")) == (None, 0)


def test_the_cis5_example_meets_every_v5_monitoring_item_and_root_usage_also_through_guardduty(tmp_path):
    example = EXAMPLES / "acme-cis5.yaml"
    results = _results(example, "cis-5.0")
    assert [i for i in (f"4.{n}" for n in range(1, 16)) if results[i].verdict.status != "covered"] == []
    excluded = _variant(tmp_path, lambda d: d["monitoring"].setdefault("alarms", {}).update(exclude=["root-usage"]), example)
    verdict = _results(excluded, "cis-5.0")["4.3"].verdict
    assert verdict.status == "covered" and verdict.evidence[0].endswith("GuardDuty finding Policy:IAMUser/RootCredentialUsage (low severity)")


def test_the_review_of_a_weaker_password_policy_names_the_v5_id_in_a_cis_5_0_profile(tmp_path):
    from baselinegen.review import build_review

    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8").replace("benchmark: cis-1.4 ", "benchmark: cis-5.0 ", 1)
    trees = []
    for name, body in (("before", text), ("after", text.replace("minimum_length: 14", "minimum_length: 12", 1))):
        path = tmp_path / f"{name}.yaml"
        path.write_text(body, encoding="utf-8")
        trees.append({f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files})
    assert build_review(*trees).benchmark == (
        "CIS 1.7 Password policy requires a minimum length of 14 or more: covered → partial (weaker) — "
        "iam.password_policy.minimum_length is 12; CIS asks for 14 or more",)


def test_checkov_fails_nothing_in_the_cis5_example_s_monitoring_and_detection_modules(tmp_path, checkov_bin):
    api.render(EXAMPLES / "acme-cis5.yaml", tmp_path / "tree")
    for module in ("monitoring", "detection"):
        report = run_checkov(checkov_bin, str(tmp_path / "tree" / "modules" / module))
        assert [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]] == [], module
