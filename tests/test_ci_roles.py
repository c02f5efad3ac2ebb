"""ci.github: GitHub's OIDC provider in the entry account, the plan and apply roles in every account with exactly the
trust the profile implies, the plan role read-only (classified with the IAM access levels, offline), the roots'
``baseline_role`` variable and provider, the workflow's role ARNs, the review lines and one way out for CI users."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import hcl2
import parliament
import pytest
import yaml
from policy_sentry.analysis.expand import determine_actions_to_expand
from policy_sentry.querying.actions import get_action_data

from baselinegen import api
from baselinegen.components.ci import policies as cp
from baselinegen.components.ci.component import COMPONENT as CI
from baselinegen.components.ci.permissions import TABLE
from baselinegen.policy.document import to_json_policy
from baselinegen.components.ci.invariants import ci_problems
from baselinegen.pipeline import check_profile
from baselinegen.render.env import RenderedFile
from baselinegen.validate.hclcheck import parse_files

from conftest import EXAMPLES, plain_hcl
from support.checkov_run import run_checkov

ENTRY = "100000000001"  # examples/acme-org.yaml: ci.account defaults to the state account, else management
ACCOUNTS = {"management": ENTRY, "log-archive": "200000000002", "security": "300000000003", "identity": "400000000004",
            "payments-prod": "500000000005", "payments-staging": "060000000006"}
OIDC = "token.actions.githubusercontent.com"
WRITES = ("Write", "Permissions management", "Tagging")


def _render(path) -> dict[str, str]:
    profile = api.load_profile(path).profile
    result = api.render_tree(profile)
    api.verify(result, profile)
    return {f.path: f.content for f in result.files}


@pytest.fixture(scope="module")
def org():
    return _render(EXAMPLES / "acme-org.yaml")


@pytest.fixture(scope="module")
def single():
    return _render(EXAMPLES / "acme.yaml")


def _documents(files: dict[str, str]) -> dict[str, dict]:
    parsed = hcl2.loads(files["modules/ci/policies.tf"])
    return {name.strip('"'): plain_hcl(body) for block in parsed["data"] for body_by_name in block.values()
            for name, body in body_by_name.items()}


def _shape(statement: dict) -> tuple:
    return (statement["effect"], statement["actions"], [(p["type"], p["identifiers"]) for p in statement.get("principals", [])],
            sorted((c["test"], c["variable"], c["values"]) for c in statement.get("condition", [])))


# --------------------------------------------------------------------------------------------------------------
# Trust, exactly
# --------------------------------------------------------------------------------------------------------------

def test_every_accounts_roles_trust_only_the_entry_accounts_role_of_the_same_name(org):
    docs = _documents(org)
    for kind in ("plan", "apply"):
        assert [_shape(s) for s in docs[f"{kind}_trust"]["statement"]] == [
            ("Allow", ["sts:AssumeRole"], [("AWS", [f"arn:aws:iam::{ENTRY}:root"])],
             [("ArnEquals", "aws:PrincipalArn", [f"arn:aws:iam::{ENTRY}:role/acme-baseline-{kind}"])])]


def test_the_entry_account_trusts_github_with_aud_and_sub_pinned_to_the_repository(org):
    docs = _documents(org)
    federated = [("Federated", [f"arn:aws:iam::{ENTRY}:oidc-provider/{OIDC}"])]
    aud = ("StringEquals", f"{OIDC}:aud", ["sts.amazonaws.com"])
    assert [_shape(s) for s in docs["plan_trust_github"]["statement"]] == [
        ("Allow", ["sts:AssumeRoleWithWebIdentity"], federated,
         sorted([aud, ("StringLike", f"{OIDC}:sub", ["repo:acme/landing-zone:pull_request", "repo:acme/landing-zone:ref:refs/heads/*"])]))]
    assert [_shape(s) for s in docs["apply_trust_github"]["statement"]] == [
        ("Allow", ["sts:AssumeRoleWithWebIdentity"], federated,
         sorted([aud, ("StringEquals", f"{OIDC}:sub", ["repo:acme/landing-zone:environment:production"])]))]
    assert docs["plan_trust_github"]["source_policy_documents"] == ["${data.aws_iam_policy_document.plan_trust.json}"]


def test_without_an_environment_the_apply_role_trusts_the_branch(tmp_path):
    path = tmp_path / "acme-org.yaml"
    path.write_text((EXAMPLES / "acme-org.yaml").read_text().replace("branch: main, environment: production}", "branch: release}"))
    docs = _documents(_render(path))
    conditions = docs["apply_trust_github"]["statement"][0]["condition"]
    assert [(c["test"], c["values"]) for c in conditions if c["variable"].endswith(":sub")] == [
        ("StringEquals", ["repo:acme/landing-zone:ref:refs/heads/release"])]


def test_only_the_entry_accounts_root_turns_on_the_oidc_provider_and_web_identity_trust(org, single):
    for name in ACCOUNTS:
        calls = {k.strip('"'): plain_hcl(v) for block in hcl2.loads(org[f"accounts/{name}/main.tf"])["module"] for k, v in block.items()}
        assert calls["ci"] == ({"source": "../../modules/ci", "github_oidc": True} if name == "management" else {"source": "../../modules/ci"}), name
    assert 'module "ci" {\n  source = "./modules/ci"\n\n  github_oidc = true\n}' in single["main.tf"]
    main = org["modules/ci/main.tf"]
    assert 'resource "aws_iam_openid_connect_provider" "github" {\n  count = var.github_oidc ? 1 : 0\n\n' in main
    assert 'url            = "https://token.actions.githubusercontent.com"\n  client_id_list = ["sts.amazonaws.com"]\n}' in main
    assert "thumbprint_list =" not in main  # optional in hashicorp/aws 6.x: IAM trusts GitHub's certificate authority


def test_a_trust_that_differs_from_the_profile_fails_the_invariants(org):
    profile = api.load_profile(EXAMPLES / "acme-org.yaml").profile
    tampered = {path: text.replace("repo:acme/landing-zone:pull_request", "repo:*/landing-zone:pull_request")
                for path, text in org.items() if path.endswith(".tf")}
    parsed, failures = parse_files([RenderedFile(p, t) for p, t in tampered.items()])
    assert failures == []
    problems = ci_problems(parsed, profile)
    assert any("plan role's trust (plan_trust_github) differs" in p for p in problems)
    assert "modules/ci: the plan role trusts a wildcard owner or repository" in problems


def test_a_plan_role_granted_a_write_fails_the_invariants(org):
    profile = api.load_profile(EXAMPLES / "acme-org.yaml").profile
    text = org["modules/ci/policies.tf"].replace('      "ssm:ListTagsForResource",\n', '      "ssm:ListTagsForResource",\n      "ssm:PutParameter",\n', 1)
    assert text != org["modules/ci/policies.tf"]
    parsed, failures = parse_files([RenderedFile(p, t) for p, t in {**org, "modules/ci/policies.tf": text}.items() if p.endswith(".tf")])
    assert failures == []
    assert ci_problems(parsed, profile) == ["modules/ci: the plan role's plan_read grants other actions than the profile's"]
    parsed, _ = parse_files([RenderedFile(p, t) for p, t in org.items() if p.endswith(".tf")])
    assert ci_problems(parsed, profile) == []


# --------------------------------------------------------------------------------------------------------------
# Plan: read-only, linted
# --------------------------------------------------------------------------------------------------------------

def _granted(document) -> set[str]:
    policy = to_json_policy(document, account_id=ENTRY)
    actions = set()
    for statement in policy["Statement"]:
        if statement["Effect"] == "Allow":
            found = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            actions.update(determine_actions_to_expand(found))
    return actions


def _level(action: str) -> str:
    service, name = action.split(":")
    data = get_action_data(service, name)
    assert data and data.get(service), f"{action}: unknown to policy_sentry's IAM database"
    return data[service][0]["access_level"]


LOCK_FILE_ACTIONS = {"s3:PutObject", "s3:DeleteObject",  # only on <key>.tflock (asserted below)
                     "kms:GenerateDataKey", "kms:Decrypt"}  # the state key, through S3 on the state bucket only


@pytest.mark.parametrize("example", ["acme.yaml", "acme-org.yaml"])
def test_the_plan_role_grants_no_write_outside_state_locking(example):
    profile = api.load_profile(EXAMPLES / example).profile
    assert profile.state.enabled  # the examples keep their state in S3
    documents = [cp.plan_read(profile), cp.plan_state(profile)]
    granted = set().union(*(_granted(d) for d in documents))
    writes = sorted(a for a in granted if _level(a) in WRITES)
    assert set(writes) <= LOCK_FILE_ACTIONS, writes
    assert not {"s3:GetObject", "ssm:GetParameter", "ssm:GetParameters", "secretsmanager:GetSecretValue",
                "logs:GetLogEvents"} & _granted(cp.plan_read(profile))
    state = to_json_policy(cp.plan_state(profile), account_id=ENTRY)["Statement"]
    lock = next(s for s in state if s["Sid"] == "StateLock")
    assert sorted(lock["Action"]) == ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]  # on the lock objects only
    resources = lock["Resource"] if isinstance(lock["Resource"], list) else [lock["Resource"]]
    assert resources and all(r.endswith(".tflock") for r in resources), resources
    key = next(s for s in state if s["Sid"] == "StateKey")
    assert key["Condition"]["StringEquals"]["kms:ViaService"] == "s3.ap-northeast-1.amazonaws.com"


@pytest.mark.parametrize("example", ["acme.yaml", "acme-org.yaml"])
def test_the_plan_reads_are_read_or_list_access_only(example):
    profile = api.load_profile(EXAMPLES / example).profile
    levels = {a: _level(a) for a in _granted(cp.plan_read(profile))}
    assert {a: lv for a, lv in levels.items() if lv not in ("Read", "List")} == {}


def test_every_plan_entry_of_the_permission_table_is_read_or_list_access():
    for module, permissions in TABLE.items():
        for action in determine_actions_to_expand(list(permissions.plan)):
            assert _level(action) in ("Read", "List"), (module, action)


@pytest.mark.parametrize("example", ["acme.yaml", "acme-org.yaml"])
def test_parliament_finds_nothing_medium_or_above_in_the_ci_policies(example):
    """Except, in the apply role's policy, what managing the baseline's log buckets means: it may change their
    policies (resource-policy escalation on exactly those buckets, by nature)."""
    profile = api.load_profile(EXAMPLES / example).profile
    for document in (cp.plan_read(profile), cp.apply_manage(profile), cp.boundary(profile)):  # (trust: exact, above)
        policy = to_json_policy(document, account_id=ENTRY)
        analysed = parliament.analyze_policy_string(json.dumps(policy), ignore_private_auditors=True)
        findings = [parliament.enhance_finding(f) for f in analysed.findings]
        serious = [f for f in findings if f.severity not in ("LOW", "INFO")]
        if document.name == "apply_manage":
            buckets = {f"arn:aws:s3:::{n}" for n in ("acme-cloudtrail-" + ENTRY, "acme-s3-access-logs-" + ENTRY, "acme-config-" + ENTRY)}
            assert {f.issue for f in serious} == {"RESOURCE_POLICY_PRIVILEGE_ESCALATION"}
            assert {re.search(r"on (\S+) due to", f.detail)[1] for f in serious} == buckets
        else:
            assert [(f.issue, f.detail) for f in serious] == [], document.name
        assert not [f for f in findings if f.issue in ("UNKNOWN_ACTION", "UNKNOWN_PREFIX")], document.name


def test_the_ci_policies_fit_iams_managed_policy_quota(org):
    profile = api.load_profile(EXAMPLES / "acme-org.yaml").profile
    for document in (cp.plan_read(profile), cp.apply_manage(profile), cp.boundary(profile)):
        assert len(json.dumps(to_json_policy(document, account_id=ENTRY), separators=(",", ":"))) <= 6144, document.name


def test_the_apply_role_carries_its_boundary_which_denies_what_no_apply_needs(org):
    main = org["modules/ci/main.tf"]
    assert "permissions_boundary = aws_iam_policy.apply_boundary.arn" in main
    assert 'name        = "acme-baseline-apply-boundary"' in main
    denies = {s["sid"]: s for s in _documents(org)["apply_boundary"]["statement"] if s["effect"] == "Deny"}
    assert denies["NoLeavingTheOrganization"]["actions"] == ["organizations:DeleteOrganization", "organizations:LeaveOrganization"]
    assert denies["KeepThisBoundary"]["resources"] == ["arn:aws:iam::${local.account_id}:role/acme-baseline-apply"]


def test_checkov_fails_nothing_and_skips_exactly_the_ci_modules_accepted_findings(org, tmp_path, checkov_bin):
    for path, text in org.items():
        if path.startswith("modules/ci/"):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(text)
    report = run_checkov(checkov_bin, str(tmp_path / "modules/ci"))
    assert [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]] == []
    skipped = {(c["check_id"], c["resource"]) for c in report["results"]["skipped_checks"]}
    accepted = {(f.check_id, f.address.replace("module.ci.data.", "")) for f in CI.render_organization(
        api.load_profile(EXAMPLES / "acme-org.yaml").profile)[0].accepted_findings}
    assert skipped == accepted
    assert {check for check, _ in accepted} == {"CKV2_AWS_40", "CKV_AWS_107", "CKV_AWS_108", "CKV_AWS_109", "CKV_AWS_110",
                                                "CKV_AWS_111", "CKV_AWS_356"}
    readme = org["README.md"]
    assert "module.ci.data.aws_iam_policy_document.apply_manage" in readme


# --------------------------------------------------------------------------------------------------------------
# Roots: baseline_role
# --------------------------------------------------------------------------------------------------------------

def test_each_account_provider_assumes_the_role_baseline_role_names_in_exactly_its_account(org):
    for name, account_id in ACCOUNTS.items():
        provider = plain_hcl(hcl2.loads(org[f"accounts/{name}/providers.tf"])["provider"][0]['"aws"'])
        assert provider["allowed_account_ids"] == [account_id]
        assert "assume_role" not in provider
        block = next(iter(provider["dynamic"][0].values()))  # dynamic "assume_role"
        assert list(provider["dynamic"][0]) in (['"assume_role"'], ["assume_role"])
        assert block["for_each"] == '${var.baseline_role == "" ? [] : [var.baseline_role]}'
        assert block["content"][0] == {"role_arn": f"arn:aws:iam::{account_id}:role/${{assume_role.value}}",
                                       "session_name": f"baselinegen-{name}"}


def test_the_single_account_provider_assumes_the_role_in_the_account_id_it_is_given(single):
    provider = single["providers.tf"]
    assert 'for_each = var.baseline_role == "" || var.account_id == "" ? [] : [var.baseline_role]' in provider
    assert 'role_arn     = "arn:aws:iam::${var.account_id}:role/${assume_role.value}"' in provider


def test_baseline_role_defaults_to_plan_and_allows_only_the_roles_and_empty(org, single):
    org_variable = plain_hcl(hcl2.loads(org["accounts/security/variables.tf"])["variable"][0]['"baseline_role"'])
    assert org_variable["default"] == "acme-baseline-plan"
    assert org_variable["validation"][0]["condition"] == (
        '${contains(["acme-baseline-plan", "acme-baseline-apply", "OrganizationAccountAccessRole", ""], var.baseline_role)}')
    single_variable = plain_hcl(hcl2.loads(single["variables.tf"])["variable"][0]['"baseline_role"'])
    assert single_variable["validation"][0]["condition"] == '${contains(["acme-baseline-plan", "acme-baseline-apply", ""], var.baseline_role)}'


@pytest.mark.parametrize("value,accepted", [("acme-baseline-plan", True), ("acme-baseline-apply", True),
                                            ("OrganizationAccountAccessRole", True), ("", True),
                                            ("AdministratorAccess", False), ("acme-baseline-*", False)])
def test_terraform_enforces_the_baseline_role_validation(org, tmp_path, terraform_bin, value, accepted):
    (tmp_path / "variables.tf").write_text(org["accounts/security/variables.tf"])
    (tmp_path / "main.tf").write_text('output "role" {\n  value = var.baseline_role\n}\n')
    run = lambda *args: subprocess.run([terraform_bin, *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run("init", "-input=false", "-no-color").returncode == 0
    plan = run("plan", "-input=false", "-no-color", f"-var=baseline_role={value}")
    assert (plan.returncode == 0) == accepted, plan.stderr
    if not accepted:
        assert 'baseline_role must be acme-baseline-plan, acme-baseline-apply, OrganizationAccountAccessRole or "".' in " ".join(plan.stderr.split())


# --------------------------------------------------------------------------------------------------------------
# Workflow
# --------------------------------------------------------------------------------------------------------------

def _jobs(files) -> dict:
    return yaml.safe_load(files[".github/workflows/terraform.yml"])["jobs"]


def test_the_workflow_plans_with_the_entry_plan_role_and_takes_the_lock(org):
    plan = _jobs(org)["plan"]
    assert plan["steps"][1]["with"]["role-to-assume"] == f"arn:aws:iam::{ENTRY}:role/acme-baseline-plan"
    assert plan["steps"][-1]["env"] == {"TF_VAR_baseline_role": "acme-baseline-plan"}
    assert "terraform plan -no-color |" in plan["steps"][-1]["run"] and "-lock=false" not in plan["steps"][-1]["run"]
    assert "vars.AWS_PLAN_ROLE_ARN" not in org[".github/workflows/terraform.yml"]


def test_the_workflow_applies_wave_by_wave_with_the_apply_role_in_the_environment(org):
    jobs = _jobs(org)
    waves = [j for j in jobs if j.startswith("apply")]
    assert waves == ["apply-log-archive", "apply-management", "apply-security", "apply-workload"]
    assert [jobs[j]["needs"] for j in waves] == [["validate", "checkov", "baselinegen-check"], ["apply-log-archive"],
                                                 ["apply-management"], ["apply-security"]]
    assert jobs["apply-workload"]["strategy"]["matrix"] == {"account": ["identity", "payments-prod", "payments-staging"]}
    for job in waves:
        assert jobs[job]["environment"] == "production"
        assert jobs[job]["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
        assert jobs[job]["permissions"] == {"contents": "read", "id-token": "write"}
        assert jobs[job]["steps"][1]["with"]["role-to-assume"] == f"arn:aws:iam::{ENTRY}:role/acme-baseline-apply"
        assert jobs[job]["steps"][-1] == {"name": "terraform apply with acme-baseline-apply",
                                          "env": {"TF_VAR_baseline_role": "acme-baseline-apply"},
                                          "run": "terraform apply -no-color -auto-approve"}
    assert [j for j, body in jobs.items() if "id-token" in body.get("permissions", {})] == ["plan"] + waves
    assert "bootstrap" not in org[".github/workflows/terraform.yml"]


def test_the_single_account_workflow_takes_the_account_id_from_a_repository_variable(single):
    jobs = _jobs(single)
    assert list(jobs) == ["fmt-validate", "checkov", "baselinegen-check", "plan", "apply", "review"]
    assert jobs["plan"]["steps"][1]["with"]["role-to-assume"] == "arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/acme-baseline-plan"
    assert jobs["apply"]["steps"][-1]["env"] == {"TF_VAR_baseline_role": "acme-baseline-apply",
                                                 "TF_VAR_account_id": "${{ vars.AWS_ACCOUNT_ID }}"}


def test_atlantis_says_which_role_its_server_assumes(org):
    assert "its server assumes the account CI enters'\n# acme-baseline-apply" in org["atlantis.yaml"]
    assert "TF_VAR_baseline_role=acme-baseline-apply" in org["atlantis.yaml"]


def test_the_region_restriction_and_the_guardrails_exempt_the_apply_role_not_the_plan_role(org):
    policies = org["modules/governance/policies.tf"]
    assert '"arn:aws:iam::*:role/acme-baseline-apply"' in policies
    assert "acme-baseline-plan" not in policies


# --------------------------------------------------------------------------------------------------------------
# Review
# --------------------------------------------------------------------------------------------------------------

def test_the_review_says_who_the_roles_trust_by_effect(tmp_path):
    old = tmp_path / "repo"
    profile = old / "acme-org.yaml"
    old.mkdir()
    profile.write_text((EXAMPLES / "acme-org.yaml").read_text())
    subprocess.run([sys.executable, "-m", "baselinegen", "render", str(profile), "-o", str(old)], check=True, capture_output=True)
    profile.write_text(profile.read_text().replace("{repository: acme/landing-zone, branch: main, environment: production}",
                                                   "{repository: acme/other-repo, branch: main}"))
    out = subprocess.run([sys.executable, "-m", "baselinegen", "diff", str(profile), "-o", str(old), "--format", "json"],
                         capture_output=True, text=True)
    lines = [c["text"] for c in json.loads(out.stdout)["summary"] if c["area"] == "ci"]
    assert "account `management`: CI plan role: now trusted by pull requests of acme/other-repo (weaker)" in lines
    assert "account `management`: CI apply role: no longer limited to the environment production (weaker)" in lines
    assert "account `management`: CI apply role: now trusted by the branch main of acme/other-repo (weaker)" in lines
    assert "account `management`: CI plan role: no longer trusted by pull requests of acme/landing-zone (stronger)" in lines


# --------------------------------------------------------------------------------------------------------------
# One way out for a CI user: E208 / W418 / W433 -> ci.github, W439
# --------------------------------------------------------------------------------------------------------------

CI_USER = "    - name: deploy-bot\n      programmatic: true\n      groups: [Operators]\n"


def test_following_the_messages_for_a_ci_user_ends_in_a_profile_that_passes_strict(tmp_path):
    base = (EXAMPLES / "acme-org.yaml").read_text().split("\nci:\n")[0] + "\n"
    anchor = "      groups: [Operators]\n"
    path = tmp_path / "acme-org.yaml"
    path.write_text(base.replace(anchor, anchor + CI_USER, 1))
    problems, _ = check_profile(path)
    e208 = [p for p in problems if p.code == "E208"]
    assert len(e208) == 1 and "a CI user is unnecessary: set ci.github and remove the user" in e208[0].message
    # step 1, as E208 says: ci.github set, the user still there -> W439
    path.write_text(base.replace(anchor, anchor + CI_USER.replace("      groups: [Operators]\n", ""), 1)
                    + "\nci:\n  github: {repository: acme/landing-zone}\n")
    problems, _ = check_profile(path)
    assert [p.code for p in problems] == ["W439"]
    assert "programmatic user 'deploy-bot' is unnecessary: CI deploys through the baseline's OIDC roles" in problems[0].message
    # step 2, as W439 says: remove the user -> nothing left, --strict passes
    path.write_text(base + "\nci:\n  github: {repository: acme/landing-zone}\n")
    assert check_profile(path)[0] == []
    api.load_profile(path, strict=True)


def test_w433_and_w418_name_the_same_way_out_and_give_way_to_w439(tmp_path):
    base = (EXAMPLES / "acme-org.yaml").read_text().split("\nci:\n")[0] + "\n"
    anchor = "      groups: [Operators]\n"
    user = ("    - name: deploy\n      programmatic: true\n      statements:\n        - sid: Deploy\n"
            "          actions: [lambda:UpdateFunctionCode]\n          resources: [\"arn:<partition>:lambda:*:<account>:function:x-*\"]\n")
    path = tmp_path / "acme-org.yaml"
    path.write_text(base.replace(anchor, anchor + user, 1))
    found = {p.code: p.message for p in check_profile(path)[0]}
    assert {"W418", "W433"} <= set(found)
    assert all("a CI user is unnecessary: set ci.github and remove the user" in found[c] for c in ("W418", "W433"))
    path.write_text(path.read_text() + "\nci:\n  github: {repository: acme/landing-zone}\n")
    assert [p.code for p in check_profile(path)[0]] == ["W439"]
