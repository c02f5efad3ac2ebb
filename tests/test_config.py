"""AWS Config as rendered: recorders per Region, managed rules from the catalog with exact parameters, invariants."""

from __future__ import annotations

from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.components.config.rules import BY_NAME, CATALOG, CIS_PRESET
from baselinegen.errors import ProfileError, RenderInvariantError
from baselinegen.validate.hclcheck import _parse, unquote

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme.yaml"

BASE = """
version: 1
organization: {name: acme, home_region: ap-northeast-1, regions: [ap-northeast-1, us-east-1]}
monitoring:
  topic: {email: [soc@acme.example]}
"""


def _files(write_profile, extra: str = "") -> dict[str, str]:
    profile = api.load_profile(write_profile(BASE + extra)).profile
    return {f.path: f.content for f in api.render_tree(profile).files}


def _rules(files: dict[str, str]) -> dict[str, dict]:
    rules = _parse(files["modules/config/rules.tf"])["locals"][0]["rules"]
    return {unquote(name): {"source_identifier": unquote(body["source_identifier"]), "home_region_only": body["home_region_only"],
                            "parameters": {k: unquote(v) for k, v in body["parameters"].items()}} for name, body in rules.items()}


def _resource(files: dict[str, str], path: str, type_: str, name: str = "this") -> dict:
    for entry in _parse(files[path])["resource"]:
        if f'"{type_}"' in entry:
            return entry[f'"{type_}"'][f'"{name}"']
    raise AssertionError(f"{type_}.{name} not in {path}")


def test_the_cis_preset_renders_every_preset_rule_with_its_exact_parameters(write_profile):
    rules = _rules(_files(write_profile))
    assert list(rules) == list(CIS_PRESET)
    assert {name: rule["parameters"] for name, rule in rules.items() if rule["parameters"]} == {
        "iam-password-policy": {"MinimumPasswordLength": "14", "PasswordReusePrevention": "24", "RequireLowercaseCharacters": "true",
                                "RequireNumbers": "true", "RequireSymbols": "true", "RequireUppercaseCharacters": "true"},
        "iam-user-unused-credentials-check": {"maxCredentialUsageAge": "45"},
        "access-keys-rotated": {"maxAccessKeyAge": "90"},
        "iam-policy-no-statements-with-admin-access": {"excludePermissionBoundaryPolicy": "true"},
        "iam-policy-in-use": {"policyARN": "arn:aws:iam::aws:policy/AWSSupportAccess"},
        "multi-region-cloudtrail-enabled": {"readWriteType": "ALL"},
        "vpc-flow-logs-enabled": {"trafficType": "REJECT"},
        "s3-account-level-public-access-blocks-periodic": {"BlockPublicAcls": "True", "BlockPublicPolicy": "True",
                                                           "IgnorePublicAcls": "True", "RestrictPublicBuckets": "True"},
        "restricted-common-ports": {"blockedPort3": "3389"},
    }
    assert rules["restricted-ssh"]["source_identifier"] == "INCOMING_SSH_DISABLED"
    assert all(rule["source_identifier"] == BY_NAME[name].source_identifier for name, rule in rules.items())


def test_the_password_rule_follows_the_profiles_password_policy(write_profile):
    files = _files(write_profile, "iam:\n  password_policy: {minimum_length: 20, max_age: 60, require_symbols: false, reuse_prevention: 12}\n")
    assert _rules(files)["iam-password-policy"]["parameters"] == {
        "MaxPasswordAge": "60", "MinimumPasswordLength": "20", "PasswordReusePrevention": "12", "RequireLowercaseCharacters": "true",
        "RequireNumbers": "true", "RequireSymbols": "false", "RequireUppercaseCharacters": "true"}


def test_explicit_rules_add_to_the_preset_and_override_its_parameters_one_by_one(write_profile):
    files = _files(write_profile, """\
config:
  rules:
    exclude: [securityhub-enabled]
    extra:
      - {name: iam-policy-in-use, parameters: {policyUsageType: IAM_ROLE}}
      - {name: kms-cmk-not-scheduled-for-deletion, parameters: {kmsKeyIds: [key-a, key-b]}}
      - {name: s3-bucket-versioning-enabled, parameters: {isMfaDeleteEnabled: false}}
""")
    rules = _rules(files)
    assert list(rules)[-2:] == ["kms-cmk-not-scheduled-for-deletion", "s3-bucket-versioning-enabled"]
    assert "securityhub-enabled" not in rules
    assert rules["iam-policy-in-use"]["parameters"] == {"policyARN": "arn:aws:iam::aws:policy/AWSSupportAccess", "policyUsageType": "IAM_ROLE"}
    assert rules["kms-cmk-not-scheduled-for-deletion"] == {"source_identifier": "KMS_CMK_NOT_SCHEDULED_FOR_DELETION", "home_region_only": False,
                                                         "parameters": {"kmsKeyIds": "key-a,key-b"}}
    assert rules["s3-bucket-versioning-enabled"]["parameters"] == {"isMfaDeleteEnabled": "false"}
    rule = _resource(files, "modules/config/rules.tf", "aws_config_config_rule")
    assert rule["input_parameters"] == "${length(each.value.parameters) > 0 ? jsonencode(each.value.parameters) : null}"


def test_rules_on_global_resources_run_only_in_the_home_region(write_profile):
    files = _files(write_profile)
    scope = _parse(files["modules/config/rules.tf"])["locals"][0]["rules_by_region"]
    assert 'if region == "ap-northeast-1" || !rule.home_region_only' in scope and "for region in var.regions" in scope
    rules = _rules(files)
    home_only = {name for name, rule in rules.items() if rule["home_region_only"]}
    assert {"iam-password-policy", "root-account-mfa-enabled", "access-keys-rotated", "multi-region-cloudtrail-enabled",
            "s3-account-level-public-access-blocks-periodic"} <= home_only
    assert not home_only & {"restricted-ssh", "cmk-backing-key-rotation-enabled", "vpc-flow-logs-enabled", "s3-bucket-ssl-requests-only"}


@pytest.mark.parametrize("setting,expected,skipped", [
    ("home", '${each.value == "ap-northeast-1"}', True), ("all", True, False), ("none", False, True)])
def test_global_resource_types_are_recorded_where_the_profile_says(write_profile, setting, expected, skipped):
    files = _files(write_profile, f"config: {{global_resources: {setting}}}\n")
    recorder = _resource(files, "modules/config/main.tf", "aws_config_configuration_recorder")
    assert recorder["recording_group"][0]["include_global_resource_types"] == expected
    assert recorder["recording_group"][0]["all_supported"] is True
    assert (recorder["for_each"], recorder["region"]) == ("${var.regions}", "${each.value}")
    assert ("#checkov:skip=CKV2_AWS_48:" in files["modules/config/main.tf"]) is skipped


def test_recording_is_on_and_delivers_kms_encrypted_at_the_profiles_frequency(write_profile):
    files = _files(write_profile, "config: {delivery_frequency: One_Hour, retention_days: 400}\n")
    status = _resource(files, "modules/config/main.tf", "aws_config_configuration_recorder_status")
    channel = _resource(files, "modules/config/main.tf", "aws_config_delivery_channel")
    retention = _resource(files, "modules/config/main.tf", "aws_config_retention_configuration")
    assert status["is_enabled"] is True and status["depends_on"] == ["${aws_config_delivery_channel.this}"]
    assert unquote(channel["snapshot_delivery_properties"][0]["delivery_frequency"]) == "One_Hour"
    assert (channel["s3_bucket_name"], channel["s3_kms_key_arn"]) == ("${aws_s3_bucket.config.id}", "${var.kms_key_arn}")
    assert retention["retention_period_in_days"] == 400
    assert _resource(files, "modules/config/main.tf", "aws_iam_service_linked_role", "config")["aws_service_name"] == '"config.amazonaws.com"'


def test_the_config_bucket_logs_into_the_access_log_bucket_whose_policy_admits_it(write_profile):
    files = _files(write_profile)
    assert 'access_log_bucket = module.cloudtrail.access_log_bucket_name' in files["main.tf"]
    assert _resource(files, "modules/config/bucket.tf", "aws_s3_bucket_logging", "config")["target_bucket"] == "${var.access_log_bucket}"
    assert ('"arn:aws:s3:::acme-s3-access-logs-${local.account_id}/acme-config-${local.account_id}/*"'
            in files["modules/cloudtrail/policies.tf"])


def test_without_a_trail_the_config_bucket_has_no_access_log_target_and_says_so(write_profile):
    files = _files(write_profile, "  alarms: {enabled: false}\nlogging:\n  cloudtrail: {enabled: false}\n")
    assert "aws_s3_bucket_logging" not in files["modules/config/bucket.tf"]
    assert "access_log_bucket" not in files["main.tf"] + files["modules/config/variables.tf"]
    assert "| CKV_AWS_18 | `module.config.aws_s3_bucket.config` |" in files["README.md"]


def test_config_off_renders_no_module_and_keeps_the_key_policy_unpinned(write_profile):
    files = _files(write_profile, "config: {enabled: false}\n")
    assert not any(path.startswith("modules/config/") for path in files)
    assert 'module "config"' not in files["main.tf"]
    assert "kms:EncryptionContext:aws:s3:arn" not in files["modules/kms/policies.tf"]


def test_every_catalog_rule_is_unique_and_names_its_aws_identifier():
    assert len({r.name for r in CATALOG}) == len(CATALOG) and len({r.source_identifier for r in CATALOG}) == len(CATALOG)
    assert all(r.source_identifier.isupper() for r in CATALOG)
    for rule in CATALOG:
        for key in rule.cis_preset or {}:
            assert rule.parameter(key) is not None, (rule.name, key)


def test_an_unknown_parameter_in_an_inline_profile_is_reported_with_its_location(write_profile):
    with pytest.raises(ProfileError) as info:
        api.load_profile(write_profile(BASE + "config:\n  rules:\n    extra:\n      - {name: access-keys-rotated, parameters: {maxAge: 60}}\n"))
    assert [(p.path, p.code) for p in info.value.problems if p.severity == "error"] == [
        ("config.rules.extra[0].parameters.maxAge", "E226")]


TAMPERING = [
    ("modules/config/rules.tf", 'MinimumPasswordLength      = "14"', 'MinimumPasswordLength      = "8"',
     "modules/config: rule iam-password-policy parameters"),
    ("modules/config/rules.tf", 'source_identifier = "INCOMING_SSH_DISABLED"', 'source_identifier = "RESTRICTED_INCOMING_TRAFFIC"',
     "modules/config: rule restricted-ssh is not the catalog's (identifier or Region scope)"),
    ("modules/config/rules.tf", '|| !rule.home_region_only', '|| true',
     "modules/config: managed rules do not run in every Region (global-resource rules in the home Region only)"),
    ("modules/config/main.tf", "  is_enabled = true", "  is_enabled = false", "modules/config: recording is not on"),
    ("modules/config/main.tf", 'include_global_resource_types = each.value == "ap-northeast-1"', "include_global_resource_types = true",
     "modules/config: global resource types are recorded where the profile does not say (config.global_resources: home)"),
    ("modules/config/main.tf", "for_each = var.regions\n\n  region         = each.value", 'for_each = toset(["ap-northeast-1"])\n\n  region         = each.value',
     "modules/config: aws_config_delivery_channel does not run in every Region of the profile"),
    ("modules/config/bucket.tf", '"BucketOwnerEnforced"', '"BucketOwnerPreferred"', "modules/config: bucket config does not enforce object ownership"),
    ("modules/config/bucket.tf", 'sse_algorithm     = "aws:kms"', 'sse_algorithm     = "AES256"', "modules/config: bucket config is not SSE-KMS encrypted"),
    ("modules/config/policies.tf", 'sid    = "DenyLogFileDeletion"', 'sid    = "AllowCleanup"', "modules/config: bucket config lets log files be deleted"),
]


@pytest.mark.parametrize("path,old,new,message", TAMPERING, ids=[t[3].split(": ", 1)[1][:60] for t in TAMPERING])
def test_security_invariants_catch_config_output_that_differs_from_the_profile(tmp_path, tamper, path, old, new, message):
    tamper(path, old, new)
    with pytest.raises(RenderInvariantError) as info:
        api.render(EXAMPLE, tmp_path / "out")
    assert any(line.startswith(message) for line in str(info.value).splitlines())
    assert not (tmp_path / "out").exists()
