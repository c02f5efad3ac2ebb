"""baselinegen diff's "Terraform will replace" list: resources both trees declare (after moved) whose change touches
an argument the aws provider cannot update in place, with the argument and its old and new value, in every format;
and the security summary's line for people. (Terraform's own plan agrees: tests/test_terraform_replacements.py.)"""

from __future__ import annotations

import json
import re

import pytest

from baselinegen import api
from baselinegen.review import Review, build_review, format_review
from baselinegen.review.replaced_lines import DESCRIPTION_RULE
from conftest import EXAMPLES

ACME = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
GROUP_RENAMED = [("- name: InfraAdmins", "- name: PlatformAdmins\n      renamed_from: [InfraAdmins]"),
                 ("groups: [InfraAdmins]", "groups: [PlatformAdmins]")]
ALARM_RENAMED = [("      - id: s3-bucket-deletion\n", "      - id: bucket-deletion\n        renamed_from: [s3-bucket-deletion]\n")]
IAM = "module.iam."


def _files(text: str, folder) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "acme.yaml").write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(folder / "acme.yaml").profile).files}


def _changed(replacements) -> str:
    text = ACME
    for old, new in replacements:
        assert old in text, "the profile change must apply"
        text = text.replace(old, new, 1)
    return text


@pytest.fixture(scope="module")
def acme(tmp_path_factory):
    return _files(ACME, tmp_path_factory.mktemp("acme"))


@pytest.fixture(scope="module")
def group_renamed(acme, tmp_path_factory) -> Review:
    return build_review(acme, _files(_changed(GROUP_RENAMED), tmp_path_factory.mktemp("renamed")))


def test_a_group_rename_replaces_its_membership_attachments_and_own_policy_with_the_values(group_renamed):
    got = {(r.address, r.argument): (r.old, r.new) for r in group_renamed.replaced}
    attachment = IAM + 'aws_iam_group_policy_attachment.platform_admins["{}"]'
    assert got == {
        (IAM + "aws_iam_group_membership.platform_admins", "group"): ("InfraAdmins", "PlatformAdmins"),
        (IAM + "aws_iam_group_membership.platform_admins", "name"): ("InfraAdmins-members", "PlatformAdmins-members"),
        **{(attachment.format(k), "group"): ("InfraAdmins", "PlatformAdmins") for k in (
            "IAMReadOnlyAccess", "PowerUserAccess", "acme-PlatformAdmins-security-read-only", "acme-baseline-guardrails",
            "acme-baseline-mfa")},
        (attachment.format("acme-PlatformAdmins-security-read-only"), "policy_arn"): (
            "arn of module.iam.aws_iam_policy.platform_admins_security_read_only", "(known after apply)"),
        (IAM + "aws_iam_policy.platform_admins_security_read_only", "name"): (
            "acme-InfraAdmins-security-read-only", "acme-PlatformAdmins-security-read-only"),
        (IAM + "aws_iam_policy.platform_admins_security_read_only", "description"): (
            "InfraAdmins: security services read-only", "PlatformAdmins: security services read-only"),
    }
    assert group_renamed.destroyed == ()  # the group itself is renamed in place


def test_the_summary_says_what_a_replacement_means_for_the_groups_members(group_renamed):
    texts = [c.text for c in group_renamed.summary]
    assert "group `PlatformAdmins`'s policies are recreated: its members lose these permissions briefly during apply" in texts
    assert "group `PlatformAdmins`'s membership is recreated: its members leave the group briefly during apply" in texts
    assert DESCRIPTION_RULE not in texts


def test_a_custom_alarm_rename_replaces_the_alarm_and_its_metric_filter(acme, tmp_path_factory):
    review = build_review(acme, _files(_changed(ALARM_RENAMED), tmp_path_factory.mktemp("alarm")))
    assert [(r.address, r.argument, r.old, r.new) for r in review.replaced] == [
        ('module.monitoring.aws_cloudwatch_log_metric_filter.this["bucket-deletion"]', "name", "S3BucketDeletion", "BucketDeletion"),
        ('module.monitoring.aws_cloudwatch_metric_alarm.this["bucket-deletion"]', "alarm_name", "acme-s3-bucket-deletion",
         "acme-bucket-deletion")]
    assert review.destroyed == () and len(review.moved) == 2


def test_a_custom_alarm_rename_reads_as_a_move_followed_by_a_replacement(acme, tmp_path_factory):
    review = build_review(acme, _files(_changed(ALARM_RENAMED), tmp_path_factory.mktemp("alarm-summary")))
    assert [(c.area, c.action, c.text) for c in review.summary] == [
        ("monitoring", "changed", "alarm `s3-bucket-deletion` renamed to `bucket-deletion`: replaced (its and its metric "
                                  "filter's names)"),
        ("monitoring", "changed", "alarm `bucket-deletion`: metric name S3BucketDeletion → BucketDeletion")]
    text = format_review(review, "text")
    assert "alarm `bucket-deletion` added" not in text and "alarm `s3-bucket-deletion` removed" not in text
    assert "Terraform will replace (destroy, then create) (2):" in text  # the list keeps both instances


def test_an_in_place_change_replaces_nothing(acme, tmp_path_factory):
    changed = [("      - id: s3-bucket-deletion\n", "      - id: s3-bucket-deletion\n        period: 900\n")]
    review = build_review(acme, _files(_changed(changed), tmp_path_factory.mktemp("inplace")))
    assert review.summary and review.replaced == ()


def test_the_text_format_lists_each_replaced_resource_with_its_arguments(group_renamed):
    text = format_review(group_renamed, "text")
    assert "Terraform will replace (destroy, then create) (7):\n" in text
    assert ("  - IAM group membership: module.iam.aws_iam_group_membership.platform_admins (group: InfraAdmins → PlatformAdmins; "
            "name: InfraAdmins-members → PlatformAdmins-members)\n") in text


def test_markdown_never_cuts_the_replace_list(group_renamed):
    md = format_review(group_renamed, "markdown", limit=4000)
    assert "✂️" in md and "### ⚠️ Terraform will replace: destroy, then create (7)" in md
    assert len([line for line in md.splitlines() if line.startswith("- IAM group policy attachment: `")]) == 5


def test_json_has_the_replaced_list_and_round_trips(group_renamed):
    data = json.loads(format_review(group_renamed, "json"))
    assert data["replaced"][0] == {"address": IAM + "aws_iam_group_membership.platform_admins", "argument": "group",
                                   "old": "InfraAdmins", "new": "PlatformAdmins"}
    assert Review.from_dict(data) == group_renamed


def test_every_root_and_the_changed_roots_give_the_same_replace_list(acme, tmp_path_factory):
    new = _files(_changed(GROUP_RENAMED), tmp_path_factory.mktemp("roots"))
    assert build_review(acme, new, every_root=True).replaced == build_review(acme, new).replaced


def reworded(text: str) -> str:
    """Every ``description:`` of a profile reworded (a folded ``>-`` one on its first line)."""
    out, folded = [], False
    for line in text.splitlines(keepends=True):
        match = re.match(r"^(\s*description: )(.*?)(\s*#.*)?$", line.rstrip("\n"))
        if folded:
            line, folded = line.rstrip("\n") + " Reworded.\n", False
        elif match and match.group(2) in (">-", ">", "|", "|-"):
            folded = True
        elif match:
            line = f"{match.group(1)}{match.group(2)} Reworded.{match.group(3) or ''}\n"
        out.append(line)
    return "".join(out)


@pytest.mark.parametrize("example", ["acme", "acme-org"])
def test_rewording_every_description_of_the_profile_replaces_nothing(example, tmp_path_factory):
    text = (EXAMPLES / f"{example}.yaml").read_text(encoding="utf-8")
    assert reworded(text).count(" Reworded.") == text.count("description:")
    review = build_review(_files(text, tmp_path_factory.mktemp("before")), _files(reworded(text), tmp_path_factory.mktemp("after")))
    assert review.summary and review.replaced == () and review.destroyed == ()


def test_the_first_render_without_profile_text_in_policy_descriptions_says_it_replaces_them_once(acme):
    policy = acme["modules/iam/policies.tf"]
    stable = 'description = "Operators: start/stop/reboot, Session Manager, alarms and logs"'
    assert stable in policy
    before = {**acme, "modules/iam/policies.tf": policy.replace(stable, 'description = "Day-to-day operations."')}
    review = build_review(before, acme)
    assert [(r.address, r.argument, r.old) for r in review.replaced] == [
        (IAM + 'aws_iam_group_policy_attachment.operators["acme-Operators-operations"]', "policy_arn",
         "arn of module.iam.aws_iam_policy.operators_operations"),
        (IAM + "aws_iam_policy.operators_operations", "description", "Day-to-day operations.")]
    assert DESCRIPTION_RULE in [c.text for c in review.summary]


def test_w426_names_the_job_function_role_in_every_account_of_an_organisation(tmp_path):
    text = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")
    text = text.replace("    - name: Operators\n", "    - name: Operations\n      renamed_from: [Operators]\n", 1)
    text = text.replace("groups: [Operators]", "groups: [Operations]")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    problems = [p for p in api.check_profile(tmp_path / "p.yaml")[0] if p.code == "W426"]
    assert [p.message for p in problems] == [
        "the rename to 'Operations' replaces what carries the group's name and cannot be renamed in place: its "
        "membership, its policy attachments and the policies written for it, and in each of the 6 accounts (management, "
        "log-archive, security, identity, payments-prod, payments-staging) the job function role acme-Operators, "
        "recreated as acme-Operations with its policies and attachments; while `terraform apply` runs, members may "
        "briefly hold its Allow policies without its MFA Deny policies; apply when the group's members are not working"]


def test_a_nested_block_argument_is_compared_block_by_block(acme, monkeypatch):
    from baselinegen.review import replacements

    monkeypatch.setattr(replacements, "replacing_arguments", lambda type_: ("metric_transformation.namespace",))
    text = acme["modules/monitoring/alarms.tf"]
    nested = '    namespace = "CISBenchmark"'
    assert text.count(nested) == 1  # the metric filter's metric_transformation block (the alarm's is not nested)
    review = build_review(acme, {**acme, "modules/monitoring/alarms.tf": text.replace(nested, '    namespace = "Acme"')})
    filters = {r.address for r in review.replaced}
    assert len(filters) == 19 and all("aws_cloudwatch_log_metric_filter.this[" in a for a in filters)
    assert {(r.argument, r.old, r.new) for r in review.replaced} == {("metric_transformation.namespace", "[CISBenchmark]", "[Acme]")}


def test_a_runtime_agent_turned_on_replaces_the_organisation_feature_without_a_gap(tmp_path):
    from test_account_rename_review import ORG, org_files
    base = ORG.replace("lambda-network-logs]\n", "lambda-network-logs, runtime-monitoring]\n    runtime_agents: [ec2]\n", 1)
    assert base != ORG
    review = build_review(org_files(base, tmp_path / "old"), org_files(base.replace("[ec2]", "[ec2, eks]"), tmp_path / "new"))
    feature = "accounts/security:module.detection.aws_guardduty_organization_configuration_feature.runtime_monitoring"
    assert [(r.address, r.argument) for r in review.replaced] == [
        (f'{feature}["ap-northeast-1"]', "additional_configuration"), (f'{feature}["us-east-1"]', "additional_configuration")]
    assert review.destroyed == ()
    texts = [c.text for c in review.summary]
    assert ("GuardDuty organisation feature `module.detection.aws_guardduty_organization_configuration"
            '_feature.runtime_monitoring["ap-northeast-1"]` is replaced for `additional_configuration`: its destroy changes '
            "nothing in AWS and its create applies the new setting, so the protection has no gap") in texts
