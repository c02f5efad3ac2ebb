"""Key policies in the organisation layout: each account's copy of a key lets the log-archive and security
accounts read what that account encrypts for the organisation's logs, and nothing more."""

from __future__ import annotations

from baselinegen import api
from baselinegen.components.kms.component import COMPONENT as KMS
from baselinegen.components.kms.grants import key_policy
from baselinegen.policy.document import Condition, Principal, Statement

from conftest import EXAMPLES

READERS = (Principal("AWS", ("arn:<partition>:iam::200000000002:root", "arn:<partition>:iam::300000000003:root")),)
ORG_TRAIL = "arn:<partition>:cloudtrail:ap-northeast-1:100000000001:trail/acme-trail"
CONFIG_BUCKET = "arn:<partition>:s3:::acme-config-200000000002"


def _statements(text: str | None = None, write_profile=None) -> dict[str, Statement]:
    path = write_profile(text) if text else EXAMPLES / "acme-org.yaml"
    profile = api.load_profile(path).profile
    key = next(k for k in profile.kms.keys if k.name == "logs")
    return {s.sid: s for s in key_policy(profile, key, KMS.usages(profile)).statements}


def test_the_logs_key_lets_log_archive_and_security_read_the_organisation_trail_and_config_deliveries():
    statements = _statements()
    assert list(statements) == [
        "EnableIAMPolicies", "CloudTrailEncryptLogs", "CloudTrailDescribeKey", "CloudWatchLogsEncryptLogGroups",
        "ConfigDeliveryEncryption", "AlarmsAndEventsPublishToEncryptedTopics", "CloudTrailBucketDefaultEncryption",
        "LogArchiveAndSecurityReadTrailLogs", "LogArchiveAndSecurityReadConfigDeliveries"]
    trail_context = Condition("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn",
                              ("arn:<partition>:cloudtrail:*:100000000001:trail/*",))
    assert statements["CloudTrailEncryptLogs"].conditions == (
        Condition("StringEquals", "aws:SourceArn", (ORG_TRAIL,)), trail_context)
    assert statements["CloudTrailBucketDefaultEncryption"] == Statement(
        "CloudTrailBucketDefaultEncryption", actions=("kms:DescribeKey", "kms:GenerateDataKey*"), resources=("*",),
        principals=(Principal("Service", ("cloudtrail.amazonaws.com",)),),
        conditions=(Condition("StringEquals", "aws:SourceArn", (ORG_TRAIL,)),))
    assert statements["LogArchiveAndSecurityReadTrailLogs"] == Statement(
        "LogArchiveAndSecurityReadTrailLogs", actions=("kms:Decrypt", "kms:ReEncryptFrom"), resources=("*",),
        principals=READERS, conditions=(trail_context,))
    assert statements["LogArchiveAndSecurityReadConfigDeliveries"] == Statement(
        "LogArchiveAndSecurityReadConfigDeliveries", actions=("kms:Decrypt",), resources=("*",), principals=READERS,
        conditions=(Condition("StringLike", "kms:EncryptionContext:aws:s3:arn", (CONFIG_BUCKET, CONFIG_BUCKET + "/*")),
                    Condition("StringEquals", "kms:ViaService", ("s3.ap-northeast-1.amazonaws.com",))))


def test_a_single_account_key_policy_names_no_other_account():
    profile = api.load_profile(EXAMPLES / "acme.yaml").profile
    key = next(k for k in profile.kms.keys if k.name == "logs")
    document = key_policy(profile, key, KMS.usages(profile))
    assert not any(s.sid.startswith(("LogArchive", "CloudTrailBucketDefault")) for s in document.statements)
    assert "100000000001" not in repr(document)


def test_without_log_archive_and_security_accounts_nobody_else_is_granted_decryption(write_profile):
    text = (EXAMPLES / "acme-org.yaml").read_text()
    for role in ("log-archive", "security"):
        text = text.replace(f"    role: {role}\n", "    role: workload\n")
    # central configuration needs a security account (E345)
    text = text.replace(text[text.index("    control_parameters:\n"):text.index("  inspector:\n")], "")
    statements = _statements(text, write_profile)
    assert "CloudTrailBucketDefaultEncryption" in statements
    assert not any(sid.startswith("LogArchiveAndSecurity") for sid in statements)
