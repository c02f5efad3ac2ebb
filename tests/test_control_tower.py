"""Control Tower mode (``organization.control_tower: true``, examples/acme-control-tower.yaml): the baseline coexists with
an AWS Control Tower landing zone. No trail and no Config recorder where Control Tower records (every account but the
management account), the alarms on Control Tower's log group, Control Tower's trusted access kept, its execution role
exempt from the service control policies; what conflicts with the mode is refused with its location; the controls
report says which CIS controls rely on Control Tower; the review says what switching the mode changes hands. Terraform
and checkov: tests/test_control_tower_terraform.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.controls import assess, format_report
from baselinegen.pipeline import check_profile
from baselinegen.validate.hclcheck import parse_files, resource_bodies, unquote

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE = EXAMPLES / "acme-control-tower.yaml"
TEXT = EXAMPLE.read_text(encoding="utf-8")
ACCOUNTS = ("management", "log-archive", "audit", "payments-prod")


def _edited(*replacements: tuple[str, str]) -> str:
    text = TEXT
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    problems, _ = check_profile(path)
    return [f"{p.location.line}:{p.location.column}: {p.path}: {p.message} [{p.code}]" for p in problems]


@pytest.fixture(scope="module")
def profile():
    return api.load_profile(EXAMPLE).profile


@pytest.fixture(scope="module")
def rendered(profile):
    result = api.render_tree(profile)
    api.verify(result, profile)  # the invariants hold, Control Tower's branches included
    return result


@pytest.fixture(scope="module")
def files(rendered):
    return {f.path: f.content for f in rendered.files}


@pytest.fixture(scope="module")
def parsed(rendered):
    result, failures = parse_files(rendered.files)
    assert failures == []
    return result


def _module_call(parsed, account: str, module: str) -> dict:
    calls = {unquote(name): body for call in parsed[f"accounts/{account}/main.tf"]["module"] for name, body in call.items()}
    return {key: unquote(value) if isinstance(value, str) else value for key, value in calls[module].items()}


def test_the_example_validates_without_warnings(tmp_path):
    assert _problems(tmp_path, TEXT) == []


def test_no_trail_is_rendered_and_the_log_archive_keeps_only_the_management_accounts_config_bucket(files, parsed):
    assert not any(path.startswith("modules/cloudtrail/") for path in files)
    assert not any('module "cloudtrail"' in files[f"accounts/{a}/main.tf"] for a in ACCOUNTS)
    buckets = resource_bodies(parsed, "modules/log_archive", "resource", "aws_s3_bucket")
    assert {name: unquote(body["bucket"]) for name, body in buckets.items()} == {"config": "acme-config-200000000002"}


def test_only_the_management_account_creates_a_config_recorder_and_every_account_gets_the_rules(parsed):
    assert {a: _module_call(parsed, a, "config")["create_recorder"] for a in ACCOUNTS} == {
        "management": True, "log-archive": False, "audit": False, "payments-prod": False}
    for type_ in ("aws_config_configuration_recorder", "aws_config_delivery_channel", "aws_config_configuration_recorder_status"):
        assert resource_bodies(parsed, "modules/config", "resource", type_)["this"]["for_each"] == \
            "${var.create_recorder ? var.regions : toset([])}"
    assert resource_bodies(parsed, "modules/config", "resource", "aws_config_config_rule")["this"]["for_each"] == "${local.rules_by_region}"


def test_the_alarms_watch_control_towers_log_group_and_no_config_aggregator_is_rendered(files, parsed):
    assert _module_call(parsed, "management", "monitoring")["log_group_name"] == "aws-controltower/CloudTrailLogs"
    assert "aws_config_configuration_aggregator" not in files["modules/detection/organization.tf"]


def test_the_organisation_keeps_control_towers_trusted_access_and_registers_no_config_administrator(parsed):
    organization = resource_bodies(parsed, "modules/governance", "resource", "aws_organizations_organization")["this"]
    assert [unquote(p) for p in organization["aws_service_access_principals"]] == [
        "access-analyzer.amazonaws.com", "cloudtrail.amazonaws.com", "config.amazonaws.com", "controltower.amazonaws.com",
        "guardduty.amazonaws.com", "inspector2.amazonaws.com", "securityhub.amazonaws.com", "sso.amazonaws.com"]
    delegated = resource_bodies(parsed, "modules/governance", "resource", "aws_organizations_delegated_administrator")
    assert "config" not in json.dumps(delegated)


def test_the_guardrails_exempt_control_towers_execution_role_next_to_the_deployment_role(tmp_path):
    path = tmp_path / "acme-control-tower.yaml"
    path.write_text(_edited(("  deployment_role: AWSControlTowerExecution\n", "")), encoding="utf-8")
    files = {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}
    policies = files["modules/governance/policies.tf"]
    exempt = '["arn:aws:iam::*:role/OrganizationAccountAccessRole", "arn:aws:iam::*:role/AWSControlTowerExecution"]'
    assert policies.count("ArnNotLike") == policies.count(exempt) > 0
    assert ("changed only by the deployment role and Control Tower's AWSControlTowerExecution, no root user."
            in files["modules/governance/main.tf"])


def test_with_control_towers_role_as_deployment_role_it_is_exempt_once(files):
    assert '["arn:aws:iam::*:role/AWSControlTowerExecution"]' in files["modules/governance/policies.tf"]
    assert "OrganizationAccountAccessRole" not in files["modules/governance/policies.tf"]


@pytest.mark.parametrize("name,replacements,expected", [
    ("no accounts", None, ["6:18: organization.control_tower: AWS Control Tower governs an organisation: list its accounts "
                           "(accounts), or remove control_tower [E390]"]),
    ("no audit account", [("    role: security\n", "    role: workload\n"),
                          ("    deny_root_user: true\n", "    deny_root_user: true\n  root_access: centralized\n")], [
        "16:18: organization.control_tower: Control Tower's landing zone has an Audit account: list it in accounts with "
        "role: security [E394]"]),
    ("the management account adopts a trail", [("    adopt: [config] ", "    adopt: [config, cloudtrail] ")], [
        "27:21: accounts[0].adopt[1]: Control Tower's organisation trail `aws-controltower-BaselineCloudTrail` records every "
        "account: the baseline renders no trail to adopt in Control Tower mode; remove it [E391]"]),
    ("a member account adopts config", [("    description: The payments application, production.\n",
                                         "    description: The payments application, production.\n    adopt: [config]\n")], [
        "40:13: accounts[3].adopt[0]: Control Tower's recorder `aws-controltower-BaselineConfigRecorder` records this "
        "account: the baseline renders only its rules here, nothing to adopt; remove it [E392]"]),
    ("data events and trail settings", [("config:\n  kms_key: logs\n", "logging:\n  cloudtrail:\n    log_file_validation: true\n"
                                         "    data_events: {lambda: true}\n\nconfig:\n  kms_key: logs\n")], [
        "80:26: logging.cloudtrail.log_file_validation: no effect in Control Tower mode: Control Tower's trail "
        "`aws-controltower-BaselineCloudTrail`, its log group `aws-controltower/CloudTrailLogs` and its log archive bucket "
        "decide this; remove it [W444]",
        "81:18: logging.cloudtrail.data_events: Control Tower's trail `aws-controltower-BaselineCloudTrail` records management "
        "events only, and Control Tower mode renders no second trail: remove data_events (CIS 3.10 and 3.11 then rely on an "
        "S3 data-events trail of your own) or turn control_tower off [E393]"]),
    ("no config, and the region restriction", [("    adopt: [config] ", "    adopt: [] "),
                                               ("config:\n  kms_key: logs\n", "config:\n  enabled: false\n  kms_key: logs\n"),
                                               ("    deny_root_user: true\n", "    deny_root_user: true\n    restrict_regions: true\n")], [
        "79:12: config.enabled: Control Tower does not record the management account: with config.enabled: false no "
        "recorder records it (CIS 3.5 / 3.3) [W445]",
        "79:12: config.enabled: Security Hub (detection.security_hub) evaluates its controls with AWS Config rules: with AWS "
        "Config off most of its checks have no data [W413]",
        "100:23: governance.service_control_policies.restrict_regions: Control Tower's Region deny control restricts Regions "
        "too: its governed Regions must include every Region of organization.regions, or its deny blocks the baseline there "
        "[W446]"]),
])
def test_what_conflicts_with_control_tower_mode_is_reported_where_it_is_written(tmp_path, name, replacements, expected):
    text = ("version: 1\norganization:\n  name: acme\n  home_region: eu-west-1\n  regions: [eu-west-1]\n  control_tower: true\n"
            "state: {bucket: acme-state}\nmonitoring:\n  topic: {email: [soc@acme.example]}\n") if replacements is None else _edited(*replacements)
    assert [p for p in _problems(tmp_path, text) if re.search(r"\[(E39\d|W44[3-6]|W413)\]$", p)] == expected


def test_control_tower_mode_keeps_the_policy_type_of_control_towers_rcp_based_controls(parsed):
    organization = resource_bodies(parsed, "modules/governance", "resource", "aws_organizations_organization")["this"]
    assert [unquote(t) for t in organization["enabled_policy_types"]] == ["RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY"]


def test_keeping_the_rcp_type_by_hand_in_control_tower_mode_is_warned_as_kept_anyway(tmp_path):
    lines = _problems(tmp_path, _edited(("  control_tower: true ", "  control_tower: true "),
                                        ("governance:\n", "governance:\n  keep_policy_types: [RESOURCE_CONTROL_POLICY]\n")))
    assert [line.split(": ", 1)[1] for line in lines] == [
        "governance.keep_policy_types[0]: 'RESOURCE_CONTROL_POLICY' is enabled anyway (Control Tower mode keeps it for "
        "Control Tower's RCP-based controls); remove it here [W451]"]


def test_keeping_a_principal_control_tower_mode_keeps_anyway_is_warned_once(tmp_path):
    lines = _problems(tmp_path, _edited(("  control_tower: true ", "  keep_service_access: [controltower.amazonaws.com]\n  control_tower: true ")))
    assert lines == ["16:25: organization.keep_service_access[0]: 'controltower.amazonaws.com' is already enabled because AWS "
                     "Control Tower (organization.control_tower) detects drift and tracks account and OU changes; remove it "
                     "here [W443]"]


def test_the_controls_report_says_which_cis_controls_rely_on_control_tower(profile, parsed):
    report = assess(profile, parsed, "cis-1.4")
    relying = {r.id: r.verdict.detail for r in report.results if r.verdict.status == "relies on Control Tower"}
    assert sorted(relying) == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"]
    assert relying["3.4"] == ("Control Tower's organisation trail `aws-controltower-BaselineCloudTrail` delivers to "
                              "`aws-controltower/CloudTrailLogs` in the management account; the CIS alarms watch that log group")
    verdicts = {r.id: r.verdict.status for r in report.results}
    assert (verdicts["3.10"], verdicts["4.3"], verdicts["4.5"]) == ("off", "covered", "covered")
    assert json.loads(format_report(report, "json"))["counts"]["relies on Control Tower"] == 7
    v3 = {r.id: r.verdict.status for r in assess(profile, parsed, "cis-3.0").results}
    assert [v3[i] for i in ("3.1", "3.2", "3.3", "3.4", "3.5")] == ["relies on Control Tower"] * 5


def test_a_report_without_control_tower_counts_no_such_verdict():
    profile = api.load_profile(EXAMPLES / "acme-org.yaml").profile
    report = api.render_tree(profile).controls
    assert "relies on Control Tower" not in json.loads(format_report(report, "json"))["counts"]


def _review(tmp_path, old_text: str, new_text: str) -> list[str]:
    from baselinegen.review import build_review

    trees = []
    for name, text in (("old", old_text), ("new", new_text)):
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "acme-control-tower.yaml").write_text(text, encoding="utf-8")
        trees.append({f.path: f.content for f in api.render_tree(api.load_profile(tmp_path / name / "acme-control-tower.yaml").profile).files})
    return [c.text for c in build_review(*trees).summary]


OFF = _edited(("  control_tower: true ", "  control_tower: false"),
              ("services: [config, sns]", "services: [cloudtrail, cloudwatch-logs, config, sns]"))
ON_LINE = ("organisation: Control Tower mode on — the baseline's organisation trail and the Config recorders of "
           "`audit`, `log-archive`, `payments-prod` are removed; Control Tower's trail `aws-controltower-BaselineCloudTrail` "
           "and recorders `aws-controltower-BaselineConfigRecorder` record instead, with the landing zone's settings, which "
           "the profile no longer decides; the CIS alarms watch `aws-controltower/CloudTrailLogs` and the service control "
           "policies exempt `AWSControlTowerExecution` (weaker)")
OFF_LINE = ("organisation: Control Tower mode off — the baseline creates its own organisation trail and Config recorders in "
            "`audit`, `log-archive`, `payments-prod` too; remove Control Tower's recorders there first (AWS Config allows "
            "one per account and Region) and decommission its landing zone's trail (stronger)")


def test_switching_control_tower_mode_on_says_what_changes_hands_once(tmp_path):
    lines = _review(tmp_path, OFF, TEXT)
    assert lines.count(ON_LINE) == 1 and OFF_LINE not in lines
    assert not [line for line in lines if "input `create_recorder`" in line or "input `log_group_name`" in line]
    assert "account `management`: module `cloudtrail` removed (CloudTrail trail, CloudWatch Logs group, IAM role, IAM role policy)" in lines
    assert "organisation: trusted access for `controltower.amazonaws.com` added — that service may act in every account" in lines


def test_the_review_benchmark_block_names_the_controls_that_now_rely_on_control_tower(tmp_path):
    from baselinegen.review import build_review

    trees = []
    for name, text in (("old", OFF), ("new", TEXT)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "acme-control-tower.yaml").write_text(text, encoding="utf-8")
        trees.append({f.path: f.content for f in api.render_tree(api.load_profile(tmp_path / name / "acme-control-tower.yaml").profile).files})
    benchmark = build_review(*trees).benchmark
    # "relies on Control Tower" sits between partial and covered (review/direction.py): the profile no longer decides
    assert [line.partition(": ")[2] for line in benchmark] == ["covered → relies on Control Tower (weaker)"] * 4 + [
        "partial → relies on Control Tower (stronger)"] + ["covered → relies on Control Tower (weaker)"] * 2
    assert benchmark[0] == "CIS 3.1 CloudTrail is enabled in all regions: covered → relies on Control Tower (weaker)"
    back = build_review(*reversed(trees)).benchmark
    assert back[0] == "CIS 3.1 CloudTrail is enabled in all regions: relies on Control Tower → covered (stronger)"
    assert back[4].startswith("CIS 3.5 AWS Config is enabled in all regions: relies on Control Tower → partial (weaker) — ")
    assert sum(line.endswith("→ covered (stronger)") for line in back) == 6


def test_switching_control_tower_mode_off_is_the_stronger_side(tmp_path):
    lines = _review(tmp_path, TEXT, OFF)
    assert lines.count(OFF_LINE) == 1 and ON_LINE not in lines
    assert "account `management`: module `cloudtrail` added (CloudTrail trail, CloudWatch Logs group, IAM role, IAM role policy)" in lines


def test_an_unrelated_change_says_nothing_about_control_tower(tmp_path):
    lines = _review(tmp_path, TEXT, _edited(("    benchmark: cis-1.4\n", "    benchmark: cis-1.4\n    exclude: [vpc-changes]\n")))
    assert not [line for line in lines if "Control Tower mode" in line]


def test_the_generated_readme_says_what_control_tower_mode_changes(files):
    readme = files["README.md"]
    section = readme[readme.index("## Control Tower mode"):readme.index("## CIS controls")]
    assert "Control Tower's recorder `aws-controltower-BaselineConfigRecorder` records log-archive, audit, payments-prod" in section
    assert "log archive bucket `aws-controltower-logs-200000000002-ap-northeast-1`" in section
    assert "| 3.1 | CloudTrail is enabled in all regions | 🗼 relies on Control Tower |" in readme
    assert "## Control Tower mode" not in {f.path: f.content for f in api.render_tree(api.load_profile(EXAMPLES / "acme-org.yaml").profile).files}["README.md"]


def test_an_account_control_tower_does_not_enrol_gets_the_baselines_recorder(tmp_path):
    path = tmp_path / "acme-control-tower.yaml"
    path.write_text(_edited(("    description: The payments application, production.\n",
                             "    description: The payments application, production.\n    control_tower: false\n"
                             "    adopt: [config]                  # its own recorder, set up by hand\n")), encoding="utf-8")
    profile = api.load_profile(path).profile
    result = api.render_tree(profile)
    api.verify(result, profile)
    parsed, failures = parse_files(result.files)
    assert failures == [] and {a: _module_call(parsed, a, "config")["create_recorder"] for a in ACCOUNTS} == {
        "management": True, "log-archive": False, "audit": False, "payments-prod": True}
    readme = {f.path: f.content for f in result.files}["README.md"]
    assert "the accounts Control Tower does not enrol (`accounts[].control_tower: false`): payments-prod." in readme


@pytest.mark.parametrize("text,expected", [
    (TEXT.replace("    role: management\n", "    role: management\n    control_tower: false\n", 1),
     ["26:20: accounts[0].control_tower: Control Tower never enrols its management account (the baseline records it "
      "anyway): remove it [E395]"]),
    (TEXT.replace("  control_tower: true ", "  control_tower: false").replace(
        "services: [config, sns]", "services: [cloudtrail, cloudwatch-logs, config, sns]").replace(
        "    role: workload\n", "    role: workload\n    control_tower: false\n", 1),
     ["39:20: accounts[3].control_tower: only in Control Tower mode (organization.control_tower: true): remove it [E395]"]),
])
def test_an_accounts_control_tower_key_is_refused_where_it_means_nothing(tmp_path, text, expected):
    assert [p for p in _problems(tmp_path, text) if "[E3" in p] == expected


def test_enrolling_an_account_or_taking_it_out_is_one_line_for_that_account(tmp_path):
    unenrolled = _edited(("    description: The payments application, production.\n",
                          "    description: The payments application, production.\n    control_tower: false\n"))
    taken_out = _review(tmp_path / "out", TEXT, unenrolled)
    assert taken_out == ["account `payments-prod`: no longer enrolled in Control Tower — the baseline's Config recorder is "
                         "created in its Regions (stronger)"]
    enrolled = _review(tmp_path / "in", unenrolled, TEXT)
    assert enrolled == ["account `payments-prod`: enrolled in Control Tower — the baseline's Config recorder is removed, "
                        "Control Tower's `aws-controltower-BaselineConfigRecorder` records the account with the landing "
                        "zone's settings (weaker)"]


def test_service_control_policy_presets_exempt_control_towers_execution_role_too(tmp_path):
    path = tmp_path / "acme-control-tower.yaml"
    path.write_text(_edited(("  deployment_role: AWSControlTowerExecution\n", ""),
                            ("    deny_root_user: true\n", "    deny_root_user: true\n  policies:\n"
                             "    - {name: tokyo, type: scp, preset: restrict-regions, attach: [root]}\n"
                             "    - {name: keep-services, type: scp, preset: protect-security-services, attach: [root]}\n")),
                    encoding="utf-8")
    policies = {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}["modules/governance/organization_policies.tf"]
    exempt = [line.strip() for line in policies.splitlines() if '"aws:PrincipalArn"' in line]
    # the Region restriction's one statement and protect-security-services' five
    assert exempt == ['"aws:PrincipalArn" = ["arn:aws:iam::*:role/OrganizationAccountAccessRole", '
                      '"arn:aws:iam::*:role/AWSControlTowerExecution"]'] * 6


@pytest.mark.parametrize("line,expected", [
    ("  controltower: true\n", "6:3: organization.controltower: unknown key (did you mean 'control_tower'?); allowed keys here: "
                               "control_tower, deployment_role, home_region, id, keep_service_access, name, regions, tags, units [E110]"),
    ("  control_tower: yes please\n", "6:18: organization.control_tower: must be true or false, not 'yes please' [E112]"),
])
def test_a_misspelt_or_malformed_control_tower_key_is_located(tmp_path, line, expected):
    text = ("version: 1\norganization:\n  name: acme\n  home_region: eu-west-1\n  regions: [eu-west-1]\n" + line
            + "state: {bucket: acme-state}\nmonitoring:\n  topic: {email: [soc@acme.example]}\n")
    assert _problems(tmp_path, text) == [expected]
