"""What ``adopt`` shows people: the review lists each import with the settings the same apply brings the resource
to, says when dropping a named entry renames (and so replaces) the resource, and nothing else; the controls report is
the same as without adopt; the first-apply runbook gives each adopting root its import count; validation knows the
delegated-administrator registrations the management root renders."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import EXAMPLES

REGIONS = ("ap-northeast-1", "us-east-1")


def _files(profile: Path) -> dict[str, str]:
    from baselinegen.pipeline import load_profile, render_tree

    return {f.path: f.content for f in render_tree(load_profile(profile).profile).files}


def test_the_review_lists_imports_by_effect_and_a_removed_adopt_entry_changes_nothing(tmp_path):
    from baselinegen.review import build_review, format_review

    (tmp_path / "brownfield.yaml").write_text((EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8"))
    text = (EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8")
    (tmp_path / "plain.yaml").write_text(text.replace("    adopt: [password-policy]\n", "", 1), encoding="utf-8")
    review = build_review(_files(tmp_path / "plain.yaml"), _files(tmp_path / "brownfield.yaml"))
    address = "module.job_roles.aws_iam_account_password_policy.this"
    assert review.imports == (
        f"accounts/payments-staging: Account password policy: adopted (imported, not created; `{address}`); settings "
        "brought to the profile by the same apply: minimum_password_length 14, require_uppercase_characters true, "
        "require_lowercase_characters true, require_numbers true, require_symbols true, allow_users_to_change_password "
        "true, password_reuse_prevention 24 (the profile's values: the review cannot see the current ones in AWS; the "
        "plan shows those that differ as changes); the import block is safe to remove after that first apply (before "
        "it, Terraform would create the resource again)",)
    assert review.destroyed == () and review.summary == ()
    back = build_review(_files(tmp_path / "brownfield.yaml"), _files(tmp_path / "plain.yaml"))
    assert back.imports == (f"accounts/payments-staging: Account password policy: import block removed: nothing changes "
                            f"in AWS (`{address}`; Terraform keeps managing it once an apply imported it)",)
    assert back.destroyed == () and back.summary == ()
    assert "Imports (1):\n  - accounts/payments-staging: Account password policy: import block removed" in format_review(back, "text")
    assert "### Imports (1)\n\n- accounts/payments-staging: Account password policy: adopted" in format_review(review, "markdown")


def test_the_review_lists_the_settings_the_apply_brings_an_adopted_detector_and_recorder_to(tmp_path):
    """GuardDuty: the detector's arguments and the protection plans its module sets; Config: the recorder's recording
    group decided per Region (global resource types in the home Region only), the channel's delivery."""
    from baselinegen.review import build_review

    text = (EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8")
    entries = "      - config\n      - config-service-role\n      - ebs-encryption\n      - guardduty                      #"
    assert entries in text
    (tmp_path / "brownfield.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "plain.yaml").write_text(text.replace(entries, "      - ebs-encryption\n      #"), encoding="utf-8")
    lines = build_review(_files(tmp_path / "plain.yaml"), _files(tmp_path / "brownfield.yaml")).imports
    brought = {line.split(": adopted")[0]: line.split("by the same apply: ")[1].split(" (the profile's values")[0] for line in lines}
    assert brought == {
        **{f"accounts/security: GuardDuty detector in {r}": (
            "enable true, finding_publishing_frequency FIFTEEN_MINUTES, protection plans enabled: S3_DATA_EVENTS, "
            "EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, LAMBDA_NETWORK_LOGS, protection plans disabled: "
            "RUNTIME_MONITORING") for r in REGIONS},
        **{f"accounts/security: Config recorder in {r}": (
            f"recording_group.all_supported true, recording_group.include_global_resource_types {str(r == REGIONS[0]).lower()}")
           for r in REGIONS},
        **{f"accounts/security: Config delivery channel in {r}": (
            "s3_bucket_name acme-config-200000000002, snapshot_delivery_properties.delivery_frequency TwentyFour_Hours")
           for r in REGIONS},
        **{f"accounts/security: Config recording status in {r}": "is_enabled true" for r in REGIONS},
        "accounts/security: IAM service-linked role": "aws_service_name config.amazonaws.com"}
    assert all(line.endswith("the import block is safe to remove after that first apply (before it, Terraform would "
                             "create the resource again)") for line in lines)


def test_adopted_resources_count_in_the_controls_like_created_ones():
    from baselinegen.pipeline import controls

    brownfield, created = controls(EXAMPLES / "acme-brownfield.yaml"), controls(EXAMPLES / "acme-org.yaml")
    assert dataclasses.replace(brownfield, profile=created.profile) == created


def test_the_review_warns_when_dropping_a_named_entry_renames_and_so_replaces_the_resource(tmp_path):
    from baselinegen.review import build_review

    text = (EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8")
    named = "      - {part: access-analyzer, name: ConsoleAnalyzer-7f3e9c1a, regions: [ap-northeast-1]}\n"
    assert named in text
    (tmp_path / "brownfield.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "dropped.yaml").write_text(text.replace(named, ""), encoding="utf-8")
    address = 'module.detection.aws_accessanalyzer_analyzer.this["ap-northeast-1"]'
    review = build_review(_files(tmp_path / "brownfield.yaml"), _files(tmp_path / "dropped.yaml"))
    assert review.imports == (
        f"accounts/security: IAM Access Analyzer analyzer in ap-northeast-1: import block removed with the adopt entry that "
        f"named it `ConsoleAnalyzer-7f3e9c1a`: the baseline's name comes back, and a new name replaces the resource "
        f"(`{address}`); keep the entry to keep the name (weaker)",)


def test_dropping_a_named_config_entry_says_the_recorder_and_channel_are_replaced(tmp_path):
    from baselinegen.review import build_review

    text = (EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8")
    named = "      - {part: config, name: payments-recorder, delivery_channel: payments-delivery}\n"
    assert named in text
    (tmp_path / "brownfield.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "dropped.yaml").write_text(text.replace(named, ""), encoding="utf-8")
    review = build_review(_files(tmp_path / "brownfield.yaml"), _files(tmp_path / "dropped.yaml"))
    replaced = [(line.split(": import block removed")[0], line.split("named it `")[1].split("`")[0])
                for line in review.imports if "a new name replaces the resource" in line]
    assert replaced == [(f"accounts/payments-prod: Config {what} in {r}", name) for what, name in (
        ("recorder", "payments-recorder"), ("delivery channel", "payments-delivery")) for r in REGIONS]
    assert all(line.endswith("(weaker)") for line in review.imports if "a new name" in line)
    # the recording status goes with its recorder: its import block is removed and nothing else is said of it
    assert sum("Config recording status" in line and "nothing changes in AWS" in line for line in review.imports) == 2


@pytest.mark.parametrize("example", ["acme-org", "acme-brownfield", "acme-identity-center"])
def test_validation_knows_the_registrations_the_management_root_renders(example):
    """delegated-administrator entries are checked against profile/adopt.py's list of principals: it must be the
    list the governance module registers (aws_organizations_delegated_administrator.security)."""
    import re

    from baselinegen.pipeline import load_profile, render_tree
    from baselinegen.profile.adopt import delegated_principals

    profile = load_profile(EXAMPLES / f"{example}.yaml").profile
    main = next(f.content for f in render_tree(profile).files if f.path == "modules/governance/main.tf")
    block = re.search(r'resource "aws_organizations_delegated_administrator" "security" \{\n  for_each = toset\(\[\n(.*?)\]\)', main, re.S)
    rendered = tuple(re.findall(r'"([^"]+)"', block[1])) if block else ()
    assert rendered and delegated_principals(profile.raw) == rendered


def test_the_first_apply_runbook_gives_each_adopting_root_its_import_count():
    """The counts the Terraform run of the brownfield example checks (test_every_adopting_root_plans_its_imports...)."""
    from baselinegen.pipeline import load_profile, render_tree

    readme = next(f.content for f in render_tree(load_profile(EXAMPLES / "acme-brownfield.yaml").profile).files
                  if f.path == "README.md")
    assert ("so its first plan shows\n`16 to import` and changes only the service principals and policy types (and brings "
            "what its `adopt` entries import to the profile, in place)") in readme
    assert ("(`accounts/management`: `16 to import`; `accounts/security`: `18 to import`; `accounts/payments-prod`: "
            "`8 to import`; `accounts/payments-staging`: `1 to import`)") in readme
