"""IAM in the organisation layout: job function roles in every account, users and groups in the identity account."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.components.base import EVERY_ACCOUNT, IDENTITY
from baselinegen.components.iam.component import COMPONENT
from baselinegen.render.filters import tf_identifier
from baselinegen.validate.hclcheck import parse_files, resource_bodies, unquote
from baselinegen.components.iam.invariants import iam_problems
from support.provider_schema import validate_terraform_dir
from conftest import plain_hcl
from support.checkov_run import run_checkov

EXAMPLE_ORG = Path(__file__).resolve().parent.parent / "examples" / "acme-org.yaml"
ACCOUNT_IDS = ["060000000006", "100000000001", "200000000002", "300000000003", "400000000004", "500000000005"]
GROUPS = ["Administrators", "InfraAdmins", "SecurityAdmins", "IAMAdmins", "PaymentsApps", "Operators"]


PROGRAMMATIC_USER = """\
    - name: payments-deploy
      programmatic: true
      statements:
        - sid: DeployPaymentsFunctions
          actions: [lambda:UpdateFunctionCode]
          resources: ["arn:<partition>:lambda:*:<account>:function:payments-*"]
"""


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """examples/acme-org.yaml with a programmatic user (W433: its policy acts in the identity account only)."""
    text = EXAMPLE_ORG.read_text()
    anchor = "      groups: [Operators]\n"
    assert anchor in text
    path = tmp_path_factory.mktemp("org-iam") / "acme-org.yaml"
    path.write_text(text.replace(anchor, anchor + PROGRAMMATIC_USER, 1))
    return api.load_profile(path).profile


@pytest.fixture(scope="module")
def outputs(profile):
    return {out.module.name: out for out in COMPONENT.render_organization(profile)}


@pytest.fixture(scope="module")
def parsed(outputs):
    result, failures = parse_files([f for out in outputs.values() for f in out.files])
    assert failures == []
    return result


def test_job_roles_go_to_every_account_and_iam_to_the_identity_account_only(outputs):
    assert list(outputs) == ["job_roles", "iam"]
    assert outputs["job_roles"].placement == EVERY_ACCOUNT
    assert outputs["iam"].placement == frozenset({IDENTITY})
    assert outputs["job_roles"].module.source == "./modules/job_roles"
    assert outputs["job_roles"].module.inputs == (("regions", "local.regions"),)  # the security-admin duty's Regions
    assert outputs["iam"].module.inputs == ()
    assert [name for name, _ in outputs["iam"].module.outputs] == ["iam_group_arns", "iam_user_arns"]
    assert [name for name, _ in outputs["job_roles"].module.outputs] == ["job_roles_role_arns", "job_roles_permissions_boundary_arn"]


def test_every_role_trusts_only_the_identity_account_with_mfa_and_the_users_name(parsed):
    trust = resource_bodies(parsed, "modules/job_roles", "data", "aws_iam_policy_document")["trust"]
    assert plain_hcl(trust) == {"statement": [{
        "sid": "AssumeFromIdentityAccountWithMFA", "effect": "Allow", "actions": ["sts:AssumeRole"],
        "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::400000000004:root"]}],
        "condition": [
            {"test": "Bool", "variable": "aws:MultiFactorAuthPresent", "values": ["true"]},
            {"test": "NumericLessThan", "variable": "aws:MultiFactorAuthAge", "values": ["43200"]},
            {"test": "StringEquals", "variable": "sts:RoleSessionName", "values": ["$${aws:username}"]},
        ],
    }]}
    roles = resource_bodies(parsed, "modules/job_roles", "resource", "aws_iam_role")
    assert {rid: plain_hcl(body) for rid, body in roles.items()}["operators"] == {
        "name": "acme-Operators", "path": "/baseline/",
        "description": "Operators job function (operator), assumed from the identity account with MFA",
        "assume_role_policy": "${data.aws_iam_policy_document.trust.json}", "max_session_duration": 3600}
    assert sorted(unquote(b["name"]) for b in roles.values()) == sorted(f"acme-{g}" for g in GROUPS)
    assert {b["assume_role_policy"] for b in roles.values()} == {"${data.aws_iam_policy_document.trust.json}"}


def test_each_group_may_assume_exactly_its_own_role_in_the_six_accounts_with_mfa(parsed):
    documents = resource_bodies(parsed, "modules/iam", "data", "aws_iam_policy_document")
    attachments = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_group_policy_attachment")
    for group in GROUPS:
        gid = tf_identifier(group)
        assert plain_hcl(documents[f"{gid}_assume_role"]) == {"statement": [{
            "sid": "AssumeJobFunctionRoleWithMFA", "effect": "Allow", "actions": ["sts:AssumeRole"],
            "resources": [f"arn:aws:iam::{account}:role/baseline/acme-{group}" for account in ACCOUNT_IDS],
            "condition": [{"test": "Bool", "variable": "aws:MultiFactorAuthPresent", "values": ["true"]}],
        }]}
        assert plain_hcl(attachments[gid]["for_each"]) == {
            f"acme-{group}-assume-role": f"${{aws_iam_policy.{gid}_assume_role.arn}}",
            "acme-baseline-mfa": "${aws_iam_policy.mfa.arn}"}
    assert sorted(documents) == sorted(["mfa", "payments_deploy_direct"] + [f"{tf_identifier(g)}_assume_role" for g in GROUPS])


def test_each_role_carries_exactly_its_groups_single_account_policies(profile, parsed):
    single, failures = parse_files(COMPONENT.render(profile).files)
    assert failures == []
    group_attachments = resource_bodies(single, "modules/iam", "resource", "aws_iam_group_policy_attachment")
    role_attachments = resource_bodies(parsed, "modules/job_roles", "resource", "aws_iam_role_policy_attachment")
    for group in GROUPS:
        gid = tf_identifier(group)
        expected = {k: v for k, v in group_attachments[gid]["for_each"].items() if k != '"acme-baseline-mfa"'}
        assert role_attachments[gid]["for_each"] == expected
    # the customer managed documents are the single-account ones, statement for statement (the boundary included)
    single_docs = resource_bodies(single, "modules/iam", "data", "aws_iam_policy_document")
    role_docs = resource_bodies(parsed, "modules/job_roles", "data", "aws_iam_policy_document")
    assert sorted(role_docs) == sorted(set(single_docs) - {"mfa", "payments_deploy_direct"} | {"trust"})
    assert all(role_docs[name] == single_docs[name] for name in role_docs if name != "trust")
    assert unquote(resource_bodies(parsed, "modules/job_roles", "resource", "aws_iam_policy")["boundary"]["name"]) == "acme-baseline-boundary"


def test_the_password_policy_is_in_job_roles_only(outputs, parsed):
    assert list(resource_bodies(parsed, "modules/job_roles", "resource", "aws_iam_account_password_policy")) == ["this"]
    assert resource_bodies(parsed, "modules/iam", "resource", "aws_iam_account_password_policy") == {}
    assert outputs["job_roles"].placement == EVERY_ACCOUNT  # one job_roles call per account root: one password policy each


def test_users_and_groups_exist_only_in_the_identity_accounts_module(parsed):
    for type_ in ("aws_iam_user", "aws_iam_group", "aws_iam_group_membership", "aws_iam_user_policy_attachment"):
        assert resource_bodies(parsed, "modules/job_roles", "resource", type_) == {}
    users = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_user")
    assert sorted(users) == ["aiko_tanaka", "haruto_suzuki", "kenji_sato", "mei_ito", "payments_deploy", "ren_watanabe",
                             "sota_yamamoto", "yui_takahashi"]
    # the programmatic user keeps its direct policy, which acts in the identity account
    direct = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_user_policy_attachment")
    assert plain_hcl(direct["payments_deploy"]["for_each"]) == {"acme-payments-deploy-direct": "${aws_iam_policy.payments_deploy_direct.arn}"}


def test_controls_name_the_cross_account_roles_and_mfa_on_role_assumption(outputs):
    rows = {c.what: c.how for c in outputs["job_roles"].controls}
    assert rows["Cross-account job function roles"] == ("every account has one role per job function, `acme-<Group>`, "
                                                        "with the group's policies; it trusts only the `identity` account")
    assert rows["MFA on role assumption"] == ("a role session needs MFA at most 12 hours old and the user's name as session "
                                              "name; sessions last at most 60 minutes")
    assert list(rows) == ["Password policy", "Permissions boundary", "Cross-account job function roles", "MFA on role assumption"]
    assert [c.what for c in outputs["iam"].controls] == ["IAM users in one account", "Permissions only through roles",
                                                         "No access keys or passwords created", "MFA for console users"]


def test_a_renamed_group_moves_its_group_in_iam_and_its_role_in_job_roles(tmp_path):
    text = EXAMPLE_ORG.read_text().replace("    - name: Operators\n", "    - name: SiteOperators\n      renamed_from: [Operators]\n")
    path = tmp_path / "org.yaml"
    path.write_text(text.replace("groups: [Operators]", "groups: [SiteOperators]"))
    moves = COMPONENT.organization_moves(api.load_profile(path).profile)
    assert [(m.from_address, m.to_address) for m in moves["job_roles"]] == [
        ("aws_iam_role.operators", "aws_iam_role.site_operators"),
        ('aws_iam_role_policy_attachment.operators["job-function/ViewOnlyAccess"]', 'aws_iam_role_policy_attachment.site_operators["job-function/ViewOnlyAccess"]'),
        ('aws_iam_role_policy_attachment.operators["acme-Operators-operations"]',
         'aws_iam_role_policy_attachment.site_operators["acme-SiteOperators-operations"]'),
        ("aws_iam_policy.operators_operations", "aws_iam_policy.site_operators_operations"),
    ]
    assert [(m.from_address, m.to_address) for m in moves["iam"]] == [
        ("aws_iam_group.operators", "aws_iam_group.site_operators"),
        ("aws_iam_group_membership.operators", "aws_iam_group_membership.site_operators"),
        ('aws_iam_group_policy_attachment.operators["acme-Operators-assume-role"]',
         'aws_iam_group_policy_attachment.site_operators["acme-SiteOperators-assume-role"]'),
        ('aws_iam_group_policy_attachment.operators["acme-baseline-mfa"]', 'aws_iam_group_policy_attachment.site_operators["acme-baseline-mfa"]'),
        ("aws_iam_policy.operators_assume_role", "aws_iam_policy.site_operators_assume_role"),
    ]
    assert {m.why for ms in moves.values() for m in ms} == {"iam.groups: Operators -> SiteOperators"}


def test_the_org_iam_modules_pass_the_invariants(profile, parsed):
    assert iam_problems(parsed, profile) == []


@pytest.mark.parametrize("path,old,new,message", [
    ("modules/job_roles/main.tf", '"arn:aws:iam::400000000004:root"', '"arn:aws:iam::500000000005:root"',
     "modules/job_roles: trust statement AssumeFromIdentityAccountWithMFA trusts [('AWS', ['arn:aws:iam::500000000005:root'])], "
     "not only the identity account arn:aws:iam::400000000004:root"),
    ("modules/job_roles/main.tf", 'variable = "aws:MultiFactorAuthPresent"', 'variable = "aws:SecureTransport"',
     "modules/job_roles: trust statement AssumeFromIdentityAccountWithMFA does not require MFA"),
    ("modules/job_roles/main.tf", "assume_role_policy   = data.aws_iam_policy_document.trust.json",
     'assume_role_policy   = jsonencode({ Statement = [] })', "modules/job_roles: role administrators does not use the trust policy "
     "data.aws_iam_policy_document.trust.json"),
    ("modules/job_roles/main.tf", '"IAMReadOnlyAccess"                   = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"',
     '"AdministratorAccess" = "arn:aws:iam::aws:policy/AdministratorAccess"',
     "modules/job_roles: role infra_admins (infra-admin) has AdministratorAccess"),
    ("modules/job_roles/main.tf", "minimum_password_length        = 14", "minimum_password_length        = 8",
     "modules/job_roles: password policy minimum_password_length is 8, the profile says 14"),
    ("modules/iam/policies.tf", '"arn:aws:iam::100000000001:role/baseline/acme-Operators"', '"arn:aws:iam::100000000001:role/baseline/acme-Administrators"',
     "modules/iam: group Operators statement AssumeJobFunctionRoleWithMFA allows ['sts:AssumeRole'] on "
     "['arn:aws:iam::060000000006:role/baseline/acme-Operators', 'arn:aws:iam::100000000001:role/baseline/acme-Administrators', "
     "'arn:aws:iam::200000000002:role/baseline/acme-Operators', 'arn:aws:iam::300000000003:role/baseline/acme-Operators', "
     "'arn:aws:iam::400000000004:role/baseline/acme-Operators', 'arn:aws:iam::500000000005:role/baseline/acme-Operators'], "
     "not sts:AssumeRole on exactly its own roles"),
    ("modules/iam/main.tf", '    "acme-baseline-mfa"               = aws_iam_policy.mfa.arn\n',
     '    "acme-baseline-mfa" = aws_iam_policy.mfa.arn\n    "AdministratorAccess" = "arn:aws:iam::aws:policy/AdministratorAccess"\n',
     "modules/iam: group Administrators has policies ['${aws_iam_policy.administrators_assume_role.arn}', "
     "'${aws_iam_policy.mfa.arn}', 'arn:aws:iam::aws:policy/AdministratorAccess'], expected only "
     "['${aws_iam_policy.administrators_assume_role.arn}', '${aws_iam_policy.mfa.arn}']"),
    ("modules/job_roles/main.tf", 'resource "aws_iam_role" "operators" {',
     'resource "aws_iam_user" "intruder" {\n  name = "intruder"\n}\n\nresource "aws_iam_role" "operators" {',
     "modules/job_roles/main.tf: aws_iam_user.intruder: IAM users and groups belong in the identity account's module iam"),
], ids=["trusts-another-account", "trust-without-mfa", "role-with-other-trust", "admin-access-on-infra-role",
        "weak-password-policy", "group-assumes-another-groups-role", "group-with-direct-permissions", "user-in-every-account"])
def test_invariants_catch_a_tampered_org_iam_module(outputs, profile, path, old, new, message):
    files = []
    for f in (f for out in outputs.values() for f in out.files):
        if f.path == path:
            assert old in f.content, "the tampering must apply"
            f = type(f)(f.path, f.content.replace(old, new, 1), f.mode)
        files.append(f)
    tampered, failures = parse_files(files)
    assert failures == []
    assert message in iam_problems(tampered, profile)


@pytest.fixture(scope="module")
def scratch_root(outputs, tmp_path_factory) -> Path:
    """Both modules and a root calling them (the organisation layout renders one root per account)."""
    root = tmp_path_factory.mktemp("org-iam")
    calls = []
    for out in outputs.values():
        for f in out.files:
            (root / f.path).parent.mkdir(parents=True, exist_ok=True)
            (root / f.path).write_text(f.content)
        inputs = "".join(f"  {name} = {value}\n" for name, value in out.module.inputs)
        calls.append(f'module "{out.module.name}" {{\n  source = "{out.module.source}"\n{inputs}}}\n')
    (root / "main.tf").write_text('locals {\n  regions = ["ap-northeast-1", "us-east-1"]\n}\n\n' + "\n".join(calls))
    return root


def test_org_iam_modules_are_valid_against_the_provider_schema(scratch_root):
    assert validate_terraform_dir(scratch_root) == []


def test_checkov_skips_exactly_the_org_iam_accepted_findings(outputs, scratch_root, checkov_bin):
    report = run_checkov(checkov_bin, str(scratch_root))
    assert [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]] == []
    skipped = {(c["check_id"], re.sub(r"\[.*\]$", "", c["resource"])) for c in report["results"]["skipped_checks"]}
    accepted = {(f.check_id, f.address.replace(".data.", ".")) for out in outputs.values() for f in out.accepted_findings}
    assert skipped == accepted


@pytest.fixture(scope="module")
def org_tree(profile) -> dict[str, str]:
    result = api.render_tree(profile)
    api.verify(result, profile)  # the invariants hold on the whole organisation render
    return {f.path: f.content for f in result.files}


def test_every_account_root_calls_job_roles_and_only_the_identity_account_calls_iam(org_tree):
    roots = sorted(p.split("/")[1] for p in org_tree if re.fullmatch(r"accounts/[^/]+/main\.tf", p))
    assert roots == ["identity", "log-archive", "management", "payments-prod", "payments-staging", "security"]
    for name in roots:
        main = org_tree[f"accounts/{name}/main.tf"]
        assert main.count('module "job_roles" {\n  source = "../../modules/job_roles"\n\n  regions = local.regions\n}') == 1
        assert ('module "iam" {' in main) == (name == "identity"), name


def test_the_whole_organisation_render_is_valid_against_the_provider_schema(org_tree, tmp_path):
    for path, content in org_tree.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(content)
    assert validate_terraform_dir(tmp_path) == []


def test_a_renamed_group_writes_its_moves_into_both_modules(tmp_path):
    text = EXAMPLE_ORG.read_text().replace("    - name: Operators\n", "    - name: SiteOperators\n      renamed_from: [Operators]\n")
    path = tmp_path / "org.yaml"
    path.write_text(text.replace("groups: [Operators]", "groups: [SiteOperators]"))
    files = {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}
    job_roles = files["modules/job_roles/migrations.tf"]
    identity = files["modules/iam/migrations.tf"]
    assert re.findall(r"from = (\S+)", job_roles) == [
        "aws_iam_role.operators", 'aws_iam_role_policy_attachment.operators["job-function/ViewOnlyAccess"]',
        'aws_iam_role_policy_attachment.operators["acme-Operators-operations"]', "aws_iam_policy.operators_operations"]
    assert re.findall(r"from = (\S+)", identity) == [
        "aws_iam_group.operators", "aws_iam_group_membership.operators",
        'aws_iam_group_policy_attachment.operators["acme-Operators-assume-role"]',
        'aws_iam_group_policy_attachment.operators["acme-baseline-mfa"]', "aws_iam_policy.operators_assume_role"]
