"""The review of a regeneration: security summary lines, destroys, moved blocks, for real profile changes.

Old and new trees are rendered in memory from examples/acme.yaml and a changed copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.review import build_review

ACME = (Path(__file__).resolve().parent.parent / "examples" / "acme.yaml").read_text(encoding="utf-8")
REGION_SERVICES = ("GuardDuty, Config, Security Hub, IAM Access Analyzer, Inspector, ECR image scanning, EBS default "
                   "encryption, closed default security groups, patching, finding notifications")


def render(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


@pytest.fixture(scope="module")
def acme(tmp_path_factory) -> dict[str, str]:
    return render(tmp_path_factory.mktemp("old"), ACME)


def changed(text: str, old: str, new: str) -> str:
    assert old in text, "the profile change must apply"
    return text.replace(old, new, 1)


def review_of(acme, tmp_path, *replacements):
    text = ACME
    for old, new in replacements:
        text = changed(text, old, new)
    return build_review(acme, render(tmp_path, text))


def lines(review) -> list[str]:
    return [c.text for c in review.summary]


def test_adding_a_group_is_one_line_with_its_duty_members_and_policies(acme, tmp_path):
    review = review_of(acme, tmp_path,
                       ("      description: Day-to-day operations.\n",
                        "      description: Day-to-day operations.\n    - name: Auditors\n      duty: read-only\n"),
                       ("      groups: [Operators]", "      groups: [Operators, Auditors]"))
    assert lines(review) == [
        "group `Auditors` added (duty read-only; members sota.yamamoto; policies ReadOnlyAccess, acme-baseline-mfa)"]
    assert review.summary[0].area == "iam" and review.summary[0].action == "added"
    assert review.summary[0].addresses == ("module.iam.aws_iam_group.auditors",)
    assert review.destroyed == () and review.moved == ()


def test_removing_an_alarm_names_it_and_destroys_its_filter_and_alarm(acme, tmp_path):
    review = review_of(acme, tmp_path, ("    benchmark: cis-1.4 ", "    exclude: [root-usage]\n    benchmark: cis-1.4 "))
    assert lines(review) == ["alarm `root-usage` removed (weaker)"]
    assert review.destroyed == ('module.monitoring.aws_cloudwatch_log_metric_filter.this["root-usage"]',
                                'module.monitoring.aws_cloudwatch_metric_alarm.this["root-usage"]')


def test_adding_a_region_names_the_services_that_start_there_and_destroys_nothing(acme, tmp_path):
    review = review_of(acme, tmp_path, ("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1, us-east-1, eu-west-1]"))
    assert lines(review) == [f"region `eu-west-1` added ({REGION_SERVICES})"]
    assert review.summary[0].area == "regions"
    assert review.destroyed == ()


def test_removing_a_region_destroys_its_regional_instances_only(acme, tmp_path):
    review = review_of(acme, tmp_path, ("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1]"))
    assert lines(review) == [f"region `us-east-1` removed ({REGION_SERVICES})"]
    assert 'module.detection.aws_guardduty_detector.this["us-east-1"]' in review.destroyed
    assert "module.detection.aws_securityhub_finding_aggregator.this[0]" in review.destroyed  # no other Region to aggregate
    assert all("us-east-1" in a or a.endswith("[0]") for a in review.destroyed)
    # home-Region-only Config rules never ran in us-east-1: nothing to destroy there
    assert 'module.config.aws_config_config_rule.this["us-east-1/iam-password-policy"]' not in review.destroyed


def test_a_shorter_password_reads_as_weaker(acme, tmp_path):
    review = review_of(acme, tmp_path, ("minimum_length: 14", "minimum_length: 12"))
    assert lines(review) == ["password policy: minimum length 14 → 12 (weaker)",
                             "Config rule `iam-password-policy`: parameter MinimumPasswordLength 14 → 12 (weaker)"]
    assert review.destroyed == ()


def test_key_rotation_off_is_one_line(acme, tmp_path):
    review = review_of(acme, tmp_path, ("      rotation: true\n", "      rotation: false\n"))
    assert lines(review) == ["KMS key `logs`: rotation turned off (weaker)"]
    assert review.destroyed == ()


def test_removing_a_group_and_its_user_lists_every_destroyed_resource(acme, tmp_path):
    review = review_of(acme, tmp_path,
                       ("    - name: Operators\n      duty: operator\n      description: Day-to-day operations.\n", ""),
                       ("    - name: sota.yamamoto\n      groups: [Operators]\n", ""))
    assert lines(review) == ["group `Operators` removed (duty operator; members sota.yamamoto)",
                             "user `sota.yamamoto` removed (was in Operators)"]
    assert review.destroyed == (
        "module.iam.aws_iam_group.operators",
        "module.iam.aws_iam_group_membership.operators",
        'module.iam.aws_iam_group_policy_attachment.operators["acme-Operators-operations"]',
        'module.iam.aws_iam_group_policy_attachment.operators["acme-baseline-mfa"]',
        'module.iam.aws_iam_group_policy_attachment.operators["job-function/ViewOnlyAccess"]',
        "module.iam.aws_iam_policy.operators_operations",
        "module.iam.aws_iam_user.sota_yamamoto",
    )


@pytest.mark.parametrize("replacement, expected", [
    pytest.param(("require_for_console: true", "require_for_console: false"),
                 ["MFA no longer required: MFA policy `acme-baseline-mfa` removed (was attached to Administrators, "
                  "IAMAdmins, InfraAdmins, Operators, PaymentsApps, SecurityAdmins) (weaker)"], id="mfa-off"),
    pytest.param(("groups: [InfraAdmins]", "groups: [InfraAdmins, Operators]"),
                 ["group `Operators`: member `haruto.suzuki` added"], id="member-added"),
    pytest.param(("deletion_window_days: 30", "deletion_window_days: 7"),
                 ["KMS key `logs`: deletion window 30 days → 7 days (weaker)"], id="deletion-window"),
    pytest.param(("log_file_validation: true", "log_file_validation: false"),
                 ["trail `acme-trail`: log file validation turned off (weaker)"], id="log-file-validation"),
    pytest.param(("    data_events:\n      s3: write", "    data_events:\n      s3: none"),
                 ["trail `acme-trail`: event selectors removed: management events only (the default), no data events (weaker)"],
                 id="data-events-off"),
    pytest.param(("      - platform-oncall@acme.example\n", ""),
                 ["topic subscriber `platform-oncall@acme.example` (email) removed (weaker)"], id="subscriber-removed"),
    pytest.param(("standards: [aws-foundational, cis-1.4, pci-dss-3.2.1]", "standards: [aws-foundational, cis-1.4]"),
                 ["Security Hub standard `pci-dss-3.2.1` disabled (weaker)"], id="standard-removed"),
    pytest.param(("features: [s3-data-events, eks-audit-logs,", "features: [s3-data-events,"),
                 ["GuardDuty protection plan `EKS_AUDIT_LOGS` turned off (weaker)"], id="guardduty-plan-off"),
    pytest.param(("  guardduty:\n    # Threats", "  guardduty:\n    enabled: false\n    # Threats"),
                 ["GuardDuty turned off (weaker)"],  # the topic input stays: Security Hub's findings still notify
                 id="guardduty-off"),
    pytest.param(("  inspector:\n    resource_types: [ec2, ecr, lambda]", "  inspector:\n    resource_types: [ec2, lambda]"),
                 ["Inspector: resource types -ECR (weaker)", "ECR image scanning: scan frequency CONTINUOUS_SCAN → SCAN_ON_PUSH (weaker)",
                  "ECR image scanning: scan type ENHANCED → BASIC (weaker)"], id="inspector-ecr-off"),
    pytest.param(("ebs_default_encryption: true", "ebs_default_encryption: false"),
                 ["EBS default encryption turned off (removing the resource turns it off) (weaker)"], id="ebs-off"),
    pytest.param(("close_default_security_groups: true", "close_default_security_groups: false"),
                 ["default security groups no longer closed by Terraform (their rules stay as they are)"], id="sg-open"),
    pytest.param(("approve_after_days: 7 ", "approve_after_days: 3 "),
                 ["patch baseline `production/amazon-linux-2023`: approval delay 9 days → 5 days (stronger)",
                  "patch baseline `production/windows`: approval delay 9 days → 5 days (stronger)",
                  "patch baseline `staging/amazon-linux-2023`: approval delay 7 days → 3 days (stronger)",
                  "patch baseline `staging/windows`: approval delay 7 days → 3 days (stronger)"], id="approval-days"),
    pytest.param(("schedule: cron(0 2 ? * TUE *)", "schedule: cron(0 3 ? * WED *)"),
                 ["maintenance window `acme-patch-<group>`: schedule cron(0 2 ? * TUE *) → cron(0 3 ? * WED *)"],
                 id="patch-schedule"),
    pytest.param(("patching:\n  # OS security", "patching:\n  enabled: false\n  # OS security"),
                 ["policy `acme-baseline-apply-boundary`: statement `BaselineServices` -ssm:*",  # ci.github: the CI roles
                  "policy `acme-baseline-apply-manage`: statement `ManageBaselineResources` -ssm:AddTagsToResource, "  # follow
                  "-ssm:CreateMaintenanceWindow, -ssm:CreatePatchBaseline, -ssm:DeleteMaintenanceWindow, -ssm:DeletePatchBaseline, "
                  "-ssm:DeregisterPatchBaselineForPatchGroup, -ssm:DeregisterTargetFromMaintenanceWindow, "
                  "-ssm:DeregisterTaskFromMaintenanceWindow, -ssm:DescribeMaintenanceWindowTargets, "
                  "-ssm:DescribeMaintenanceWindowTasks, -ssm:DescribeMaintenanceWindows, -ssm:DescribePatchBaselines, "
                  "-ssm:DescribePatchGroups, -ssm:GetMaintenanceWindow, -ssm:GetMaintenanceWindowTask, -ssm:GetPatchBaseline, "
                  "… 10 more",
                  "policy `acme-baseline-plan-read`: statement `RefreshBaselineResources` -ssm:DescribeMaintenanceWindowTargets, "
                  "-ssm:DescribeMaintenanceWindowTasks, -ssm:DescribeMaintenanceWindows, -ssm:DescribePatchBaselines, "
                  "-ssm:DescribePatchGroups, -ssm:GetMaintenanceWindow, -ssm:GetMaintenanceWindowTask, -ssm:GetPatchBaseline, "
                  "-ssm:GetPatchBaselineForPatchGroup, -ssm:ListTagsForResource",
                  "module `patching` removed (patching)"], id="patching-off"),
])
def test_summary_lines(acme, tmp_path, replacement, expected):
    assert lines(review_of(acme, tmp_path, replacement)) == expected


def test_a_service_turned_off_still_lists_every_resource_it_destroys(acme, tmp_path):
    review = review_of(acme, tmp_path, ("  guardduty:\n    # Threats", "  guardduty:\n    enabled: false\n    # Threats"))
    assert 'module.detection.aws_guardduty_detector.this["ap-northeast-1"]' in review.destroyed
    assert 'module.detection.aws_guardduty_detector_feature.this["us-east-1/S3_DATA_EVENTS"]' in review.destroyed
    assert 'module.detection.aws_cloudwatch_event_rule.guardduty_findings["ap-northeast-1"]' in review.destroyed
    # the forwarding role stays: Inspector's and Access Analyzer's findings rules forward through it too
    assert "module.detection.aws_iam_role.findings_forwarding" not in review.destroyed
