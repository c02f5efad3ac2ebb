"""Detection (GuardDuty, Security Hub, Inspector, ECR scanning) and the account guards added with it
(EBS default key from a multi-Region key, closed default security groups)."""

from __future__ import annotations

import difflib
import textwrap
from pathlib import Path

import pytest
from conftest import DETECTION_OFF

from baselinegen import api
from baselinegen.errors import RenderInvariantError
from baselinegen.validate.hclcheck import _parse, unquote

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme.yaml"
VARIANT = Path(__file__).resolve().parent / "fixtures" / "variant.yaml"
ALL_OFF = textwrap.dedent("""
    version: 1
    organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}
    monitoring: {topic: {email: [soc@acme.example]}}
    encryption: {ebs_default_encryption: false, s3_block_public_access: false}
    config: {enabled: false}
    patching: {enabled: false}
""") + DETECTION_OFF


def _resources(path: Path) -> dict[tuple[str, str], dict]:
    parsed = _parse(path.read_text())
    return {(t[1:-1], n[1:-1]): body for entry in parsed.get("resource", []) for t, inner in entry.items() for n, body in inner.items()}


def _locals(path: Path) -> dict:
    return {k: v for entry in _parse(path.read_text()).get("locals", []) for k, v in entry.items()}


def _files(text: str, write_profile) -> dict[str, str]:
    loaded = api.load_profile(write_profile(text))
    return {f.path: f.content for f in api.render_tree(loaded.profile).files}


# GuardDuty ------------------------------------------------------------------------------------------

def test_guardduty_sets_every_protection_plan_explicitly(rendered_example, rendered_variant):
    acme = _locals(rendered_example / "modules/detection/guardduty.tf")["guardduty_features"]
    assert {unquote(k): unquote(v) for k, v in acme.items()} == {
        "S3_DATA_EVENTS": "ENABLED", "EKS_AUDIT_LOGS": "ENABLED", "EBS_MALWARE_PROTECTION": "ENABLED",
        "RDS_LOGIN_EVENTS": "ENABLED", "LAMBDA_NETWORK_LOGS": "ENABLED"}
    variant = _locals(rendered_variant / "modules/detection/guardduty.tf")["guardduty_features"]
    assert {unquote(k): unquote(v) for k, v in variant.items()} == {
        "S3_DATA_EVENTS": "ENABLED", "EKS_AUDIT_LOGS": "DISABLED", "EBS_MALWARE_PROTECTION": "ENABLED",
        "RDS_LOGIN_EVENTS": "DISABLED", "LAMBDA_NETWORK_LOGS": "DISABLED"}


def test_runtime_monitoring_manages_exactly_the_profiles_agents(rendered_example, rendered_variant):
    def runtime(root):
        body = _resources(root / "modules/detection/guardduty.tf")[("aws_guardduty_detector_feature", "runtime_monitoring")]
        return [unquote(body["status"])] + [(unquote(c["name"]), unquote(c["status"])) for c in body["additional_configuration"]]
    assert runtime(rendered_example) == ["DISABLED", ("EC2_AGENT_MANAGEMENT", "DISABLED"),
                                         ("ECS_FARGATE_AGENT_MANAGEMENT", "DISABLED"), ("EKS_ADDON_MANAGEMENT", "DISABLED")]
    assert runtime(rendered_variant) == ["ENABLED", ("EC2_AGENT_MANAGEMENT", "ENABLED"),
                                         ("ECS_FARGATE_AGENT_MANAGEMENT", "ENABLED"), ("EKS_ADDON_MANAGEMENT", "DISABLED")]


def test_detector_publishes_at_the_profiles_frequency_with_the_org_check_accepted(rendered_example, rendered_variant):
    acme = _resources(rendered_example / "modules/detection/guardduty.tf")[("aws_guardduty_detector", "this")]
    variant = _resources(rendered_variant / "modules/detection/guardduty.tf")[("aws_guardduty_detector", "this")]
    assert (acme["enable"], unquote(acme["finding_publishing_frequency"])) == (True, "FIFTEEN_MINUTES")
    assert unquote(variant["finding_publishing_frequency"]) == "SIX_HOURS"
    assert "checkov:skip=CKV2_AWS_3:" in (rendered_example / "modules/detection/guardduty.tf").read_text()
    assert "| CKV2_AWS_3 | `module.detection.aws_guardduty_detector.this` |" in (rendered_example / "README.md").read_text()


def test_findings_at_or_above_the_floor_reach_the_topic_from_every_region(rendered_example, rendered_variant):
    resources = _resources(rendered_example / "modules/detection/guardduty.tf")
    rule = resources[("aws_cloudwatch_event_rule", "guardduty_findings")]
    assert (rule["for_each"], rule["region"], unquote(rule["name"])) == ("${var.regions}", "${each.value}", "acme-guardduty-findings")
    assert rule["event_pattern"] == ('${jsonencode({source = ["aws.guardduty"], "detail-type" = ["GuardDuty Finding"], '
                                     'detail = {severity = [{numeric = [">=", 4]}]}})}')
    topic = resources[("aws_cloudwatch_event_target", "guardduty_findings_topic")]
    assert (topic["region"], topic["arn"]) == ("${local.home_region}", "${var.alarm_topic_arn}")
    home = resources[("aws_cloudwatch_event_target", "guardduty_findings_home")]
    assert home["for_each"] == "${setsubtract(var.regions, [local.home_region])}"
    assert unquote(home["arn"]) == "arn:${local.partition}:events:${local.home_region}:${local.account_id}:event-bus/default"
    assert home["role_arn"] == "${aws_iam_role.findings_forwarding.arn}"
    variant = _resources(rendered_variant / "modules/detection/guardduty.tf")[("aws_cloudwatch_event_rule", "guardduty_findings")]
    assert '[">=", 7]' in variant["event_pattern"]
    root = (rendered_example / "main.tf").read_text()
    assert "  alarm_topic_arn = module.monitoring.topic_arn\n" in root


def test_the_forwarding_role_only_puts_events_on_the_home_bus(rendered_example):
    policies = _parse((rendered_example / "modules/detection/policies.tf").read_text())
    docs = {n[1:-1]: body for entry in policies["data"] for inner in entry.values() for n, body in inner.items()}
    trust = docs["findings_forwarding_trust"]["statement"][0]
    assert [unquote(a) for a in trust["actions"]] == ["sts:AssumeRole"]
    assert [(unquote(c["test"]), unquote(c["variable"]), [unquote(v) for v in c["values"]]) for c in trust["condition"]] == [
        ("StringEquals", "aws:SourceAccount", ["${local.account_id}"]),
        ("ArnLike", "aws:SourceArn", ["arn:aws:events:*:${local.account_id}:rule/acme-guardduty-findings",
                                      "arn:aws:events:*:${local.account_id}:rule/acme-inspector-findings",
                                      "arn:aws:events:*:${local.account_id}:rule/acme-access-analyzer-findings"])]
    put = docs["findings_forwarding"]["statement"][0]
    assert ([unquote(a) for a in put["actions"]], [unquote(r) for r in put["resources"]]) == (
        ["events:PutEvents"], ["arn:aws:events:ap-northeast-1:${local.account_id}:event-bus/default"])


def test_no_notification_floor_renders_no_rule_and_warns(write_profile):
    path = write_profile("""
        version: 1
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}
        monitoring: {topic: {email: [soc@acme.example]}}
        detection: {guardduty: {notify_severity: none, features: [s3-data-events]}, security_hub: {notify_severity: none},
                    inspector: {notify_severity: none}, access_analyzer: {notify: none}}
        state: {bucket: acme-terraform-state}
    """)
    loaded = api.load_profile(path)
    assert [(p.path, p.code, p.message) for p in loaded.warnings if p.code not in ("W474", "W462", "W463")] == [
        ("detection.guardduty.notify_severity", "W415", "GuardDuty findings notify no one: they wait in the console until someone looks"),
        ("detection.guardduty.features", "W415", "no ebs-malware-protection: instances are not scanned for malware (the baseline's antivirus requirement)")]
    files = {f.path: f.content for f in api.render_tree(loaded.profile).files}
    assert "aws_cloudwatch_event_rule" not in files["modules/detection/guardduty.tf"]
    assert "modules/detection/policies.tf" not in files
    assert "alarm_topic_arn" not in files["main.tf"] + files["modules/detection/variables.tf"]


# Security Hub ---------------------------------------------------------------------------------------

def test_security_hub_subscribes_exactly_the_named_standards_by_arn(rendered_example, rendered_variant):
    acme = _locals(rendered_example / "modules/detection/security_hub.tf")["security_hub_standard_arns"]
    assert {unquote(k): unquote(v) for k, v in acme.items()} == {
        "aws-foundational": "arn:${local.partition}:securityhub:<region>::standards/aws-foundational-security-best-practices/v/1.0.0",
        "cis-1.4": "arn:${local.partition}:securityhub:<region>::standards/cis-aws-foundations-benchmark/v/1.4.0",
        "pci-dss-3.2.1": "arn:${local.partition}:securityhub:<region>::standards/pci-dss/v/3.2.1"}
    variant = _locals(rendered_variant / "modules/detection/security_hub.tf")["security_hub_standard_arns"]
    assert unquote(variant['"cis-1.2"']) == "arn:${local.partition}:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"
    account = _resources(rendered_example / "modules/detection/security_hub.tf")[("aws_securityhub_account", "this")]
    assert (account["enable_default_standards"], unquote(account["control_finding_generator"])) == (False, "SECURITY_CONTROL")


@pytest.mark.parametrize("benchmark,standards", [
    ("cis-1.4", ["aws-foundational", "cis-1.4"]), ("cis-3.0", ["aws-foundational", "cis-3.0"]), ("cis-1.2", ["aws-foundational", "cis-1.2"])])
def test_default_standards_follow_the_alarm_benchmark(write_profile, benchmark, standards):
    path = write_profile(f"""
        version: 1
        organization: {{name: acme, home_region: us-east-1, regions: [us-east-1]}}
        monitoring: {{topic: {{email: [soc@acme.example]}}, alarms: {{benchmark: {benchmark}}}}}
        state: {{bucket: acme-terraform-state}}
    """)
    loaded = api.load_profile(path)
    assert list(loaded.profile.detection.security_hub.standards) == standards
    assert not loaded.warnings


def test_disabled_controls_are_disabled_in_each_named_standard_and_region_with_the_reason(rendered_variant):
    local = _locals(rendered_variant / "modules/detection/security_hub.tf")["security_hub_disabled_controls"]
    reason = "Root credentials are removed centrally (AWS Organizations root access management)."
    assert {unquote(k): {kk: unquote(vv) for kk, vv in v.items()} for k, v in local.items()} == {
        "cis-1.2/IAM.6": {"standard": "cis-1.2", "control": "IAM.6", "reason": reason},
        "cis-3.0/IAM.6": {"standard": "cis-3.0", "control": "IAM.6", "reason": reason}}
    body = _resources(rendered_variant / "modules/detection/security_hub.tf")[("aws_securityhub_standards_control_association", "disabled")]
    assert (body["for_each"], unquote(body["association_status"]), body["updated_reason"]) == (
        "${local.security_hub_control_associations}", "DISABLED", "${each.value.reason}")
    assert body["standards_arn"] == '${aws_securityhub_standards_subscription.this["${each.value.region}/${each.value.standard}"].standards_arn}'


def test_findings_are_aggregated_in_the_home_region_only_when_asked(rendered_example, rendered_variant):
    aggregator = _resources(rendered_example / "modules/detection/security_hub.tf")[("aws_securityhub_finding_aggregator", "this")]
    assert (aggregator["region"], unquote(aggregator["linking_mode"])) == ("${local.home_region}", "SPECIFIED_REGIONS")
    assert aggregator["specified_regions"] == "${sort(tolist(setsubtract(var.regions, [local.home_region])))}"
    assert ("aws_securityhub_finding_aggregator", "this") not in _resources(rendered_variant / "modules/detection/security_hub.tf")


# Inspector and ECR ----------------------------------------------------------------------------------

def test_inspector_with_ecr_makes_ecr_scanning_enhanced_and_continuous(rendered_example, rendered_variant):
    acme = _resources(rendered_example / "modules/detection/inspector.tf")
    assert [unquote(t) for t in acme[("aws_inspector2_enabler", "this")]["resource_types"]] == ["EC2", "ECR", "LAMBDA"]
    assert acme[("aws_inspector2_enabler", "this")]["account_ids"] == ["${local.account_id}"]
    ecr = acme[("aws_ecr_registry_scanning_configuration", "this")]
    assert (unquote(ecr["scan_type"]), unquote(ecr["rule"][0]["scan_frequency"]), ecr["depends_on"]) == (
        "ENHANCED", "CONTINUOUS_SCAN", ["${aws_inspector2_enabler.this}"])
    variant = _resources(rendered_variant / "modules/detection/inspector.tf")
    assert [unquote(t) for t in variant[("aws_inspector2_enabler", "this")]["resource_types"]] == ["EC2", "LAMBDA", "LAMBDA_CODE"]
    basic = variant[("aws_ecr_registry_scanning_configuration", "this")]
    assert (unquote(basic["scan_type"]), unquote(basic["rule"][0]["scan_frequency"]), "depends_on" in basic) == ("BASIC", "SCAN_ON_PUSH", False)
    assert [(unquote(f["filter"]), unquote(f["filter_type"])) for f in basic["rule"][0]["repository_filter"]] == [("*", "WILDCARD")]


def test_every_detective_service_and_guard_can_be_turned_off_with_warnings(write_profile):
    loaded = api.load_profile(write_profile(ALL_OFF))
    assert [(p.path, p.code) for p in loaded.warnings] == [
        ("state", "W435"), ("encryption.ebs_default_encryption", "W409"), ("encryption.s3_block_public_access", "W409"),
        ("config.enabled", "W416"), ("patching.enabled", "W421"),
        ("detection.access_analyzer.enabled", "W410"), ("detection.guardduty.enabled", "W412"),
        ("detection.security_hub.enabled", "W413"), ("detection.inspector.resource_types", "W414"),
        ("detection.ecr_scanning.scan_on_push", "W414")]
    files = {f.path: f.content for f in api.render_tree(loaded.profile).files}
    assert not any(p.startswith(("modules/guards/", "modules/detection/", "modules/config/", "modules/patching/")) for p in files)
    assert "locals" not in files["main.tf"]


# Guards: EBS default key and default security groups -----------------------------------------------

def test_a_multi_region_key_has_a_replica_and_alias_in_every_other_region(rendered_variant):
    kms = _resources(rendered_variant / "modules/kms/main.tf")
    assert kms[("aws_kms_key", "volumes")]["multi_region"] is True
    replica = kms[("aws_kms_replica_key", "volumes")]
    assert (replica["for_each"], replica["region"], replica["primary_key_arn"], replica["policy"]) == (
        '${setsubtract(var.regions, ["eu-west-1"])}', "${each.value}", "${aws_kms_key.volumes.arn}",
        "${data.aws_iam_policy_document.key_volumes.json}")
    assert replica["lifecycle"] == [{"prevent_destroy": True, "__is_block__": True}]
    alias = kms[("aws_kms_alias", "volumes_replica")]
    assert (alias["for_each"], alias["region"], unquote(alias["name"])) == ("${aws_kms_replica_key.volumes}", "${each.key}", "alias/variant-volumes")
    assert "multi_region" not in kms[("aws_kms_key", "trail")]


def test_ebs_encrypts_with_the_profile_key_of_each_region(rendered_variant, rendered_example):
    guards = _resources(rendered_variant / "modules/guards/main.tf")
    key = guards[("aws_ebs_default_kms_key", "this")]
    assert (key["for_each"], key["region"], key["key_arn"]) == ("${var.regions}", "${each.value}", "${var.ebs_default_kms_key_arns[each.value]}")
    assert '  ebs_default_kms_key_arns = module.kms.key_arns_by_region["volumes"]\n' in (rendered_variant / "main.tf").read_text()
    outputs = (rendered_variant / "modules/kms/outputs.tf").read_text()
    assert '    "volumes" = merge(\n      { "eu-west-1" = aws_kms_key.volumes.arn },\n' in outputs
    assert '    "trail"      = { "eu-west-1" = aws_kms_key.trail.arn }\n' in outputs
    assert ("aws_ebs_default_kms_key", "this") not in _resources(rendered_example / "modules/guards/main.tf")


def test_default_security_groups_of_default_vpcs_lose_every_rule(rendered_example):
    text = (rendered_example / "modules/guards/main.tf").read_text()
    parsed = _parse(text)
    vpcs = parsed["data"][0]['"aws_vpcs"']['"default"']
    assert (vpcs["for_each"], [(unquote(f["name"]), [unquote(v) for v in f["values"]]) for f in vpcs["filter"]]) == (
        "${var.regions}", [("is-default", ["true"])])
    group = _resources(rendered_example / "modules/guards/main.tf")[("aws_default_security_group", "this")]
    assert group["for_each"] == "${{for region, vpcs in data.aws_vpcs.default : region => one(vpcs.ids) if length(vpcs.ids) > 0}}"
    assert (group["region"], group["vpc_id"]) == ("${each.key}", "${each.value}")
    assert not {"ingress", "egress"} & set(group)


def test_adding_a_region_to_a_profile_with_a_multi_region_key_changes_one_line(tmp_path):
    text = VARIANT.read_text()
    grown = tmp_path / "variant.yaml"
    grown.write_text(text.replace("regions: [eu-west-1, eu-central-1]", "regions: [eu-west-1, eu-central-1, eu-north-1]"))
    before = {f.path: f.content for f in api.render_tree(api.load_profile(VARIANT).profile).files if f.path.endswith(".tf")}
    after = {f.path: f.content for f in api.render_tree(api.load_profile(grown).profile).files if f.path.endswith(".tf")}
    assert [p for p in before if before[p] != after[p]] == ["main.tf", "modules/kms/migrations.tf", "modules/patching/migrations.tf"]
    diff = [line for line in difflib.unified_diff(before["main.tf"].splitlines(), after["main.tf"].splitlines(), lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]
    assert diff == ['+    "eu-north-1",']
    # While a rename is pending (renamed_from), its moved blocks name the instances of every Region: the new Region's
    # are added (Terraform skips a move whose source is not in the state).
    for path in ("modules/kms/migrations.tf", "modules/patching/migrations.tf"):
        changed = [line for line in difflib.unified_diff(before[path].splitlines(), after[path].splitlines(), lineterm="", n=0)
                   if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))]
        assert all(line.startswith("+") for line in changed) and all("eu-north-1" in line for line in changed if "=" in line), path


# Invariants -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path,old,new,message", [
    ("modules/detection/guardduty.tf", '"EBS_MALWARE_PROTECTION" = "ENABLED"', '"EBS_MALWARE_PROTECTION" = "DISABLED"',
     "modules/detection: GuardDuty features {'S3_DATA_EVENTS': 'ENABLED', 'EKS_AUDIT_LOGS': 'ENABLED', 'EBS_MALWARE_PROTECTION': 'DISABLED', "
     "'RDS_LOGIN_EVENTS': 'ENABLED', 'LAMBDA_NETWORK_LOGS': 'ENABLED'} differ from the profile's {'S3_DATA_EVENTS': 'ENABLED', "
     "'EKS_AUDIT_LOGS': 'ENABLED', 'EBS_MALWARE_PROTECTION': 'ENABLED', 'RDS_LOGIN_EVENTS': 'ENABLED', 'LAMBDA_NETWORK_LOGS': 'ENABLED'}"),
    ("modules/detection/guardduty.tf", "  enable                       = true", "  enable                       = false", "modules/detection: the GuardDuty detector is not enabled"),
    ("modules/detection/guardduty.tf", '[">=", 4]', '[">=", 8]', "modules/detection: GuardDuty findings do not notify from severity medium (4)"),
    ("modules/detection/security_hub.tf", "enable_default_standards  = false", "enable_default_standards  = true",
     "modules/detection: Security Hub enables its default standards"),
    ("modules/detection/security_hub.tf", '    "pci-dss-3.2.1"    =', '    "pci-dss-4.0.1"    =',
     "modules/detection: Security Hub standards ['aws-foundational', 'cis-1.4', 'pci-dss-4.0.1'] differ from the profile's ['aws-foundational', 'cis-1.4', 'pci-dss-3.2.1']"),
    ("modules/detection/inspector.tf", '["EC2", "ECR", "LAMBDA"]', '["EC2"]',
     "modules/detection: Inspector scans ['EC2'], the profile says ['EC2', 'ECR', 'LAMBDA']"),
    ("modules/detection/inspector.tf", '"CONTINUOUS_SCAN"', '"SCAN_ON_PUSH"', "modules/detection: ECR does not scan every repository's images on push"),
    ("modules/guards/main.tf", "  vpc_id = each.value\n", "  vpc_id = each.value\n  ingress = []\n",
     "modules/guards: a default security group keeps rules or is not closed in every default VPC"),
], ids=["feature-off", "detector-off", "floor-raised", "default-standards", "wrong-standard", "inspector-narrowed", "ecr-basic", "sg-rules"])
def test_security_invariants_catch_weakened_detection(tmp_path, tamper, path, old, new, message):
    tamper(path, old, new)
    with pytest.raises(RenderInvariantError) as info:
        api.render(EXAMPLE, tmp_path / "out")
    assert message in str(info.value).splitlines()


def test_security_invariants_catch_a_missing_ebs_default_key(tmp_path, tamper):
    tamper("modules/guards/main.tf", "resource \"aws_ebs_default_kms_key\" \"this\"", "resource \"aws_ebs_default_kms_key\" \"other\"")
    with pytest.raises(RenderInvariantError) as info:
        api.render(VARIANT, tmp_path / "out")
    assert "modules/guards: aws_ebs_default_kms_key does not run in every Region of the profile" not in str(info.value)
    assert "modules/guards: the default EBS key is aws/ebs, the profile says volumes" in str(info.value).splitlines()

