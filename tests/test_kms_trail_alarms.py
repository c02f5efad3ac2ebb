"""KMS keys, the trail and the alarms as rendered: key policies, patterns per benchmark, invariants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.errors import RenderInvariantError
from baselinegen.validate.hclcheck import _parse, unquote

HERE = Path(__file__).parent
EXAMPLE = HERE.parent / "examples" / "acme.yaml"
PATTERNS = json.loads((HERE / "fixtures" / "cis_metric_filter_patterns.json").read_text())["benchmarks"]

BASE = """
version: 1
organization: {name: acme, home_region: ap-northeast-1, regions: [ap-northeast-1]}
monitoring:
  topic: {email: [soc@acme.example]}
"""


def _render(write_profile, extra: str = "") -> dict[str, str]:
    profile = api.load_profile(write_profile(BASE + extra)).profile
    return {f.path: f.content for f in api.render_tree(profile).files}


def _policy_statements(files: dict[str, str], path: str, document: str) -> dict[str, dict]:
    for entry in _parse(files[path])["data"]:
        body = entry['"aws_iam_policy_document"'].get(f'"{document}"')
        if body is not None:
            return {unquote(st["sid"]): st for st in body["statement"]}
    raise AssertionError(f"{document} not in {path}")


def _conditions(statement: dict) -> dict[str, list[str]]:
    return {unquote(c["variable"]): [unquote(v) for v in c["values"]] for c in statement.get("condition", [])}


def _alarm_patterns(files: dict[str, str]) -> dict[str, str]:
    alarms = _parse(files["modules/monitoring/alarms.tf"])["locals"][0]["alarms"]
    return {unquote(k): unquote(v["pattern"]) for k, v in alarms.items()}


@pytest.mark.parametrize("benchmark", ["cis-1.2", "cis-1.4", "cis-3.0"])
def test_rendered_patterns_equal_the_reference_strings_byte_for_byte(write_profile, benchmark):
    files = _render(write_profile, f"  alarms: {{benchmark: {benchmark}}}\n")
    rendered = _alarm_patterns(files)
    expected = {i: p for i, p in PATTERNS[benchmark].items() if not (benchmark == "cis-3.0" and i == "route-table-changes-ec2-source")}
    assert rendered == expected


def test_excluded_alarms_disappear_and_custom_alarms_follow_the_catalog(write_profile):
    files = _render(write_profile, """\
  alarms:
    exclude: [ec2-instance-changes, route-table-changes-ec2-source]
    custom:
      - {id: bucket-deletion, description: A bucket was deleted., pattern: '{ $.eventName = DeleteBucket }', threshold: 2, period: 60}
""")
    rendered = _alarm_patterns(files)
    assert list(rendered)[-3:] == ["organizations-changes", "ec2-large-instance-changes", "bucket-deletion"]
    assert "ec2-instance-changes" not in rendered and "route-table-changes-ec2-source" not in rendered
    assert rendered["bucket-deletion"] == "{ $.eventName = DeleteBucket }"
    custom = _parse(files["modules/monitoring/alarms.tf"])["locals"][0]["alarms"]['"bucket-deletion"']
    assert (unquote(custom["metric_name"]), custom["threshold"], custom["period"]) == ("BucketDeletion", 2, 60)
    assert "| `acme-bucket-deletion` | — | the profile (custom alarm) |" in files["modules/monitoring/README.md"]


def test_alarm_descriptions_name_the_cis_control_and_the_security_hub_control_that_evaluates_them(write_profile):
    files = _render(write_profile)
    alarms = _parse(files["modules/monitoring/alarms.tf"])["locals"][0]["alarms"]
    description = {unquote(k): unquote(v["description"]) for k, v in alarms.items()}
    assert description["root-usage"].endswith("(CIS 1.4.0 4.3; Security Hub CloudWatch.1)")
    assert description["unauthorized-api-calls"].endswith("(CIS 1.4.0 4.1)")  # CIS 1.4.0 standard skips CloudWatch.2
    assert description["organizations-changes"].endswith("(CIS 1.4.0 4.15)")
    assert not description["ec2-large-instance-changes"].endswith(")")
    assert len(set(description.values())) == len(description)


def test_default_key_policy_grants_each_service_only_its_own_resource(write_profile):
    files = _render(write_profile)
    statements = _policy_statements(files, "modules/kms/policies.tf", "key_logs")
    assert list(statements) == ["EnableIAMPolicies", "CloudTrailEncryptLogs", "CloudTrailDescribeKey",
                                "CloudWatchLogsEncryptLogGroups", "ConfigDeliveryEncryption", "AlarmsAndEventsPublishToEncryptedTopics"]
    trail = "arn:aws:cloudtrail:ap-northeast-1:${local.account_id}:trail/acme-trail"
    assert _conditions(statements["CloudTrailEncryptLogs"]) == {
        "aws:SourceArn": [trail],
        "kms:EncryptionContext:aws:cloudtrail:arn": ["arn:aws:cloudtrail:*:${local.account_id}:trail/*"],
    }
    assert _conditions(statements["CloudWatchLogsEncryptLogGroups"]) == {
        "kms:EncryptionContext:aws:logs:arn": ["arn:aws:logs:ap-northeast-1:${local.account_id}:log-group:acme-trail"]}
    assert [unquote(i) for i in statements["CloudWatchLogsEncryptLogGroups"]["principals"][0]["identifiers"]] == ["logs.ap-northeast-1.amazonaws.com"]
    assert _conditions(statements["ConfigDeliveryEncryption"]) == {
        "aws:SourceAccount": ["${local.account_id}"],
        "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::acme-config-${local.account_id}", "arn:aws:s3:::acme-config-${local.account_id}/*"]}
    assert _conditions(statements["AlarmsAndEventsPublishToEncryptedTopics"])["kms:EncryptionContext:aws:sns:topicArn"] == [
        "arn:aws:sns:ap-northeast-1:${local.account_id}:acme-security-alarms"]
    root = statements["EnableIAMPolicies"]["principals"][0]
    assert (unquote(root["type"]), [unquote(i) for i in root["identifiers"]]) == ("AWS", ["arn:aws:iam::${local.account_id}:root"])


def test_a_key_grants_exactly_the_services_it_lists(write_profile):
    files = _render(write_profile, """\
encryption:
  keys:
    - {name: logs, services: [cloudtrail, cloudwatch-logs, sns]}
    - {name: spare, services: [config]}
    - {name: bare, services: []}
config: {kms_key: spare}
""")
    assert list(_policy_statements(files, "modules/kms/policies.tf", "key_spare")) == ["EnableIAMPolicies", "ConfigDeliveryEncryption"]
    assert list(_policy_statements(files, "modules/kms/policies.tf", "key_bare")) == ["EnableIAMPolicies"]
    outputs = files["modules/kms/outputs.tf"]
    assert '"spare" = aws_kms_key.spare.arn' in outputs and '"bare"  = aws_kms_key.bare.arn' in outputs


def test_a_service_no_baseline_resource_uses_is_pinned_to_the_account(write_profile):
    files = _render(write_profile, """\
encryption:
  keys:
    - {name: logs, services: [cloudtrail, cloudwatch-logs, config, sns]}
    - {name: apps, services: [cloudwatch-logs, cloudtrail]}
""")
    statements = _policy_statements(files, "modules/kms/policies.tf", "key_apps")
    assert _conditions(statements["CloudWatchLogsEncryptLogGroups"]) == {
        "kms:EncryptionContext:aws:logs:arn": ["arn:aws:logs:ap-northeast-1:${local.account_id}:log-group:*"]}
    assert _conditions(statements["CloudTrailDescribeKey"]) == {"aws:SourceAccount": ["${local.account_id}"]}


def test_a_partition_other_than_aws_reaches_every_arn_and_service_principal(write_profile):
    profile = api.load_profile(write_profile(BASE.replace("ap-northeast-1", "cn-north-1"))).profile
    files = {f.path: f.content for f in api.render_tree(profile).files}
    statements = _policy_statements(files, "modules/kms/policies.tf", "key_logs")
    assert [unquote(i) for i in statements["CloudWatchLogsEncryptLogGroups"]["principals"][0]["identifiers"]] == ["logs.cn-north-1.amazonaws.com.cn"]
    assert "arn:aws:" not in files["modules/kms/policies.tf"] + files["modules/cloudtrail/policies.tf"] + files["modules/monitoring/policies.tf"]


def test_data_events_exclude_the_trails_own_buckets_unless_buckets_are_named(write_profile):
    files = _render(write_profile, "logging:\n  cloudtrail:\n    data_events: {s3: all}\n")
    trail = _parse(files["modules/cloudtrail/main.tf"])["resource"][0]['"aws_cloudtrail"']['"this"']
    selectors = {unquote(s["name"]): {unquote(f["field"]): {k: v for k, v in f.items() if k not in ("field", "__is_block__")}
                                      for f in s["field_selector"]} for s in trail["advanced_event_selector"]}
    assert list(selectors) == ["Management events", "S3 object-level events (all)"]
    s3 = selectors["S3 object-level events (all)"]
    assert "readOnly" not in s3
    assert [unquote(v) for v in s3["resources.ARN"]["not_starts_with"]] == [
        "arn:aws:s3:::acme-cloudtrail-${local.account_id}/", "arn:aws:s3:::acme-s3-access-logs-${local.account_id}/"]


def test_without_data_events_the_trail_keeps_cloudtrails_default_selection(write_profile):
    files = _render(write_profile)
    assert "advanced_event_selector" not in files["modules/cloudtrail/main.tf"]
    assert "event_selector" not in files["modules/cloudtrail/main.tf"]


def test_a_profile_without_trail_or_alarms_renders_neither(write_profile):
    files = _render(write_profile, "  alarms: {enabled: false}\nlogging:\n  cloudtrail: {enabled: false}\n")
    assert not any(p.startswith("modules/cloudtrail/") for p in files)
    assert "modules/monitoring/alarms.tf" not in files
    assert 'module "cloudtrail"' not in files["main.tf"]
    assert "log_group_name" not in files["main.tf"] and "log_group_name" not in files["modules/monitoring/variables.tf"]
    statements = _policy_statements(files, "modules/kms/policies.tf", "key_logs")
    assert _conditions(statements["CloudTrailDescribeKey"]) == {"aws:SourceAccount": ["${local.account_id}"]}


def test_the_readme_lists_the_cis_controls_of_the_profiles_benchmark(write_profile):
    readme = _render(write_profile, "  alarms: {benchmark: cis-3.0}\n")["README.md"]
    assert "CIS ids are those of the profile's benchmark, CIS 3.0.0 (`monitoring.alarms.benchmark`)." in readme
    assert "| CloudTrail in every Region | 3.1 | multi-Region trail `acme-trail` with global service events |" in readme
    assert "| Trail encrypted with KMS | 3.5 |" in readme
    assert "| KMS key rotation | 3.6 |" in readme
    assert "| Alarm `root-usage` | 4.3 | Root user activity; pattern: CIS v3.0.0 text |" in readme
    assert "| Trail bucket not public |" in readme and "| Trail bucket not public | — |" in readme  # not a CIS 3.0.0 item


TAMPERING = [
    ("modules/kms/main.tf", "enable_key_rotation     = true", "enable_key_rotation     = false",
     "modules/kms: key logs rotation is False, the profile says True"),
    ("modules/kms/main.tf", "  lifecycle {\n    prevent_destroy = true\n  }\n}\n\nresource \"aws_kms_alias\"",
     "}\n\nresource \"aws_kms_alias\"", "modules/kms: key logs or its alias can be destroyed"),
    ("modules/kms/policies.tf", 'identifiers = ["arn:aws:iam::${local.account_id}:root"]', 'identifiers = ["*"]',
     "modules/kms: key logs policy statement EnableIAMPolicies allows any principal"),
    ("modules/cloudtrail/main.tf", "is_multi_region_trail         = true", "is_multi_region_trail         = false",
     "modules/cloudtrail: trail is_multi_region_trail is False, expected True"),
    ("modules/cloudtrail/buckets.tf", "restrict_public_buckets = true", "restrict_public_buckets = false",
     "modules/cloudtrail: bucket trail lacks one of the four public access blocks"),
    ("modules/cloudtrail/buckets.tf", '"BucketOwnerEnforced"', '"BucketOwnerPreferred"',
     "modules/cloudtrail: bucket trail does not enforce object ownership"),
    ("modules/cloudtrail/policies.tf", 'sid     = "DenyInsecureTransport"', 'sid     = "DenyNothing"',
     "modules/cloudtrail: bucket trail has no TLS-only policy"),
    ("modules/cloudtrail/policies.tf", 'sid    = "DenyLogFileDeletion"', 'sid    = "AllowCleanup"',
     "modules/cloudtrail: bucket trail lets log files be deleted"),
    ("modules/monitoring/alarms.tf", '$.userIdentity.type=\\"Root\\"', '$.userIdentity.type=\\"root\\"',
     "modules/monitoring: alarm root-usage pattern is not the catalog's"),
    ("modules/monitoring/main.tf", "  kms_master_key_id = var.kms_key_arn\n", "",
     "modules/monitoring: the alarm topic is not KMS-encrypted"),
]


@pytest.mark.parametrize("path,old,new,message", TAMPERING, ids=[t[3].split(": ", 1)[1] for t in TAMPERING])
def test_security_invariants_catch_output_that_differs_from_the_profile(tmp_path, tamper, path, old, new, message):
    tamper(path, old, new)
    with pytest.raises(RenderInvariantError) as info:
        api.render(EXAMPLE, tmp_path / "out")
    assert message in str(info.value).splitlines()
    assert not (tmp_path / "out").exists()
