"""The controls report: verdicts judged from the rendered Terraform, per benchmark, in three formats, and in the README."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.controls import BENCHMARKS, CONTROL_BENCHMARKS, format_report
from baselinegen.controls.catalog import controls_of

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "acme.yaml"
ACME_ORG = ROOT / "examples" / "acme-org.yaml"


def _variant(tmp_path: Path, change, source: Path = ACME) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _verdicts(report) -> dict[str, tuple]:
    return {r.id: (r.verdict.status, r.verdict.key, r.verdict.detail, r.verdict.evidence) for r in report.results}


@pytest.fixture(scope="module")
def acme_report():
    return api.controls(ACME)


def test_each_benchmark_lists_its_controls_once_in_benchmark_order():
    counts = {b: len(controls_of(b)) for b in BENCHMARKS}
    assert counts == {"cis-1.2": 49, "cis-1.4": 58, "cis-3.0": 62, "cis-5.0": 63}
    for benchmark in CONTROL_BENCHMARKS:
        ids = [cid for cid, _ in controls_of(benchmark)]
        assert len(ids) == len(set(ids))
        assert ids == sorted(ids, key=lambda i: tuple(int(p) for p in i.split(".")))


def test_unknown_benchmark_is_refused():
    with pytest.raises(ValueError, match="unknown benchmark 'cis-9.9'"):
        controls_of("cis-9.9")


def test_acme_verdicts_name_the_resources_that_implement_them(acme_report):
    v = _verdicts(acme_report)
    assert acme_report.counts() == {"covered": 29, "partial": 7, "off": 1, "manual": 18, "not applicable": 3}
    assert v["1.8"] == ("covered", "", "", ("module.iam.aws_iam_account_password_policy.this",))
    assert v["3.1"] == ("covered", "", "", ("module.cloudtrail.aws_cloudtrail.this",))
    assert v["4.3"] == ("covered", "", "", ('module.monitoring.aws_cloudwatch_log_metric_filter.this["root-usage"]',
                                            'module.monitoring.aws_cloudwatch_metric_alarm.this["root-usage"]'))
    assert v["3.11"][:2] == ("off", "logging.cloudtrail.data_events.s3")
    assert v["1.15"][0] == "partial" and "payments-deploy" in v["1.15"][2]
    assert v["1.5"] == ("manual", "", "enable MFA on the root user",
                        ("module.config.aws_config_config_rule.this: Config rule `root-account-mfa-enabled`",))
    assert v["2.3.1"][0] == "not applicable"


def test_excluding_an_alarm_disabling_a_service_and_weakening_the_password_policy_change_exactly_their_controls(tmp_path, acme_report):
    def weaken(data):
        data["monitoring"]["alarms"]["exclude"] = ["root-usage"]
        data["detection"]["access_analyzer"] = {"enabled": False}
        data["iam"]["password_policy"]["minimum_length"] = 8

    after = _verdicts(api.controls(_variant(tmp_path, weaken)))
    before = _verdicts(acme_report)
    changed = {cid for cid in before if before[cid] != after[cid]}
    assert changed == {"1.7", "1.8", "1.20", "4.3"}
    assert after["4.3"][:2] == ("off", "monitoring.alarms.exclude")
    assert after["1.20"][:2] == ("off", "detection.access_analyzer.enabled")
    assert after["1.8"] == ("partial", "iam.password_policy.minimum_length", "iam.password_policy.minimum_length is 8; CIS asks for 14 or more",
                            ("module.iam.aws_iam_account_password_policy.this",))
    assert after["1.7"] == ("manual", "", "do not use the root user for daily or administrative tasks", ())


def test_turning_off_config_and_the_trail_turns_off_what_depends_on_them(tmp_path, acme_report):
    def turn_off(data):
        data["config"] = {"enabled": False}
        data.pop("adopt")  # adopting the Config recorder of a profile without Config is E281
        data["logging"]["cloudtrail"]["enabled"] = False
        data["monitoring"]["alarms"]["enabled"] = False

    after = _verdicts(api.controls(_variant(tmp_path, turn_off)))
    assert after["3.5"][:2] == ("off", "config.enabled")
    for cid in ("3.1", "3.2", "3.3", "3.4", "3.6", "3.7", "3.10", "3.11", "4.1", "4.15"):
        assert after[cid][:2] == ("off", "logging.cloudtrail.enabled"), cid
    assert after["1.4"] == ("manual", "", "delete any access key of the root user", ())


def test_an_alarm_topic_without_subscribers_leaves_every_alarm_control_partial(tmp_path):
    path = _variant(tmp_path, lambda d: d["monitoring"]["topic"].pop("email"))
    v = _verdicts(api.controls(path))
    alarm_ids = [f"4.{n}" for n in range(1, 16)]
    assert {v[cid][:2] for cid in alarm_ids} == {("partial", "monitoring.topic.email")}


def test_a_profile_rendered_for_cis_1_4_misses_security_hubs_exact_cis_1_2_strings_only_where_they_differ(acme_report):
    v = _verdicts(api.controls(ACME, "cis-1.2"))
    assert v["3.1"][0] == "partial"
    assert "set monitoring.alarms.benchmark to cis-1.2" in v["3.1"][2]
    assert v["3.3"][0] == "covered"  # the Security Hub string is the same in both


def test_cis_3_0_accepts_the_security_hub_spelling_of_the_same_pattern():
    v = _verdicts(api.controls(ACME, "cis-3.0"))
    assert {v[f"4.{n}"][0] for n in range(1, 16)} == {"covered"}
    assert v["4.16"][0] == "partial" and "organization.regions" in v["4.16"][2]


def test_verdicts_are_read_from_the_rendered_files_not_the_profile():
    profile = api.load_profile(ACME).profile
    files = api.render_tree(profile).files
    tampered = [f if f.path != "modules/cloudtrail/main.tf" else
                type(f)(f.path, f.content.replace("enable_log_file_validation    = true", "enable_log_file_validation    = false"), f.mode)
                for f in files]
    assert tampered != files
    before = _verdicts(api.controls_report(profile, files, "cis-1.4"))
    after = _verdicts(api.controls_report(profile, tampered, "cis-1.4"))
    assert {cid for cid in before if before[cid] != after[cid]} == {"3.2"}


REGION_ADVICE = ("add them to organization.regions, or deny them with a Region restriction "
                 "(governance.service_control_policies.restrict_regions, or preset restrict-regions in governance.policies)")


def test_an_organisation_names_the_accounts_and_its_region_restriction_closes_the_region_gap_of_member_accounts_only():
    """The root's region restriction leaves Tokyo and us-east-1 open: payments-staging runs in Tokyo only, and no
    service control policy restricts the management account (issue 21)."""
    v = _verdicts(api.controls(ACME_ORG))
    assert v["2.2.1"] == ("partial", "organization.regions", "Regions open but not covered, by account: management: 15 (ap-northeast-2, "
                                         "ap-northeast-3, ...), the management account, which no service control policy "
                                         f"restricts; payments-staging: 1 (us-east-1): {REGION_ADVICE}",
                          ("module.guards.aws_ebs_encryption_by_default.this (every account)",))
    assert v["3.1"] == ("covered", "", "an organisation trail: every account of the organisation",
                        ("module.cloudtrail.aws_cloudtrail.this (management)",))
    assert v["1.21"][0] == "covered"
    assert v["1.20"] == ("partial", "organization.regions", v["2.2.1"][2],
                         ("module.account_detection.aws_accessanalyzer_analyzer.this (5 accounts)",
                          "module.detection.aws_accessanalyzer_analyzer.this (security)"))


def test_without_region_restriction_an_organisation_reports_the_unlisted_regions(tmp_path):
    path = _variant(tmp_path, lambda d: d["governance"]["service_control_policies"].update(restrict_regions=False), ACME_ORG)
    v = _verdicts(api.controls(path))
    assert v["2.2.1"][0] == "partial"
    assert v["2.2.1"][2].startswith("only in the profile's 2 Region(s); 15 Region(s) AWS enables by default are not covered")
    assert "governance.service_control_policies.restrict_regions" in v["2.2.1"][2]


def test_a_region_restriction_on_a_unit_closes_the_gap_of_its_accounts_only(tmp_path):
    def change(d):
        d["governance"]["service_control_policies"]["restrict_regions"] = False
        d["governance"]["policies"].append({"name": "regions", "type": "scp", "preset": "restrict-regions", "attach": ["Security"]})
    v = _verdicts(api.controls(_variant(tmp_path, change, ACME_ORG)))
    assert v["2.2.1"][2].startswith("Regions open but not covered, by account: identity: 15 (")
    assert "log-archive" not in v["2.2.1"][2] and "; security" not in v["2.2.1"][2]
    assert "management: 15 (ap-northeast-2, ap-northeast-3, ...), the management account" in v["2.2.1"][2]


def test_the_three_formats_say_the_same(acme_report):
    text = format_report(acme_report, "text")
    assert text.splitlines()[0] == ("acme.yaml: CIS AWS Foundations Benchmark v1.4.0: 58 controls: 29 covered, 7 partial, "
                                    "1 turned off, 18 manual, 3 not applicable")
    data = json.loads(format_report(acme_report, "json"))
    assert data["counts"] == acme_report.counts() and len(data["controls"]) == 58
    assert data["controls"][0] == {"id": "1.1", "title": "Maintain current contact details", "verdict": "manual", "key": None,
                                   "evidence": [], "detail": acme_report.results[0].verdict.detail,
                                   "other_versions": {"cis-1.2": "1.17", "cis-3.0": "1.1", "cis-5.0": "1.1", "cis-6.0": "2.1", "cis-7.0": "2.2"}}
    rows = [line for line in format_report(acme_report, "markdown").splitlines() if line.startswith("| ")]
    assert len(rows) == 58 + 1
    assert "| 3.11 | Object-level logging for read events is enabled for S3 buckets | ⛔ turned off | turned off by `logging.cloudtrail.data_events.s3`" in "\n".join(rows)


def test_the_generated_readme_embeds_the_profiles_benchmark_table(rendered_example, acme_report):
    from baselinegen.controls import markdown_table

    readme = (rendered_example / "README.md").read_text(encoding="utf-8")
    assert markdown_table(acme_report) in readme


def test_every_cis_id_the_readme_claims_is_covered_or_partial():
    for source in (ACME, ACME_ORG):
        profile = api.load_profile(source).profile
        result = api.render_tree(profile)
        verdicts = {r.id: r.verdict.status for r in result.controls.results}
        readme = next(f.content for f in result.files if f.path == "README.md")
        table = readme.split("## What this baseline sets up", 1)[1].split("## CIS controls", 1)[0]
        claimed = {cid.strip() for line in table.splitlines() if line.startswith("| ") and line.count("|") >= 4
                   for cid in line.split("|")[2].split(",") if cid.strip()[:1].isdigit() and not cid.strip().endswith("x")}
        assert claimed
        assert {cid: verdicts.get(cid) for cid in claimed if verdicts.get(cid) not in ("covered", "partial")} == {}


def _cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "baselinegen", "controls", *args], capture_output=True, text=True)


def test_cli_prints_the_report_in_the_asked_format_and_exits_0(tmp_path):
    result = _cli(str(ACME), "--benchmark", "cis-3.0", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["benchmark"] == "cis-3.0"
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_an_unknown_benchmark_and_a_bad_profile_with_exit_1(tmp_path):
    unknown = _cli(str(ACME), "--benchmark", "cis-2.0")
    assert unknown.returncode == 1
    assert "Invalid value for '--benchmark'" in unknown.stderr and "'cis-2.0'" in unknown.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\norganization: {name: Acme}\n", encoding="utf-8")
    result = _cli(str(bad))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "bad.yaml:2:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("source", [ACME, ACME_ORG, ROOT / "tests" / "fixtures" / "variant.yaml"], ids=lambda p: p.name)
def test_every_verdict_of_every_benchmark_says_why(source):
    profile = api.load_profile(source).profile
    files = api.render_tree(profile).files
    for benchmark in CONTROL_BENCHMARKS:
        for r in api.controls_report(profile, files, benchmark).results:
            v = r.verdict
            assert v.evidence or v.detail, (benchmark, r.id)
            assert v.status not in ("partial", "manual", "not applicable") or v.detail, (benchmark, r.id)
            assert v.status != "off" or (v.key and v.detail), (benchmark, r.id)
