"""CIS AWS Foundations Benchmark v5.0.0: `controls --benchmark cis-5.0` lists every v5.0.0 control (63) under its v5
number with a verdict judged from the Terraform, and Security Hub can subscribe to the v5.0.0 standard."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

from baselinegen import api
from baselinegen.controls.catalog import controls_of
from conftest import EXAMPLES

ACME = EXAMPLES / "acme.yaml"


def _report(path):
    return {r.id: r for r in api.controls(path, "cis-5.0").results}


def test_every_v5_control_is_listed_once_in_the_benchmarks_order():
    ids = [cid for cid, _ in controls_of("cis-5.0")]
    assert len(ids) == 63 and len(set(ids)) == 63
    assert ids[:3] == ["1.1", "1.2", "1.3"] and ids[20] == "1.21" and ids[-1] == "5.7"
    assert [i for i in ids if i.startswith("2.")] == ["2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.2.1", "2.2.2", "2.2.3", "2.2.4", "2.3.1"]
    assert [i for i in ids if i.startswith("5.")] == ["5.1.1", "5.1.2", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7"]


def test_v5_renumbers_section_one_down_by_one_and_moves_ebs_to_5_1_1():
    titles = {cid: c.title for cid, c in controls_of("cis-5.0")}
    assert titles["1.3"] == "No root user access key exists"  # 1.4 in v3.0.0: security questions are gone
    assert titles["1.7"] == "Password policy requires a minimum length of 14 or more"
    assert titles["1.19"] == "IAM Access Analyzer is enabled for all regions"
    assert titles["5.1.1"] == "EBS volume encryption is enabled in all regions"
    assert "Security questions are registered for the root user" not in titles.values()


def test_a_weaker_password_policy_changes_v5_1_7_and_only_the_password_ids(tmp_path):
    data = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    data["iam"]["password_policy"]["minimum_length"] = 8
    weak = tmp_path / "acme.yaml"
    weak.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before, after = _report(ACME), _report(weak)
    changed = sorted(cid for cid in before if before[cid].verdict.status != after[cid].verdict.status)
    assert changed == ["1.7"]
    assert (before["1.7"].verdict.status, after["1.7"].verdict.status) == ("covered", "partial")


def test_v5_4_10_asks_for_modify_security_group_rules_which_the_v3_pattern_lacks():
    verdict = _report(ACME)["4.10"].verdict
    assert (verdict.status, verdict.key) == ("partial", "monitoring.alarms.benchmark")
    assert verdict.detail == ("alarm `security-group-changes` uses the pattern of monitoring.alarms.benchmark `cis-1.4`, not the "
                              "cis-5.0 one: set monitoring.alarms.benchmark to cis-5.0")
    assert _report(ACME)["4.3"].verdict.status == "covered"


def test_the_cli_takes_cis_5_0_and_json_carries_the_v5_ids():
    result = subprocess.run([sys.executable, "-m", "baselinegen", "controls", str(ACME), "--benchmark", "cis-5.0", "--format", "json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["benchmark"], report["title"], len(report["controls"])) == ("cis-5.0", "CIS AWS Foundations Benchmark v5.0.0", 63)


def test_security_hub_subscribes_the_v5_standard_by_its_regional_arn(tmp_path):
    data = yaml.safe_load(ACME.read_text(encoding="utf-8"))
    data["detection"]["security_hub"]["standards"] = ["aws-foundational", "cis-5.0"]
    data["detection"]["security_hub"]["disabled_controls"][0]["standards"] = ["aws-foundational", "cis-5.0"]
    path = tmp_path / "acme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    api.render(path, tmp_path / "out")
    text = (tmp_path / "out" / "modules" / "detection" / "security_hub.tf").read_text(encoding="utf-8")
    assert '"cis-5.0"          = "arn:${local.partition}:securityhub:<region>::standards/cis-aws-foundations-benchmark/v/5.0.0"' in text
