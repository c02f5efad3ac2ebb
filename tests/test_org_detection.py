"""Detection in an organisation: the security account's delegated-administrator module `detection` and the
`account_detection` module of every other account (render_organization of the detection component)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.components.detection.component import COMPONENT
from baselinegen.validate.hclcheck import _parse, unquote

sys.path.insert(0, str(Path(__file__).parent))
from support.provider_schema import validate_terraform_dir  # noqa: E402
from support.checkov_run import run_checkov

ACME_ORG = Path(__file__).resolve().parent.parent / "examples" / "acme-org.yaml"
REGIONS = ["ap-northeast-1", "us-east-1"]


def _profile(tmp_path: Path, **detection_overrides):
    """examples/acme-org.yaml with detection sub-sections replaced (and config.enabled through ``config_enabled``)."""
    data = yaml.safe_load(ACME_ORG.read_text())
    config_enabled = detection_overrides.pop("config_enabled", True)
    data["detection"].update(detection_overrides)
    data["config"]["enabled"] = config_enabled
    path = tmp_path / "acme-org.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return api.load_profile(path).profile


def _modules(profile) -> dict:
    return {out.module.name: out for out in COMPONENT.render_organization(profile)}


def _files(out) -> dict[str, str]:
    return {f.path.rsplit("/", 1)[1]: f.content for f in out.files}


def _resources(text: str) -> dict[tuple[str, str], dict]:
    parsed = _parse(text)
    return {(t[1:-1], n[1:-1]): body for entry in parsed.get("resource", []) for t, inner in entry.items() for n, body in inner.items()}


def _locals(text: str) -> dict:
    return {k: v for entry in _parse(text).get("locals", []) for k, v in entry.items()}


@pytest.fixture(scope="module")
def acme_org():
    return _modules(api.load_profile(ACME_ORG).profile)


# Placement and module calls ------------------------------------------------------------------------

def test_the_delegated_admin_module_is_placed_in_the_security_account_and_the_analyzer_module_everywhere_else(acme_org):
    assert sorted(acme_org) == ["account_detection", "detection"]
    assert acme_org["detection"].placement == frozenset({"security"})
    assert acme_org["account_detection"].placement == frozenset({"management", "log-archive", "workload"})
    assert acme_org["detection"].module.inputs == (("regions", "local.regions"), ("kms_key_arn", 'module.kms.key_arns["logs"]'))
    assert acme_org["account_detection"].module.inputs == (("regions", "local.regions"),)
    assert acme_org["detection"].module.source == "./modules/detection"
    assert acme_org["account_detection"].module.source == "./modules/account_detection"


def test_security_module_has_the_single_account_services_plus_the_organisation_files(acme_org):
    assert list(_files(acme_org["detection"])) == [
        "main.tf", "guardduty.tf", "security_hub.tf", "automation_rules.tf", "inspector.tf", "findings.tf", "organization.tf", "security_hub_organization.tf",
        "members.tf", "findings_topic.tf", "policies.tf",
        "variables.tf", "outputs.tf", "versions.tf", "README.md"]
    assert list(_files(acme_org["account_detection"])) == ["main.tf", "malware_s3.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"]


# Organisation configuration -------------------------------------------------------------------------

def test_organisation_configuration_resources_are_exactly_these_per_region(acme_org):
    resources = _resources(_files(acme_org["detection"])["organization.tf"])
    assert sorted(resources) == [
        ("aws_config_configuration_aggregator", "organization"),
        ("aws_guardduty_organization_configuration", "this"),
        ("aws_guardduty_organization_configuration_feature", "runtime_monitoring"),
        ("aws_guardduty_organization_configuration_feature", "this"),
        ("aws_iam_role", "config_aggregator"),
        ("aws_iam_role_policy_attachment", "config_aggregator"),
        ("aws_inspector2_organization_configuration", "this"),
    ]
    regional = [key for key, body in resources.items() if body.get("for_each") == "${var.regions}"]
    assert sorted(regional) == [
        ("aws_guardduty_organization_configuration", "this"), ("aws_guardduty_organization_configuration_feature", "runtime_monitoring"),
        ("aws_inspector2_organization_configuration", "this")]
    guardduty = resources[("aws_guardduty_organization_configuration", "this")]
    assert unquote(guardduty["auto_enable_organization_members"]) == "ALL"
    assert guardduty["detector_id"] == "${aws_guardduty_detector.this[each.value].id}"
    inspector = resources[("aws_inspector2_organization_configuration", "this")]["auto_enable"][0]
    assert {k: v for k, v in inspector.items() if not k.startswith("__")} == {"ec2": True, "ecr": True, "lambda": True, "lambda_code": False}


def test_members_get_exactly_the_security_accounts_protection_plans(acme_org):
    text = _files(acme_org["detection"])["organization.tf"]
    features = _locals(text)["guardduty_organization_features"]
    assert {unquote(k): unquote(v) for k, v in features.items()} == {
        "S3_DATA_EVENTS": "ALL", "EKS_AUDIT_LOGS": "ALL", "EBS_MALWARE_PROTECTION": "ALL", "RDS_LOGIN_EVENTS": "ALL", "LAMBDA_NETWORK_LOGS": "ALL"}
    feature = _resources(text)[("aws_guardduty_organization_configuration_feature", "this")]
    assert feature["for_each"] == "${local.guardduty_detector_features}"  # the same (Region, plan) pairs as the detector's
    runtime = _resources(text)[("aws_guardduty_organization_configuration_feature", "runtime_monitoring")]
    assert unquote(runtime["auto_enable"]) == "NONE"
    assert [(unquote(c["name"]), unquote(c["auto_enable"])) for c in runtime["additional_configuration"]] == [
        ("EC2_AGENT_MANAGEMENT", "NONE"), ("ECS_FARGATE_AGENT_MANAGEMENT", "NONE"), ("EKS_ADDON_MANAGEMENT", "NONE")]


def test_runtime_monitoring_and_agents_reach_members_when_the_profile_turns_them_on(tmp_path):
    guardduty = {"features": ["s3-data-events", "runtime-monitoring"], "runtime_agents": ["eks"], "notify_severity": "high"}
    text = _files(_modules(_profile(tmp_path, guardduty=guardduty))["detection"])["organization.tf"]
    features = {unquote(k): unquote(v) for k, v in _locals(text)["guardduty_organization_features"].items()}
    assert features == {"S3_DATA_EVENTS": "ALL", "EKS_AUDIT_LOGS": "NONE", "EBS_MALWARE_PROTECTION": "NONE",
                        "RDS_LOGIN_EVENTS": "NONE", "LAMBDA_NETWORK_LOGS": "NONE"}
    runtime = _resources(text)[("aws_guardduty_organization_configuration_feature", "runtime_monitoring")]
    assert unquote(runtime["auto_enable"]) == "ALL"
    assert [(unquote(c["name"]), unquote(c["auto_enable"])) for c in runtime["additional_configuration"]] == [
        ("EC2_AGENT_MANAGEMENT", "NONE"), ("ECS_FARGATE_AGENT_MANAGEMENT", "NONE"), ("EKS_ADDON_MANAGEMENT", "ALL")]


def test_config_aggregator_covers_every_region_through_the_organizations_role_in_the_home_region(acme_org):
    resources = _resources(_files(acme_org["detection"])["organization.tf"])
    aggregator = resources[("aws_config_configuration_aggregator", "organization")]
    assert unquote(aggregator["name"]) == "acme-organization"
    assert aggregator["region"] == "${local.home_region}"
    source = aggregator["organization_aggregation_source"][0]
    assert (source["all_regions"], source["role_arn"]) == (True, "${aws_iam_role.config_aggregator.arn}")
    attachment = resources[("aws_iam_role_policy_attachment", "config_aggregator")]
    assert unquote(attachment["policy_arn"]) == "arn:${local.partition}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"
    role = resources[("aws_iam_role", "config_aggregator")]
    assert (unquote(role["name"]), unquote(role["path"])) == ("acme-config-aggregator", "/baseline/")
    policies = _files(acme_org["detection"])["policies.tf"]
    assert 'identifiers = ["config.amazonaws.com"]' in policies


def test_security_hub_finding_aggregator_stays_in_the_home_region(acme_org):
    aggregator = _resources(_files(acme_org["detection"])["security_hub.tf"])[("aws_securityhub_finding_aggregator", "this")]
    assert aggregator["region"] == "${local.home_region}"


# Analyzers ------------------------------------------------------------------------------------------

def test_security_account_has_an_organization_analyzer_and_every_other_account_an_account_analyzer(acme_org):
    org = _resources(_files(acme_org["detection"])["main.tf"])[("aws_accessanalyzer_analyzer", "this")]
    assert (unquote(org["type"]), unquote(org["analyzer_name"])) == (
        "ORGANIZATION", '${lookup(var.analyzer_names, each.value, "acme-organization-${each.value}")}')  # adopted analyzers keep their names
    account = _resources(_files(acme_org["account_detection"])["main.tf"])
    assert list(account) == [("aws_accessanalyzer_analyzer", "this")]  # nothing for GuardDuty, Security Hub, Inspector
    analyzer = account[("aws_accessanalyzer_analyzer", "this")]
    assert (unquote(analyzer["type"]), unquote(analyzer["analyzer_name"]), analyzer["for_each"]) == (
        "ACCOUNT", '${lookup(var.analyzer_names, each.value, "acme-${each.value}")}', "${var.regions}")


# Findings topic ---------------------------------------------------------------------------------------

def test_findings_go_to_the_security_accounts_own_encrypted_topic(acme_org):
    files = _files(acme_org["detection"])
    resources = _resources(files["findings_topic.tf"])
    assert sorted(resources) == [("aws_sns_topic", "findings"), ("aws_sns_topic_policy", "findings"), ("aws_sns_topic_subscription", "email")]
    topic = resources[("aws_sns_topic", "findings")]
    assert (unquote(topic["name"]), topic["kms_master_key_id"], topic["region"]) == ("acme-security-alarms", "${var.kms_key_arn}", "${local.home_region}")
    subscription = resources[("aws_sns_topic_subscription", "email")]
    assert subscription["for_each"] == '${toset(["platform-oncall@acme.example", "security-alerts@acme.example"])}'
    assert unquote(subscription["protocol"]) == "email"
    target = _resources(files["guardduty.tf"])[("aws_cloudwatch_event_target", "guardduty_findings_topic")]
    assert target["arn"] == "${aws_sns_topic.findings.arn}"
    rule = _resources(files["guardduty.tf"])[("aws_cloudwatch_event_rule", "guardduty_findings")]
    assert rule["for_each"] == "${var.regions}"
    assert "numeric = [\">=\", 4]" in files["guardduty.tf"]  # medium: severity 4.0 or higher, as in single-account mode
    assert 'variable "kms_key_arn"' in files["variables.tf"] and "alarm_topic_arn" not in files["variables.tf"]


def test_only_this_accounts_eventbridge_rules_may_publish_to_the_findings_topic(acme_org):
    policies = _files(acme_org["detection"])["policies.tf"]
    topic_policy = policies[policies.index('data "aws_iam_policy_document" "findings_topic"'):]
    topic_policy = topic_policy[:topic_policy.index("\n}\n")]
    assert [unquote(s) for s in re.findall(r'sid += (".*")', topic_policy)] == ["EventBridgeRulesPublish", "DenyPublishFromAnyoneElse"]
    assert "cloudwatch.amazonaws.com" not in topic_policy
    assert 'values   = ["events.amazonaws.com"]' in topic_policy


# Absent when off ----------------------------------------------------------------------------------

def test_without_access_analyzer_the_account_module_is_absent_and_the_security_account_has_no_analyzer(tmp_path):
    guardduty = dict(yaml.safe_load(ACME_ORG.read_text())["detection"]["guardduty"], malware_protection_s3=[])  # its other module file
    modules = _modules(_profile(tmp_path, access_analyzer={"enabled": False}, guardduty=guardduty))
    assert sorted(modules) == ["detection"]
    assert "aws_accessanalyzer_analyzer" not in _files(modules["detection"])["main.tf"]


def test_guardduty_off_leaves_no_organisation_configuration_topic_or_key_input(tmp_path):
    # Security Hub's findings would still need the topic: this test is about GuardDuty alone
    out = _modules(_profile(tmp_path, guardduty={"enabled": False}, security_hub={"notify_severity": "none"},
                            inspector={"resource_types": ["ec2", "ecr", "lambda"], "notify_severity": "none"}, access_analyzer={"notify": "none"}))["detection"]
    files = _files(out)
    assert "guardduty.tf" not in files and "findings_topic.tf" not in files
    assert "aws_guardduty" not in files["organization.tf"]
    assert out.module.inputs == (("regions", "local.regions"),)
    assert "kms_key_arn" not in files["variables.tf"]


def test_no_notifications_leave_no_topic(tmp_path):
    out = _modules(_profile(tmp_path, guardduty={"notify_severity": "none"}, security_hub={"notify_severity": "none"},
                            inspector={"resource_types": ["ec2", "ecr", "lambda"], "notify_severity": "none"}, access_analyzer={"notify": "none"}))["detection"]
    assert "findings_topic.tf" not in _files(out)
    assert "aws_sns_topic" not in "".join(_files(out).values())


def test_security_hub_and_inspector_off_leave_no_organisation_configuration_for_them(tmp_path):
    text = _files(_modules(_profile(tmp_path, security_hub={"enabled": False}, inspector={"resource_types": []}))["detection"])["organization.tf"]
    assert sorted(k for k in _resources(text) if "securityhub" in k[0] or "inspector" in k[0]) == []


def test_config_off_leaves_no_aggregator(tmp_path):
    files = _files(_modules(_profile(tmp_path, config_enabled=False))["detection"])
    assert "aggregator" not in files["organization.tf"] and "config_aggregator" not in files["policies.tf"]


def test_every_service_and_config_off_leaves_no_module(tmp_path):
    off = {"access_analyzer": {"enabled": False}, "guardduty": {"enabled": False}, "security_hub": {"enabled": False},
           "inspector": {"resource_types": []}, "ecr_scanning": {"scan_on_push": False}}
    assert _modules(_profile(tmp_path, config_enabled=False, **off)) == {}


def test_basic_ecr_scanning_without_inspector_ecr_runs_in_every_other_account(tmp_path):
    modules = _modules(_profile(tmp_path, access_analyzer={"enabled": False}, inspector={"resource_types": ["ec2"]}))
    resources = _resources(_files(modules["account_detection"])["main.tf"])
    assert list(resources) == [("aws_ecr_registry_scanning_configuration", "this")]
    scanning = resources[("aws_ecr_registry_scanning_configuration", "this")]
    assert unquote(scanning["scan_type"]) == "BASIC" and unquote(scanning["rule"][0]["scan_frequency"]) == "SCAN_ON_PUSH"


# README control rows --------------------------------------------------------------------------------

def test_control_rows_name_the_delegated_admin_and_cis_1_20_for_both_analyzers(acme_org):
    security = {c.what: c for c in acme_org["detection"].controls}
    assert list(security) == ["IAM Access Analyzer (organisation)", "GuardDuty", "Security Hub", "Amazon Inspector",
                              "ECR image scanning", "AWS Config aggregator"]
    assert security["IAM Access Analyzer (organisation)"].cis_ids("cis-1.4") == "1.20"
    assert security["Security Hub"].cis_ids("cis-3.0") == "4.16"
    assert "`acme-security-alarms` (KMS-encrypted with `logs`, 2 e-mail subscribers)" in security["GuardDuty"].how
    analyzer, malware = acme_org["account_detection"].controls
    assert (analyzer.what, analyzer.cis_ids("cis-3.0")) == ("IAM Access Analyzer (every other account)", "1.20")
    assert malware.what.startswith("GuardDuty Malware Protection for S3")


# Terraform gates on a scratch root calling both modules ---------------------------------------------

@pytest.fixture(scope="module")
def scratch_root(tmp_path_factory, acme_org) -> Path:
    root = tmp_path_factory.mktemp("org-detection")
    calls = ['provider "aws" {\n  region = "ap-northeast-1"\n}\n']
    values = {"regions": '["ap-northeast-1", "us-east-1"]', "kms_key_arn": '"arn:aws:kms:ap-northeast-1:300000000003:key/example"'}
    for out in acme_org.values():
        for f in out.files:
            (root / f.path).parent.mkdir(parents=True, exist_ok=True)
            (root / f.path).write_text(f.content)
        inputs = "".join(f"  {name} = {values[name]}\n" for name, _ in out.module.inputs)
        calls.append(f'module "{out.module.name}" {{\n  source = "{out.module.source}"\n\n{inputs}}}\n')
    (root / "main.tf").write_text("\n".join(calls))
    return root


def test_both_modules_are_fmt_canonical(scratch_root, terraform_bin):
    result = subprocess.run([terraform_bin, "fmt", "-check", "-recursive", "modules"], cwd=scratch_root, capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


def test_both_modules_are_valid_against_the_aws_provider_6_schema(scratch_root):
    assert validate_terraform_dir(scratch_root) == []


def test_checkov_finds_nothing_and_nothing_is_accepted(scratch_root, checkov_bin, acme_org):
    report = run_checkov(checkov_bin, str(scratch_root))
    assert [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]] == []
    assert report["results"]["skipped_checks"] == []
    assert [f for out in acme_org.values() for f in out.accepted_findings] == []


def test_existing_accounts_need_no_manual_checklist_item(acme_org, tmp_path):
    # Security Hub's existing accounts are aws_securityhub_member, Inspector's aws_inspector2_member_association
    assert acme_org["detection"].checklist == []
    assert acme_org["account_detection"].checklist == []
    off = _modules(_profile(tmp_path, security_hub={"enabled": False}, inspector={"resource_types": []}))
    assert off["detection"].checklist == []
