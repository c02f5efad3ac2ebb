"""governance.policies: presets and policy files of every type, attached to the root, units and accounts; AWS's
quotas and the policy grammar checked offline; no preset denies what the rendered baseline does (the walk of
components/governance/needs.py through policy_presets/evaluate.py).

More refusals: tests/bad_profiles/policies_*.yaml. Terraform validate/plan of the RCP and the declarative policy:
tests/test_terraform_plan.py (examples/acme-org.yaml)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.errors import ProfileError
from baselinegen.components.governance.component import COMPONENT, _view
from baselinegen.components.governance.invariants import governance_problems
from baselinegen.components.governance.needs import blocked, requests
from baselinegen.components.governance.org_policies import preset_body
from baselinegen.policy_presets import PRESETS, grammar
from baselinegen.policy_presets.evaluate import Request, denies
from baselinegen.policy_presets.quotas import QUOTAS, jsonencode_size
from baselinegen.validate import hclcheck
from conftest import EXAMPLES

ORG_EXAMPLE = EXAMPLES / "acme-org.yaml"


def _write(tmp_path: Path, change, files: dict | None = None) -> Path:
    document = yaml.safe_load(ORG_EXAMPLE.read_text(encoding="utf-8"))
    change(document)
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _policies(*items):
    return lambda d: d["governance"].update(policies=list(items))


def _problems(path: Path) -> list[str]:
    """Each problem with its line counted from the ``governance.policies`` key (``+3`` = three lines below it), so
    that the expectations hold whatever the example above the policies holds."""
    with pytest.raises(ProfileError) as caught:
        api.load_profile(path)
    base = path.read_text(encoding="utf-8").splitlines().index("  policies:") + 1
    return [f"+{p.location.line - base}: {p.path}: {p.message} [{p.code}]" for p in caught.value.problems if p.code != "W435"]


@pytest.fixture(scope="module")
def org_data():
    profile = api.load_profile(ORG_EXAMPLE).profile
    return profile.raw, _view(profile.raw)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_is_a_valid_document_of_its_type_within_its_size(org_data, name):
    data, _ = org_data
    preset = PRESETS[name]
    body = preset_body(data, name)
    assert grammar.problems(body, preset.type) == []
    assert jsonencode_size(grammar.minified(body)) <= QUOTAS[preset.type].max_characters
    assert preset.does and preset.why


@pytest.mark.parametrize("name", sorted(p.name for p in PRESETS.values() if p.type in ("scp", "rcp")))
def test_no_preset_denies_what_the_baseline_does_in_any_member_account(org_data, name):
    data, view = org_data
    body = preset_body(data, name)
    for account in view.organization.accounts:
        assert blocked(PRESETS[name].type, body, view, account) is None, account.name


def test_the_walk_covers_applies_plans_people_services_root_sessions_and_ci_sign_in(org_data):
    _, view = org_data
    kinds = {(kind, r.action) for kind, r in requests(view, view.organization.accounts[4])}
    assert {("principal", "cloudtrail:UpdateTrail"), ("principal", "config:DescribeConfigurationRecorders"),
            ("principal", "sts:AssumeRole"), ("principal", "iam:DeleteLoginProfile"), ("service", "s3:PutObject"),
            ("federated", "sts:AssumeRoleWithWebIdentity")} <= kinds


def test_the_data_perimeter_denies_outsiders_plain_http_and_a_confused_deputy_but_not_ci_sign_in(org_data):
    data, _ = org_data
    body = preset_body(data, "data-perimeter")
    outsider = {"aws:PrincipalOrgID": "o-zzzzzzzzzz", "aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "true"}
    assert denies(body, Request("outsider", "s3:GetObject", outsider)) == "EnforceOrganizationIdentities"
    insider = dict(outsider, **{"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:SecureTransport": "false"})
    assert denies(body, Request("http", "s3:GetObject", insider)) == "EnforceSecureTransport"
    deputy = {"aws:PrincipalIsAWSService": "true", "aws:SourceAccount": "999999999999", "aws:SourceOrgID": "o-zzzzzzzzzz",
              "aws:SecureTransport": "true"}
    assert denies(body, Request("deputy", "s3:PutObject", deputy)) == "EnforceConfusedDeputyProtection"
    assert denies(body, Request("ci", "sts:AssumeRoleWithWebIdentity", {"aws:PrincipalIsAWSService": "false",
                                                                        "aws:SecureTransport": "true"})) is None


@pytest.mark.parametrize("operator, key, wanted, context, expected", [
    ("StringNotEqualsIfExists", "aws:PrincipalOrgID", "o-1", {}, True),
    ("StringNotEquals", "aws:PrincipalOrgID", "o-1", {}, True),
    ("StringEquals", "aws:PrincipalOrgID", "o-1", {}, False),
    ("BoolIfExists", "aws:SecureTransport", "false", {}, True),
    ("Null", "aws:AssumedRoot", "true", {"aws:AssumedRoot": "true"}, False),
    ("ArnNotLike", "aws:PrincipalArn", ["arn:aws:iam::*:role/Deploy"], {"aws:principalarn": "arn:aws:iam::1:role/Deploy"}, False),
    ("StringNotEquals", "aws:RequestedRegion", ["eu-west-1"], {"aws:RequestedRegion": "us-east-1"}, True),
])
def test_the_evaluator_reads_condition_operators_as_iam_does(operator, key, wanted, context, expected):
    policy = {"Statement": [{"Sid": "S", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {operator: {key: wanted}}}]}
    assert (denies(policy, Request("x", "s3:GetObject", context)) == "S") is expected


def test_policies_render_with_their_types_attached_to_exactly_their_targets(tmp_path):
    path = _write(tmp_path, _policies(
        {"name": "perimeter", "type": "rcp", "preset": "data-perimeter", "attach": ["root"]},
        {"name": "imds", "type": "declarative-ec2", "preset": "ec2-imdsv2", "attach": ["Workloads/Prod", "payments-staging"]},
        {"name": "ai", "type": "ai-opt-out", "preset": "ai-opt-out-all", "attach": ["root"]}))
    profile = api.load_profile(path).profile
    files = [f for out in COMPONENT.render_organization(profile) for f in out.files]
    parsed, failures = hclcheck.parse_files(files)
    assert failures == [] and governance_problems(parsed, profile, COMPONENT.settings(profile)) == []
    attachments = hclcheck.resource_bodies(parsed, "modules/governance", "resource", "aws_organizations_policy_attachment")
    assert {k: v["for_each"] for k, v in attachments.items() if k in ("perimeter", "imds", "ai")} == {
        "perimeter": '${toset(["root"])}', "imds": '${toset(["Workloads/Prod", "payments-staging"])}', "ai": '${toset(["root"])}'}
    text = next(f.content for f in files if f.path == "modules/governance/organization_policies.tf")
    assert '    "payments-staging" = "060000000006"\n' in text
    assert COMPONENT.settings(profile).policy_types == ("AISERVICES_OPT_OUT_POLICY", "BACKUP_POLICY", "DECLARATIVE_POLICY_EC2",
                                                        "RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY")
    assert COMPONENT.settings(profile).kept_types == ("BACKUP_POLICY",)  # governance.keep_policy_types of the example


def test_a_policy_file_is_read_next_to_the_profile_and_sent_as_written(tmp_path):
    document = {"Version": "2012-10-17", "Statement": [{"Sid": "NoBig", "Effect": "Deny", "Action": "ec2:RunInstances",
                                                        "Resource": "*", "Condition": {"StringNotLike": {"ec2:InstanceType": "t3.*"}}}]}
    path = _write(tmp_path, _policies({"name": "small", "type": "scp", "file": "policies/small.json", "attach": ["Workloads"]}),
                  {"policies/small.json": json.dumps(document)})
    profile = api.load_profile(path).profile
    assert profile.governance.policies[0].body == document


def test_a_service_control_policy_over_10240_characters_fails_naming_the_limit(tmp_path):
    actions = [f"ec2:Action{i:04d}" for i in range(800)]
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": actions, "Resource": "*"}]}
    path = _write(tmp_path, _policies({"name": "huge", "type": "scp", "file": "huge.json", "attach": ["root"]}),
                  {"huge.json": json.dumps(document, indent=2)})
    size = len(json.dumps(document, separators=(",", ":")))
    assert _problems(path) == [f"+3: governance.policies[0].file: policy 'huge' is {size:,} characters of minified JSON; AWS "
                               "Organizations accepts at most 10,240 per SCP [E312]"]


def test_more_service_control_policies_on_a_unit_than_aws_allows_fails_at_the_eleventh(tmp_path):
    items = [{"name": f"no-root-{i}", "type": "scp", "preset": "deny-root-user", "attach": ["Workloads"]} for i in range(10)]
    problems = _problems(_write(tmp_path, _policies(*items)))
    assert problems == ["+50: governance.policies[9].attach[0]: 'Workloads' would hold 11 SCPs (FullAWSAccess and 10 of "
                        "governance.policies); AWS Organizations attaches at most 10 to a root, unit or account [E314]"]


def test_a_region_restriction_that_closes_a_region_where_ci_plans_is_refused(tmp_path):
    path = _write(tmp_path, _policies({"name": "tokyo-only", "type": "scp", "preset": "restrict-regions",
                                       "regions": ["ap-northeast-1"], "attach": ["Workloads/Prod"]}))
    assert _problems(path) == ["+3: governance.policies[0].preset: policy 'tokyo-only' denies what the baseline does in account "
                               "payments-prod: the CI plan role: guardduty:GetDetector in us-east-1 "
                               "(statement DenyOutsideOrganizationRegions) [E316]"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_policy_file_that_links_out_of_the_profiles_folder_is_refused(tmp_path):
    secret = tmp_path / "outside.json"
    secret.write_text("{}", encoding="utf-8")
    inside = tmp_path / "profile"
    inside.mkdir()
    os.symlink(secret, inside / "link.json")
    path = _write(inside, _policies({"name": "linked", "type": "scp", "file": "link.json", "attach": ["root"]}))
    assert _problems(path) == ["+3: governance.policies[0].file: 'link.json' leads outside the profile's folder (a symbolic "
                               "link) or is not a file [E310]"]


def test_a_policy_file_over_64_kib_is_refused_without_being_parsed(tmp_path):
    path = _write(tmp_path, _policies({"name": "big", "type": "tag", "file": "big.json", "attach": ["root"]}),
                  {"big.json": "{" + " " * (64 * 1024) + "}"})
    assert _problems(path) == ["+3: governance.policies[0].file: 'big.json' is over 64 KiB; no organisation policy is that large [E310]"]


def test_a_declarative_policy_file_with_an_unknown_attribute_is_refused(tmp_path):
    path = _write(tmp_path, _policies({"name": "ec2", "type": "declarative-ec2", "file": "ec2.json", "attach": ["root"]}),
                  {"ec2.json": json.dumps({"ec2_attributes": {"imdsv2": {"@@assign": "required"}}})})
    assert _problems(path) == ["+3: governance.policies[0].file: ec2.json: ec2_attributes.imdsv2: 'imdsv2' is not an EC2 "
                               "attribute of declarative policies (exception_message, image_block_public_access, "
                               "allowed_images_settings, instance_metadata_defaults, serial_console, "
                               "snapshot_block_public_access, vpc_block_public_access) [E311]"]


def test_strings_of_a_policy_file_cannot_change_the_generated_code(tmp_path):
    """Policy variables stay IAM's (${...} escaped for HCL); quotes, backslashes and newlines stay inside the string."""
    document = {"Version": "2012-10-17", "Statement": [{"Sid": "Tags", "Effect": "Deny", "Action": "s3:*",
                                                        "Resource": ["arn:aws:s3:::${aws:PrincipalTag/team}/*", "a\"b\\c\nd %{x}"]}]}
    path = _write(tmp_path, _policies({"name": "tags", "type": "scp", "file": "tags.json", "attach": ["root"]}),
                  {"tags.json": json.dumps(document)})
    profile = api.load_profile(path).profile
    files = [f for out in COMPONENT.render_organization(profile) for f in out.files]
    text = next(f.content for f in files if f.path == "modules/governance/organization_policies.tf")
    assert '"arn:aws:s3:::$${aws:PrincipalTag/team}/*"' in text and '"a\\"b\\\\c\\nd %%{x}"' in text
    parsed, failures = hclcheck.parse_files(files)
    assert failures == [] and governance_problems(parsed, profile, COMPONENT.settings(profile)) == []


def test_a_policy_file_that_names_one_account_is_walked_in_that_account_not_judged_by_another(tmp_path):
    """Presets name no account, so the walk judges them once per Region set; a policy file may name one account, so
    it is walked account by account and the warning names the account it blocks (payments-prod has the Regions of
    log-archive, identity and security, walked before it)."""
    from baselinegen.pipeline import check_profile

    document = {"Version": "2012-10-17", "Statement": [{
        "Sid": "NoRolesInProd", "Effect": "Deny", "Action": "iam:CreateRole", "Resource": "*",
        "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::500000000005:role/OrganizationAccountAccessRole"}}}]}
    path = _write(tmp_path, _policies({"name": "prod", "type": "scp", "file": "prod.json", "attach": ["root"]}),
                  {"prod.json": json.dumps(document)})
    problems, _ = check_profile(path)
    assert [f"{p.path}: {p.message} [{p.code}]" for p in problems if p.code == "W450"] == [
        "governance.policies[0].file: policy 'prod' denies what the baseline does in account payments-prod: the "
        "deployment role OrganizationAccountAccessRole: iam:CreateRole in ap-northeast-1 (statement NoRolesInProd) [W450]"]
