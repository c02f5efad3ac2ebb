"""The review says which way a security setting moved: one rule table (review/direction.py), checked row by row, and
the everyday changes a pull-request reviewer meets, phrased by effect in text, markdown and json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import baselinegen
from baselinegen import api
from baselinegen.review import build_review, format_review
from baselinegen.review.direction import RULES, presence, set_verdict, verdict

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ACME = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
ACME_ORG = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")

# Every row of RULES: a change (old, new) and its direction; the reverse change goes the other way.
# For present/absent and set rules the first item is what happens ("added"/"removed") instead.
ROWS = {
    "password.minimum_length": ("14", "12", "weaker"),
    "password.reuse_prevention": ("24", "5", "weaker"),
    "password.max_age": ("90", "365", "weaker"),
    "password.require_uppercase": ("true", "false", "weaker"),
    "password.require_lowercase": ("true", "false", "weaker"),
    "password.require_numbers": ("true", "false", "weaker"),
    "password.require_symbols": ("true", "false", "weaker"),
    "password.users_change_own": ("true", "false", "weaker"),
    "password.policy": ("removed", None, "weaker"),
    "mfa.required": ("removed", None, "weaker"),
    "job_function.reach": ("added", None, "weaker"),
    "trust.principals": ("added", None, "weaker"),
    "kms.rotation": ("true", "false", "weaker"),
    "kms.rotation_period": ("365", "90", "stronger"),
    "kms.deletion_window": ("30", "7", "weaker"),
    "kms.enabled": ("true", "false", "weaker"),
    "trail.multi_region": ("true", "false", "weaker"),
    "trail.log_file_validation": ("true", "false", "weaker"),
    "trail.global_service_events": ("true", "false", "weaker"),
    "trail.logging": ("true", "false", "weaker"),
    "trail.organization": ("true", "false", "weaker"),
    "trail.event_selector": ("removed", None, "weaker"),
    "logs.retention": ("365", "30", "weaker"),
    "bucket.public_access_block": ("true", "false", "weaker"),
    "bucket.versioning": ("Enabled", "Suspended", "weaker"),
    "bucket.mfa_delete": ("Enabled", "Disabled", "weaker"),
    "bucket.force_destroy": ("true", "false", "stronger"),
    "bucket.object_lock": ("true", "false", "weaker"),
    "bucket.hardening": ("removed", None, "weaker"),
    "alarm.entry": ("removed", None, "weaker"),
    "alarm.threshold": ("1", "5", "weaker"),
    "alarm.period": ("300", "60", "stronger"),
    "alarm.evaluation_periods": ("1", "3", "weaker"),
    "alarm.actions": ("true", "false", "weaker"),
    "alarm.subscriber": ("removed", None, "weaker"),
    "config.rule": ("removed", None, "weaker"),
    "config.recording": ("true", "false", "weaker"),
    "config.all_supported": ("true", "false", "weaker"),
    "config.retention": ("2557", "365", "weaker"),
    "config.parameter.MinimumPasswordLength": ("14", "12", "weaker"),
    "config.parameter.PasswordReusePrevention": ("24", "5", "weaker"),
    "config.parameter.MaxPasswordAge": ("90", "365", "weaker"),
    "config.parameter.RequireUppercaseCharacters": ("true", "false", "weaker"),
    "config.parameter.RequireLowercaseCharacters": ("true", "false", "weaker"),
    "config.parameter.RequireNumbers": ("true", "false", "weaker"),
    "config.parameter.RequireSymbols": ("true", "false", "weaker"),
    "config.parameter.maxAccessKeyAge": ("90", "45", "stronger"),
    "config.parameter.maxCredentialUsageAge": ("45", "90", "weaker"),
    "config.parameter.MinRetentionTime": ("365", "30", "weaker"),
    "guardduty.detector": ("true", "false", "weaker"),
    "guardduty.plan": ("ENABLED", "DISABLED", "weaker"),
    "guardduty.publishing_frequency": ("FIFTEEN_MINUTES", "SIX_HOURS", "weaker"),
    "securityhub.standard": ("removed", None, "weaker"),
    "securityhub.disabled_control": ("added", None, "weaker"),
    "securityhub.auto_enable_controls": ("true", "false", "weaker"),
    "inspector.resource_types": ("removed", None, "weaker"),
    "ecr.scan_type": ("ENHANCED", "BASIC", "weaker"),
    "securityhub.parameter.higher": ("14", "12", "weaker"),
    "securityhub.parameter.lower": ("90", "365", "weaker"),
    "securityhub.parameter.on": ("true", "false", "weaker"),
    "securityhub.parameter.more": ("removed", None, "weaker"),
    "securityhub.parameter.fewer": ("added", None, "weaker"),
    "securityhub.parameter.enforcement": ("ENFORCED", "AUDIT", "weaker"),
    "securityhub.parameter.vpc_block_mode": ("block-bidirectional", "block-ingress", "weaker"),
    "securityhub.parameter.object_lock_mode": ("COMPLIANCE", "GOVERNANCE", "weaker"),
    "securityhub.parameter.log_level": ("ALL", "ERROR", "weaker"),
    "findings.notification": ("removed", None, "weaker"),
    "findings.notify_threshold": ("high", "critical", "weaker"),
    "securityhub.suppression": ("added", None, "weaker"),
    "guardduty.malware_protection_s3": ("removed", None, "weaker"),
    "ecr.scan_frequency": ("CONTINUOUS_SCAN", "SCAN_ON_PUSH", "weaker"),
    "account.s3_block_public_access": ("true", "false", "weaker"),
    "account.ebs_encryption": ("true", "false", "weaker"),
    "patch.approval_delay": ("7", "3", "stronger"),
    "scp.deny_statement": ("removed", None, "weaker"),
    "scp.allowed_regions": ("added", None, "weaker"),
    "organization.control_tower": ("false", "true", "weaker"),
    "scp.allow_statement": ("added", None, "weaker"),
    "scp.deny_scope": ("added", None, "stronger"),
    "scp.allow_scope": ("added", None, "weaker"),
    "scp.deny_condition": ("added", None, "weaker"),
    "scp.allow_condition": ("added", None, "stronger"),
    "scp.effect": ("Deny", "Allow", "weaker"),
    "benchmark.verdict": ("covered", "partial", "weaker"),
    "profile.warning": ("added", None, "weaker"),
    "exception.entry": ("added", None, "weaker"),
}
OTHER = {"weaker": "stronger", "stronger": "weaker"}


def test_every_rule_has_a_row_here_and_every_row_a_rule():
    assert list(ROWS) == list(RULES)


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_reads_its_direction_both_ways(rule):
    old, new, direction = ROWS[rule]
    safer = RULES[rule].safer
    if safer in ("present", "absent"):
        assert presence(rule, old == "added") == f" ({direction})"
        assert presence(rule, old != "added") == f" ({OTHER[direction]})"
        assert verdict(rule, None, "x") == presence(rule, True)
    elif safer in ("more", "fewer"):
        assert set_verdict(rule, ["x"] if old == "added" else [], ["x"] if old == "removed" else []) == f" ({direction})"
        assert set_verdict(rule, ["x"] if old == "removed" else [], ["x"] if old == "added" else []) == f" ({OTHER[direction]})"
        assert set_verdict(rule, ["x"], ["y"]) == ""  # both ways at once: no direction
    else:
        assert verdict(rule, old, new) == f" ({direction})"
        assert verdict(rule, new, old) == f" ({OTHER[direction]})"
        assert verdict(rule, old, old) == ""


def test_every_rule_is_used_by_a_review_line():
    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(baselinegen.__file__).parent.rglob("*.py")
                       if p.name != "direction.py")
    unused = [r for r in RULES if f'"{r}"' not in source and f"'{r}'" not in source
              and not (r.startswith("config.parameter.") and '"config.parameter.{}"' in source)]
    assert unused == []


def test_a_verdict_that_relies_on_control_tower_sits_between_partial_and_covered():
    assert verdict("benchmark.verdict", "covered", "relies on Control Tower") == " (weaker)"
    assert verdict("benchmark.verdict", "relies on Control Tower", "covered") == " (stronger)"
    assert verdict("benchmark.verdict", "partial", "relies on Control Tower") == " (stronger)"
    assert verdict("benchmark.verdict", "relies on Control Tower", "turned off") == " (weaker)"
    # manual: the baseline does nothing for the control, a person must; partial: it does part of it
    assert verdict("benchmark.verdict", "manual", "partial") == " (stronger)"
    assert verdict("benchmark.verdict", "partial", "manual") == " (weaker)"
    assert verdict("benchmark.verdict", "covered", "manual") == " (weaker)"
    assert verdict("benchmark.verdict", "manual", "not applicable") == ""


def test_values_that_are_not_comparable_say_no_direction():
    assert verdict("password.minimum_length", None, "12") == ""
    assert verdict("ecr.scan_type", "BASIC", "SOMETHING_NEW") == ""
    assert verdict(None, "1", "2") == "" and verdict("no.such.rule", "1", "2") == ""
    with pytest.raises(ValueError):
        presence("password.minimum_length", True)
    with pytest.raises(ValueError):
        set_verdict("kms.rotation", ["x"], [])


def _render(tmp_path: Path, name: str, text: str) -> dict[str, str]:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


@pytest.fixture(scope="module")
def acme(tmp_path_factory) -> dict[str, str]:
    return _render(tmp_path_factory.mktemp("acme"), "acme", ACME)


@pytest.fixture(scope="module")
def acme_org(tmp_path_factory) -> dict[str, str]:
    return _render(tmp_path_factory.mktemp("org"), "acme-org", ACME_ORG)


def _changed(text: str, *replacements) -> str:
    for old, new in replacements:
        assert old in text, "the profile change must apply"
        text = text.replace(old, new, 1)
    return text


def _summary_markdown(review) -> str:
    """From the security summary's heading to the file diffs (the verdict blocks above it: test_review_verdicts)."""
    markdown = format_review(review, "markdown")
    return markdown[markdown.index("### Security summary"):markdown.index("### Files")]


PASSWORD = ("minimum_length: 14", "minimum_length: 12\n    require_symbols: false")
PAYMENTS_DEV = ('    regions: [ap-northeast-1]          # staging runs in Tokyo only\n',
                '    regions: [ap-northeast-1]          # staging runs in Tokyo only\n'
                '  - name: payments-dev\n    id: "666666666666"\n    role: workload\n')
EU_WEST_2 = ("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1, us-east-1, eu-west-2]")
IAM_6 = ('''    disabled_controls:
      - control: IAM.6
        reason: >-
          Root user credentials are deleted through AWS Organizations centralised root access;
          there is no root MFA device to check.
        standards: [aws-foundational, cis-1.4]
''', "")
NOISE = ("changed: resources", "changed: condition", "local `", "description changed", "_control_association.disabled` added")


def test_a_weaker_password_policy_says_each_field_in_every_format(acme, tmp_path):
    review = build_review(acme, _render(tmp_path, "new", _changed(ACME, PASSWORD)))
    assert [c.text for c in review.summary] == [
        "password policy: minimum length 14 → 12 (weaker)",
        "password policy: symbols no longer required (weaker)",
        "Config rule `iam-password-policy`: parameter MinimumPasswordLength 14 → 12 (weaker)",
        "Config rule `iam-password-policy`: parameter RequireSymbols true → false (weaker)"]
    assert format_review(review, "text").split("\n\nSecurity summary", 1)[1].startswith(
        " (4):\n"
        "  - password policy: minimum length 14 → 12 (weaker)\n"
        "  - password policy: symbols no longer required (weaker)\n"
        "  - Config rule `iam-password-policy`: parameter MinimumPasswordLength 14 → 12 (weaker)\n"
        "  - Config rule `iam-password-policy`: parameter RequireSymbols true → false (weaker)\n\nFiles (")
    assert _summary_markdown(review) == (
        "### Security summary (4)\n\n"
        "- password policy: minimum length 14 → 12 (weaker)\n"
        "- password policy: symbols no longer required (weaker)\n"
        "- Config rule `iam-password-policy`: parameter MinimumPasswordLength 14 → 12 (weaker)\n"
        "- Config rule `iam-password-policy`: parameter RequireSymbols true → false (weaker)\n\n")
    assert json.loads(format_review(review, "json"))["summary"][1] == {
        "action": "changed", "addresses": ["module.iam.aws_iam_account_password_policy.this"], "area": "iam",
        "text": "password policy: symbols no longer required (weaker)"}


ACCOUNT_ADDED = ("account 666666666666 (payments-dev) added: Regions ap-northeast-1, us-east-1; baseline modules `job_roles`, "
                 "`kms`, `config`, `guards`, `account_detection`, `patching`, `ci`; job function roles Administrators, IAMAdmins, "
                 "InfraAdmins, Operators, PaymentsApps, SecurityAdmins")
REACH_ADDED = "every job function, Administrators included, can now assume its role in account 666666666666 (payments-dev) (weaker)"


def test_a_new_account_is_one_line_for_the_account_and_one_reach_line_for_every_job_function(acme_org, tmp_path):
    review = build_review(acme_org, _render(tmp_path, "new", _changed(ACME_ORG, PAYMENTS_DEV)))
    assert [c.text for c in review.summary] == [
        ACCOUNT_ADDED, REACH_ADDED,
        "account `log-archive`: bucket `acme-config-200000000002`: bucket policy statement `AWSConfigBucketDelivery` now "
        "also covers account 666666666666 (payments-dev)",
        "account `security`: Security Hub members: payments-dev (every Region)",
        "account `security`: Inspector members: payments-dev (ap-northeast-1, us-east-1)",
        "account 666666666666 (payments-dev) placed in the organisation root by Terraform (imported by its id; moved there on apply if "
        "it is elsewhere)"]
    account, reach = review.summary[:2]
    assert (account.area, account.action, account.addresses) == ("accounts", "added", ("accounts/payments-dev:",))
    assert reach.area == "iam" and reach.action == "added"
    assert reach.addresses == tuple(f"accounts/identity:module.iam.aws_iam_policy.{n}_assume_role" for n in (
        "administrators", "iam_admins", "infra_admins", "operators", "payments_apps", "security_admins"))
    markdown = _summary_markdown(review)
    assert markdown.startswith(f"### Security summary (6)\n\n- {ACCOUNT_ADDED}\n- {REACH_ADDED}\n")
    assert not [n for n in NOISE + ("module `", "region `") if n in markdown]
    text = format_review(review, "text")
    assert f"  - {ACCOUNT_ADDED}\n  - {REACH_ADDED}\n" in text and "module `" not in text.split("Terraform will")[0]
    assert json.loads(format_review(review, "json"))["summary"][0] == {
        "action": "added", "addresses": ["accounts/payments-dev:"], "area": "accounts", "text": ACCOUNT_ADDED}


def test_a_new_region_reads_as_allowed_by_the_region_restriction(acme_org, tmp_path):
    review = build_review(acme_org, _render(tmp_path, "new", _changed(ACME_ORG, EU_WEST_2)))
    scp = [c for c in review.summary if c.text.startswith("SCP")]
    assert [(c.area, c.action, c.text, c.addresses) for c in scp] == [
        ("governance", "changed", "SCP region-restriction: eu-west-2 now allowed (weaker)",
         ("accounts/management:module.governance.aws_organizations_policy.region_restriction",))]
    markdown = _summary_markdown(review)
    assert markdown == (
        "### Security summary (6)\n\n"
        "- accounts `identity`, `payments-prod`: region `eu-west-2` added (Config, IAM Access Analyzer, EBS default "
        "encryption, closed default security groups, patching)\n"
        "- account `log-archive`: region `eu-west-2` added (Config, IAM Access Analyzer, EBS default encryption, closed "
        "default security groups)\n"
        "- account `management`: region `eu-west-2` added (GuardDuty, Config, Security Hub, IAM Access Analyzer, Inspector, "
        "EBS default encryption, closed default security groups)\n"
        "- account `security`: region `eu-west-2` added (GuardDuty, Config, Security Hub, IAM Access Analyzer, Inspector, "
        "ECR image scanning, EBS default encryption, closed default security groups, finding notifications)\n"
        "- account `security`: Inspector members: identity, log-archive, management, payments-prod (eu-west-2)\n"
        "- SCP region-restriction: eu-west-2 now allowed (weaker)\n\n")
    assert not [n for n in NOISE if n in markdown]
    regions = json.loads(format_review(review, "json"))["summary"][0]
    assert (regions["area"], regions["addresses"]) == ("regions", ["accounts/identity:", "accounts/payments-prod:"])
    assert json.loads(format_review(review, "json"))["summary"][-1]["text"] == "SCP region-restriction: eu-west-2 now allowed (weaker)"


def test_removing_a_region_reads_as_denied_by_the_region_restriction(acme_org, tmp_path):
    review = build_review(acme_org, _render(tmp_path, "new", _changed(
        ACME_ORG, ("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1]"))))
    assert [c.text for c in review.summary if c.text.startswith("SCP")] == [
        "SCP region-restriction: us-east-1 now denied (stronger)"]


def test_disabling_a_security_hub_control_gives_its_reason_once_and_no_plumbing(acme, tmp_path):
    without = _render(tmp_path, "without", _changed(ACME, IAM_6))
    review = build_review(without, acme)
    line = ("Security Hub control `IAM.6` disabled in `aws-foundational`, `cis-1.4` (weaker): Root user credentials are "
            "deleted through AWS Organizations centralised root access; there is no root MFA device to check.")
    assert [c.text for c in review.summary] == [line]
    assert _summary_markdown(review) == (
        "### Security summary (1)\n\n"
        "- Security Hub control `IAM.6` disabled in `aws-foundational`, `cis-1.4` (weaker): Root user credentials are "
        "deleted through AWS Organizations centralised root access; there is no root MFA device to check.\n\n")
    assert json.loads(format_review(review, "json"))["summary"][0]["text"] == line
    again = build_review(acme, without)
    assert [c.text for c in again.summary] == [
        "Security Hub control `IAM.6` enabled again in `aws-foundational`, `cis-1.4` (stronger)"]


def test_removing_an_account_reads_as_every_job_function_losing_its_role_there(acme_org, tmp_path):
    staging = ('  - name: payments-staging\n    id: "060000000006"\n    role: workload\n    unit: Workloads/NonProd\n'
               '    description: The payments '
               'application, staging (検証); patches are tried here first.\n    regions: [ap-northeast-1]          # staging '
               'runs in Tokyo only\n')
    review = build_review(acme_org, _render(tmp_path, "new", _changed(ACME_ORG, (staging, ""))))
    assert [c.text for c in review.summary if "job function" in c.text] == [
        "account 060000000006 (payments-staging) removed: Region ap-northeast-1; baseline modules `job_roles`, `kms`, "
        "`config`, `guards`, `account_detection`, `patching`, `ci`; job function roles Administrators, IAMAdmins, InfraAdmins, "
        "Operators, PaymentsApps, SecurityAdmins",
        "every job function, Administrators included, can no longer assume its role in account 060000000006 "
        "(payments-staging) (stronger)"]
    assert not [c for c in review.summary if "module `" in c.text or "region `" in c.text]
    assert ("account `log-archive`: bucket `acme-config-200000000002`: bucket policy statement `AWSConfigBucketDelivery` "
            "no longer covers account 060000000006 (payments-staging)") in [c.text for c in review.summary]
