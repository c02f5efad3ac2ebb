"""Organisation logging (examples/acme-org.yaml): the organisation trail in the management account, the log-archive
account's buckets, and every account's AWS Config delivering to the log-archive Config bucket by name."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.components.cloudtrail.component import COMPONENT as CLOUDTRAIL
from baselinegen.components.config.component import COMPONENT as CONFIG
from baselinegen.components.kms.grants import key_policy
from baselinegen.components.log_archive.component import COMPONENT as LOG_ARCHIVE
from baselinegen.components.log_archive.policies import organization_config_bucket_policy, organization_trail_bucket_policy
from baselinegen.policy.document import to_json_policy
from baselinegen.validate.bucket_invariants import bucket_problems, policy_statements
from baselinegen.errors import RenderInvariantError
from baselinegen.validate.hclcheck import parse_files, resource_bodies, unquote

sys.path.insert(0, str(Path(__file__).parent))
from support.provider_schema import validate_terraform_dir  # noqa: E402

from conftest import DETECTION_OFF, EXAMPLES  # noqa: E402
from support.checkov_run import run_checkov

MANAGEMENT, LOG_ARCHIVE_ID, ORG_ID = "100000000001", "200000000002", "o-a1b2c3d4e5"
ACCOUNT_IDS = ["100000000001", "200000000002", "300000000003", "400000000004", "500000000005", "060000000006"]
TRAIL_BUCKET, ACCESS_LOG_BUCKET, CONFIG_BUCKET = (f"acme-{kind}-{LOG_ARCHIVE_ID}" for kind in ("cloudtrail", "s3-access-logs", "config"))
ORG_TRAIL = f"arn:aws:cloudtrail:ap-northeast-1:{MANAGEMENT}:trail/acme-trail"
TLS_ONLY_AND_NO_DELETION = [
    lambda bucket: {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    lambda bucket: {"Sid": "DenyLogFileDeletion", "Effect": "Deny", "Principal": "*",
                    "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion"], "Resource": f"arn:aws:s3:::{bucket}/*"},
]


@pytest.fixture(scope="module")
def profile():
    return api.load_profile(EXAMPLES / "acme-org.yaml").profile


def _parsed(outputs) -> dict:
    parsed, failures = parse_files([f for out in outputs for f in out.files])
    assert failures == []
    return parsed


def test_the_log_archive_account_and_its_literal_bucket_names(profile):
    archive = profile.log_archive
    assert (archive.account_id, archive.account_role, archive.management_account_id) == (LOG_ARCHIVE_ID, "log-archive", MANAGEMENT)
    assert (archive.trail_bucket_name, archive.access_log_bucket_name, archive.config_bucket_name) == (TRAIL_BUCKET, ACCESS_LOG_BUCKET, CONFIG_BUCKET)


def test_each_module_is_placed_in_its_accounts(profile):
    placements = {out.module.name: out.placement for c in (CLOUDTRAIL, LOG_ARCHIVE, CONFIG) for out in c.render_organization(profile)}
    assert placements == {"cloudtrail": {"management"}, "log_archive": {"log-archive"},
                          "config": {"management", "log-archive", "security", "workload"}}


def test_the_organisation_trail_writes_to_the_log_archive_bucket_by_name(profile):
    parsed = _parsed(CLOUDTRAIL.render_organization(profile))
    trail = resource_bodies(parsed, "modules/cloudtrail", "resource", "aws_cloudtrail")["this"]
    assert {key: unquote(trail[key]) for key in ("name", "s3_bucket_name", "is_organization_trail", "is_multi_region_trail",
                                                 "include_global_service_events", "enable_logging", "enable_log_file_validation",
                                                 "kms_key_id", "cloud_watch_logs_group_arn", "cloud_watch_logs_role_arn")} == {
        "name": "acme-trail", "s3_bucket_name": TRAIL_BUCKET, "is_organization_trail": True, "is_multi_region_trail": True,
        "include_global_service_events": True, "enable_logging": True, "enable_log_file_validation": True,
        "kms_key_id": "${var.kms_key_arn}", "cloud_watch_logs_group_arn": "${aws_cloudwatch_log_group.this.arn}:*",
        "cloud_watch_logs_role_arn": "${aws_iam_role.cloudwatch_logs.arn}"}
    assert "depends_on" not in trail


def test_the_organisation_trail_leaves_out_the_log_archive_buckets_by_their_literal_arns(profile):
    parsed = _parsed(CLOUDTRAIL.render_organization(profile))
    selectors = resource_bodies(parsed, "modules/cloudtrail", "resource", "aws_cloudtrail")["this"]["advanced_event_selector"]
    arn_field = [f for f in selectors[1]["field_selector"] if unquote(f["field"]) == "resources.ARN"]
    assert [[unquote(v) for v in f["not_starts_with"]] for f in arn_field] == [
        [f"arn:aws:s3:::{TRAIL_BUCKET}/", f"arn:aws:s3:::{ACCESS_LOG_BUCKET}/"]]


def test_a_data_event_bucket_with_the_account_token_stands_for_that_bucket_in_every_account(profile):
    from dataclasses import replace

    logged = replace(profile, cloudtrail=replace(profile.cloudtrail, s3_data_event_buckets=("payments-<account>", "shared-logs")))
    parsed = _parsed(CLOUDTRAIL.render_organization(logged))
    selectors = resource_bodies(parsed, "modules/cloudtrail", "resource", "aws_cloudtrail")["this"]["advanced_event_selector"]
    arn_field = [f for f in selectors[1]["field_selector"] if unquote(f["field"]) == "resources.ARN"][0]
    assert [unquote(v) for v in arn_field["starts_with"]] == [f"arn:aws:s3:::payments-{a}/" for a in ACCOUNT_IDS] + ["arn:aws:s3:::shared-logs/"]


def test_the_management_account_has_the_trail_log_group_and_role_but_no_bucket(profile):
    [out] = CLOUDTRAIL.render_organization(profile)
    parsed = _parsed([out])
    assert sorted(f.path for f in out.files) == [f"modules/cloudtrail/{n}" for n in ("README.md", "main.tf", "outputs.tf", "policies.tf", "variables.tf", "versions.tf")]
    assert resource_bodies(parsed, "modules/cloudtrail", "resource", "aws_s3_bucket") == {}
    assert set(resource_bodies(parsed, "modules/cloudtrail", "resource", "aws_cloudwatch_log_group")) == {"this"}
    assert set(resource_bodies(parsed, "modules/cloudtrail", "resource", "aws_iam_role")) == {"cloudwatch_logs"}
    assert [name for name, _ in out.module.outputs] == ["cloudtrail_trail_arn", "cloudtrail_log_group_name"]
    assert {f.address for f in out.accepted_findings} == {"module.cloudtrail.aws_cloudtrail.this"}


def test_the_delivery_role_writes_the_member_accounts_streams_named_after_the_organisation(profile):
    parsed = _parsed(CLOUDTRAIL.render_organization(profile))
    [statement] = policy_statements(parsed, "modules/cloudtrail", "cloudwatch_logs_delivery")
    group = "arn:aws:logs:ap-northeast-1:${local.account_id}:log-group:acme-trail:log-stream:"
    assert [unquote(r) for r in statement["resources"]] == [group + "${local.account_id}_CloudTrail_ap-northeast-1*", group + f"{ORG_ID}_*"]


def test_the_log_archive_account_has_the_three_hardened_buckets_and_no_trail(profile):
    [out] = LOG_ARCHIVE.render_organization(profile)
    parsed = _parsed([out])
    buckets = resource_bodies(parsed, "modules/log_archive", "resource", "aws_s3_bucket")
    assert {name: unquote(body["bucket"]) for name, body in buckets.items()} == {
        "trail": TRAIL_BUCKET, "access_logs": ACCESS_LOG_BUCKET, "config": CONFIG_BUCKET}
    assert bucket_problems(parsed, "modules/log_archive") == []
    assert resource_bodies(parsed, "modules/log_archive", "resource", "aws_cloudtrail") == {}
    sse = resource_bodies(parsed, "modules/log_archive", "resource", "aws_s3_bucket_server_side_encryption_configuration")
    assert {name: body["rule"][0]["apply_server_side_encryption_by_default"][0].get("kms_master_key_id", unquote(
        body["rule"][0]["apply_server_side_encryption_by_default"][0]["sse_algorithm"])) for name, body in sse.items()} == {
        "trail": "${var.trail_kms_key_arn}", "access_logs": "AES256", "config": "${var.config_kms_key_arn}"}
    logging = resource_bodies(parsed, "modules/log_archive", "resource", "aws_s3_bucket_logging")
    assert {name: body["target_bucket"] for name, body in logging.items()} == {
        "trail": "${aws_s3_bucket.access_logs.id}", "config": "${aws_s3_bucket.access_logs.id}"}
    assert out.module.inputs == (("trail_kms_key_arn", 'module.kms.key_arns["logs"]'), ("config_kms_key_arn", 'module.kms.key_arns["logs"]'))


def test_cloudtrail_may_write_only_the_organisation_trails_files(profile):
    assert to_json_policy(organization_trail_bucket_policy(profile), account_id=LOG_ARCHIVE_ID)["Statement"] == [
        *(statement(TRAIL_BUCKET) for statement in TLS_ONLY_AND_NO_DELETION),
        {"Sid": "CloudTrailAclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:GetBucketAcl", "Resource": f"arn:aws:s3:::{TRAIL_BUCKET}",
         "Condition": {"StringEquals": {"aws:SourceArn": ORG_TRAIL}}},
        {"Sid": "CloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:PutObject",
         "Resource": [f"arn:aws:s3:::{TRAIL_BUCKET}/AWSLogs/{MANAGEMENT}/*", f"arn:aws:s3:::{TRAIL_BUCKET}/AWSLogs/{ORG_ID}/*"],
         "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": ORG_TRAIL}}},
    ]


def test_aws_config_of_every_account_of_the_organisation_may_deliver_and_nothing_else(profile):
    organization = {"StringEquals": {"aws:SourceOrgID": ORG_ID}}
    config = {"Service": "config.amazonaws.com"}
    assert to_json_policy(organization_config_bucket_policy(profile), account_id=LOG_ARCHIVE_ID)["Statement"] == [
        *(statement(CONFIG_BUCKET) for statement in TLS_ONLY_AND_NO_DELETION),
        {"Sid": "AWSConfigBucketPermissionsCheck", "Effect": "Allow", "Principal": config, "Action": "s3:GetBucketAcl",
         "Resource": f"arn:aws:s3:::{CONFIG_BUCKET}", "Condition": organization},
        {"Sid": "AWSConfigBucketExistenceCheck", "Effect": "Allow", "Principal": config, "Action": "s3:ListBucket",
         "Resource": f"arn:aws:s3:::{CONFIG_BUCKET}", "Condition": organization},
        {"Sid": "AWSConfigBucketDelivery", "Effect": "Allow", "Principal": config, "Action": "s3:PutObject",
         "Resource": [f"arn:aws:s3:::{CONFIG_BUCKET}/AWSLogs/{account}/Config/*" for account in ACCOUNT_IDS],
         "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceOrgID": ORG_ID}}},
    ]


def test_server_access_logs_come_only_from_the_log_archive_buckets(profile):
    parsed = _parsed(LOG_ARCHIVE.render_organization(profile))
    statement = policy_statements(parsed, "modules/log_archive", "access_logs_bucket")[2]
    assert [unquote(r) for r in statement["resources"]] == [f"arn:aws:s3:::{ACCESS_LOG_BUCKET}/{TRAIL_BUCKET}/*", f"arn:aws:s3:::{ACCESS_LOG_BUCKET}/{CONFIG_BUCKET}/*"]
    assert {unquote(c["variable"]): [unquote(v) for v in c["values"]] for c in statement["condition"]} == {
        "aws:SourceArn": [f"arn:aws:s3:::{TRAIL_BUCKET}", f"arn:aws:s3:::{CONFIG_BUCKET}"], "aws:SourceAccount": [LOG_ARCHIVE_ID]}


def test_config_delivers_to_the_log_archive_bucket_and_has_no_bucket(profile):
    [out] = CONFIG.render_organization(profile)
    parsed = _parsed([out])
    assert "modules/config/bucket.tf" not in {f.path for f in out.files} and "modules/config/policies.tf" not in {f.path for f in out.files}
    assert resource_bodies(parsed, "modules/config", "resource", "aws_s3_bucket") == {}
    channel = resource_bodies(parsed, "modules/config", "resource", "aws_config_delivery_channel")["this"]
    assert (unquote(channel["s3_bucket_name"]), channel["s3_kms_key_arn"], channel["depends_on"]) == (
        CONFIG_BUCKET, "${var.kms_key_arn}", ["${aws_config_configuration_recorder.this}"])
    assert [name for name, _ in out.module.inputs] == ["regions", "kms_key_arn"]  # no access-log bucket
    assert [name for name, _ in out.module.outputs] == ["config_recorder_names"]
    assert [f.address for f in out.accepted_findings] == ["module.config.aws_config_configuration_recorder.this"]


def test_every_accounts_key_lets_aws_config_encrypt_for_the_log_archive_bucket_and_cloudtrail_for_the_organisation_trail(profile):
    usages = [u for c in (CLOUDTRAIL, CONFIG) for u in c.key_usages(profile)]
    assert [(u.service, u.resource_arn) for u in usages] == [
        ("cloudtrail", f"arn:<partition>:cloudtrail:ap-northeast-1:{MANAGEMENT}:trail/acme-trail"),
        ("cloudwatch-logs", f"arn:<partition>:logs:ap-northeast-1:{MANAGEMENT}:log-group:acme-trail"),
        ("config", f"arn:<partition>:s3:::{CONFIG_BUCKET}")]
    statements = {s["Sid"]: s for s in to_json_policy(key_policy(profile, profile.kms.keys[0], usages), account_id=LOG_ARCHIVE_ID)["Statement"]}
    assert statements["ConfigDeliveryEncryption"]["Condition"]["StringLike"] == {
        "kms:EncryptionContext:aws:s3:arn": [f"arn:aws:s3:::{CONFIG_BUCKET}", f"arn:aws:s3:::{CONFIG_BUCKET}/*"]}
    assert statements["CloudTrailDescribeKey"]["Condition"] == {"StringEquals": {"aws:SourceArn": f"arn:aws:cloudtrail:ap-northeast-1:{MANAGEMENT}:trail/acme-trail"}}


def test_no_log_archive_account_keeps_the_buckets_in_the_management_account(write_profile):
    text = (EXAMPLES / "acme-org.yaml").read_text().replace("""  - name: log-archive
    id: "200000000002"
    role: log-archive
""", """  - name: log-archive
    id: "200000000002"
    role: workload
""")
    profile = api.load_profile(write_profile(text, "no-archive.yaml")).profile
    [out] = LOG_ARCHIVE.render_organization(profile)
    assert out.placement == {"management"}
    assert (profile.log_archive.account_id, profile.log_archive.trail_bucket_name) == (MANAGEMENT, f"acme-cloudtrail-{MANAGEMENT}")


def test_trail_off_leaves_the_config_bucket_without_access_logs_and_config_off_leaves_no_config_bucket(profile):
    from dataclasses import replace

    no_trail = replace(profile, cloudtrail=replace(profile.cloudtrail, enabled=False))
    assert CLOUDTRAIL.render_organization(no_trail) == []
    [out] = LOG_ARCHIVE.render_organization(no_trail)
    parsed = _parsed([out])
    assert set(resource_bodies(parsed, "modules/log_archive", "resource", "aws_s3_bucket")) == {"config"}
    assert resource_bodies(parsed, "modules/log_archive", "resource", "aws_s3_bucket_logging") == {}
    assert [(f.check_id, f.address) for f in out.accepted_findings if f.check_id == "CKV_AWS_18"] == [("CKV_AWS_18", "module.log_archive.aws_s3_bucket.config")]
    no_config = replace(profile, config=replace(profile.config, enabled=False))
    [out] = LOG_ARCHIVE.render_organization(no_config)
    assert set(resource_bodies(_parsed([out]), "modules/log_archive", "resource", "aws_s3_bucket")) == {"trail", "access_logs"}
    assert CONFIG.render_organization(no_config) == []
    assert LOG_ARCHIVE.render_organization(replace(no_config, cloudtrail=no_trail.cloudtrail)) == []


def test_a_single_account_profile_has_no_log_archive_module(rendered_example):
    assert not (rendered_example / "modules" / "log_archive").exists()


# The whole organisation layout of acme-org.yaml with the detection services off (their organisation modules are
# another component's), through the invariants, the provider schema and checkov.
def _org_without_detection(write_profile) -> Path:
    text = (EXAMPLES / "acme-org.yaml").read_text()
    return write_profile(text[:text.index("\ndetection:")] + "\n" + DETECTION_OFF + text[text.index("\npatching:"):], "org.yaml")


@pytest.fixture
def org_tree(write_profile, tmp_path) -> Path:
    out = tmp_path / "org-baseline"
    api.render(_org_without_detection(write_profile), out)
    return out


def test_the_organisation_logging_is_fmt_canonical_schema_valid_and_checkov_clean(org_tree, terraform_bin, checkov_bin):
    assert subprocess.run([terraform_bin, "fmt", "-check", "-recursive"], cwd=org_tree, capture_output=True, text=True).stdout == ""
    assert validate_terraform_dir(org_tree) == []
    main = {account: (org_tree / "accounts" / account / "main.tf").read_text() for account in ("management", "log-archive", "security", "payments-prod")}
    assert ['module "cloudtrail"' in text for text in main.values()] == [True, False, False, False]
    assert ['module "log_archive"' in text for text in main.values()] == [False, True, False, False]
    assert ['module "config"' in text for text in main.values()] == [True, True, True, True]
    report = run_checkov(checkov_bin, str(org_tree))
    assert [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]] == []
    skipped = {(c["check_id"], re.sub(r"\[.*\]$", "", c["resource"])) for c in report["results"]["skipped_checks"]}
    listed = {(check, re.sub(r"^[\w/-]+:(data\.)?", "", address).replace(".data.", ".")) for check, address in
              re.findall(r"^\| (CKV2?_AWS_\d+) \| `([^`]+)` \|", (org_tree / "README.md").read_text(), re.M)}
    assert skipped == listed
    assert {address for _, address in listed if address.startswith("module.log_archive.")} == {
        "module.log_archive.aws_s3_bucket.trail", "module.log_archive.aws_s3_bucket.access_logs", "module.log_archive.aws_s3_bucket.config"}


TAMPERING = [
    ("modules/cloudtrail/main.tf", "is_organization_trail         = true", "is_organization_trail         = false",
     f"modules/cloudtrail: the trail is not the organisation trail writing to {TRAIL_BUCKET}"),
    ("modules/cloudtrail/main.tf", f'"{TRAIL_BUCKET}"', '"someone-elses-bucket"',
     f"modules/cloudtrail: the trail is not the organisation trail writing to {TRAIL_BUCKET}"),
    ("modules/log_archive/policies.tf", "trail/acme-trail", "trail/*", "modules/log_archive: trail_bucket statement CloudTrailAclCheck is not limited"),
    ("modules/log_archive/policies.tf", f'values   = ["{ORG_ID}"]', 'values   = ["o-zzzzzzzzzz"]',
     "modules/log_archive: config_bucket statement AWSConfigBucketPermissionsCheck is not limited"),
    ("modules/log_archive/policies.tf", 'identifiers = ["config.amazonaws.com"]', 'identifiers = ["*"]',
     "modules/log_archive: config_bucket statement AWSConfigBucketPermissionsCheck is not limited"),
    ("modules/log_archive/main.tf", f'bucket        = "{CONFIG_BUCKET}"', 'bucket        = "acme-config-elsewhere"', "modules/log_archive: buckets differ from the profile's"),
    ("modules/log_archive/main.tf", "block_public_policy     = true", "block_public_policy     = false",
     "modules/log_archive: bucket trail lacks one of the four public access blocks"),
    ("modules/log_archive/main.tf", 'sse_algorithm     = "aws:kms"', 'sse_algorithm     = "AES256"', "modules/log_archive: bucket trail is not SSE-KMS encrypted"),
    ("modules/config/main.tf", f'"{CONFIG_BUCKET}"', '"acme-config-elsewhere"',
     "modules/config: the delivery channel does not deliver KMS-encrypted to the Config bucket"),
]


@pytest.mark.parametrize("path,old,new,message", TAMPERING, ids=[t[3].split(": ", 1)[1][:60] for t in TAMPERING])
def test_security_invariants_catch_organisation_logging_that_differs_from_the_profile(write_profile, tmp_path, tamper, path, old, new, message):
    tamper(path, old, new)
    with pytest.raises(RenderInvariantError) as info:
        api.render(_org_without_detection(write_profile), tmp_path / "out")
    assert any(line.startswith(message) for line in str(info.value).splitlines()), str(info.value)
