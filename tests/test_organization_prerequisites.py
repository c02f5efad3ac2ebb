"""Organisation prerequisites in Terraform: the management root imports the organisation and manages its trusted
access (every principal the profile's services need plus organization.keep_service_access) and policy types; the
review says what a render removes from the organisation, by effect.

Validation of organization.keep_service_access: tests/bad_profiles/keep_service_access_*.yaml. The plan through
the stand-in provider ("1 to import"): tests/test_terraform_plan.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from baselinegen import api
from baselinegen.components.governance.component import COMPONENT
from baselinegen.components.governance.invariants import governance_problems
from baselinegen.components.registry import REGISTRY
from baselinegen.review import build_review
from baselinegen.validate import hclcheck
from conftest import EXAMPLES

ORG = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")
POLICIES = ("  policies:\n    - {name: data-perimeter, type: rcp, preset: data-perimeter, attach: [root]}\n"
            "    - {name: ec2-defaults, type: declarative-ec2, preset: ec2-secure-defaults, attach: [Workloads]}\n"
            "    - {name: baseline-tags, type: tag, preset: baseline-tags, attach: [root]}\n")
KEPT_TYPES = "  keep_policy_types: [BACKUP_POLICY]\n"
TODAY_TYPES = ('  enabled_policy_types = ["BACKUP_POLICY", "DECLARATIVE_POLICY_EC2", "RESOURCE_CONTROL_POLICY", '
               '"SERVICE_CONTROL_POLICY", "TAG_POLICY"]\n')
SECURITY_HUB_CENTRAL = ORG[ORG.index("    control_parameters:\n"):ORG.index("  inspector:\n")]
KEPT = "  keep_service_access: [member.org.stacksets.cloudformation.amazonaws.com]\n"
BASELINE_PRINCIPALS = ["access-analyzer.amazonaws.com", "cloudtrail.amazonaws.com", "config-multiaccountsetup.amazonaws.com",
                       "config.amazonaws.com", "guardduty.amazonaws.com", "iam.amazonaws.com", "inspector2.amazonaws.com",
                       "securityhub.amazonaws.com"]  # iam.amazonaws.com: governance.root_access: centralized


def _profile(tmp_path, text: str):
    path = tmp_path / "acme-org.yaml"
    path.write_text(text, encoding="utf-8")
    return api.load_profile(path).profile


def _rendered(tmp_path, text: str) -> dict[str, str]:
    return {f.path: f.content for f in api.render_tree(_profile(tmp_path, text)).files}


def _changed(*replacements) -> str:
    text = ORG
    for old, new in replacements:
        assert old in text, "the profile change must apply"
        text = text.replace(old, new, 1)
    return text


@pytest.fixture(scope="module")
def org_tree(tmp_path_factory) -> dict[str, str]:
    return _rendered(tmp_path_factory.mktemp("org"), ORG)


def _principals(main: str) -> list[str]:
    block = main[main.index("  aws_service_access_principals = [\n"):]
    block = block[:block.index("\n  ]\n")]
    return [line.strip().strip('",') for line in block.splitlines()[1:] if not line.strip().startswith("#")]


# ---------------------------------------------------------------------------------------------------------------
# What the organisation lists
# ---------------------------------------------------------------------------------------------------------------
def test_each_component_declares_the_trusted_access_of_the_services_it_turns_on(tmp_path):
    declared = {c.id: [a.principal for a in c.trusted_access(_profile(tmp_path, ORG))] for c in REGISTRY if c.trusted_access(_profile(tmp_path, ORG))}
    assert declared == {"cloudtrail": ["cloudtrail.amazonaws.com"],
                        "config": ["config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"],
                        "detection": ["guardduty.amazonaws.com", "securityhub.amazonaws.com", "inspector2.amazonaws.com",
                                      "access-analyzer.amazonaws.com"]}


def test_the_organisation_trusts_the_baselines_services_then_the_kept_principals(org_tree):
    main = org_tree["modules/governance/main.tf"]
    assert _principals(main) == BASELINE_PRINCIPALS + ["member.org.stacksets.cloudformation.amazonaws.com"]
    assert ('    "securityhub.amazonaws.com",\n    # organization.keep_service_access: other tools rely on them\n'
            '    "member.org.stacksets.cloudformation.amazonaws.com",\n  ]\n\n'
            "  # Policy types: those governance.policies uses, and the ones other tools'\n"
            "  # policies need (governance.keep_policy_types: BACKUP_POLICY);\n"
            "  # the apply disables every type not listed, detaching all its policies.\n"
            + TODAY_TYPES + '\n  lifecycle {\n    prevent_destroy = true\n  }\n}\n') in main
    assert 'resource "aws_organizations_organization" "this" {\n  feature_set = "ALL"\n' in main


def test_services_turned_off_leave_the_organisation_and_their_delegation(tmp_path):
    text = _changed(("  guardduty:\n", "  guardduty:\n    enabled: false\n"),
                    ("    resource_types: [ec2, ecr, lambda]", "    resource_types: []"),
                    (KEPT, ""))
    main = _rendered(tmp_path, text)["modules/governance/main.tf"]
    [out] = COMPONENT.render_organization(_profile(tmp_path, text))
    assert [c.how for c in out.controls if c.what == "Delegated administration"] == [
        "Security Hub (every Region of the management account), IAM Access Analyzer and AWS Config administered from the "
        "security account `security`"]
    assert _principals(main) == [p for p in BASELINE_PRINCIPALS if p not in ("guardduty.amazonaws.com", "inspector2.amazonaws.com")]
    assert "aws_guardduty_organization_admin_account" not in main and "aws_inspector2_delegated_admin_account" not in main
    assert 'resource "aws_securityhub_organization_admin_account" "security" {' in main
    assert "# organization.keep_service_access: other tools rely on them" not in main


def test_a_kept_principal_the_baseline_needs_anyway_is_listed_once(tmp_path):
    text = _changed((KEPT, "  keep_service_access: [guardduty.amazonaws.com, sso.amazonaws.com]\n"))
    main = _rendered(tmp_path, text)["modules/governance/main.tf"]
    assert _principals(main) == BASELINE_PRINCIPALS + ["sso.amazonaws.com"]


def test_without_any_service_control_policy_the_policy_type_stays_enabled_for_other_tools(tmp_path):
    text = _changed(("  service_control_policies:\n    restrict_regions: true",
                     "  service_control_policies:\n    restrict_regions: false\n    deny_leaving_organization: false\n"
                     "    protect_security_services: false\n    deny_root_user: false"),
                    (POLICIES, ""), (KEPT_TYPES, ""))
    main = _rendered(tmp_path, text)["modules/governance/main.tf"]
    # local.root_id stays for organization.units (the top-level OUs' parent); no policy is written or attached
    assert '  enabled_policy_types = ["SERVICE_CONTROL_POLICY"]\n' in main and "aws_organizations_policy" not in main


# ---------------------------------------------------------------------------------------------------------------
# Import, not create
# ---------------------------------------------------------------------------------------------------------------
def test_the_management_root_imports_the_organisation_by_its_id(org_tree):
    assert [p for p in org_tree if p.endswith("/imports.tf")] == ["accounts/management/imports.tf"]
    imports = org_tree["accounts/management/imports.tf"]
    # the organisation first; the existing OU and member accounts (organization.units, accounts[].unit) follow
    assert imports.split("these blocks may stay or go.\n", 1)[1].startswith(
        "\n# the organisation already exists (organization.id): Terraform adopts it and from then on manages its trusted "
        "access and policy types\nimport {\n  to = module.governance.aws_organizations_organization.this\n"
        '  id = "o-a1b2c3d4e5"\n}\n')
    assert "does nothing: once an apply imported them, these blocks may stay or go." in org_tree["accounts/management/imports.tf"]


def test_the_import_is_declared_by_the_module_and_addressed_from_the_root(tmp_path):
    [out] = COMPONENT.render_organization(_profile(tmp_path, ORG))
    assert [(i.to, i.id) for i in out.imports] == [
        ("aws_organizations_organization.this", "o-a1b2c3d4e5"),
        ('aws_organizations_organizational_unit.level_1["Security"]', "ou-ab12-c3d4e5f6"),
        ('aws_organizations_account.member["log-archive"]', "200000000002"),
        ('aws_organizations_account.member["security"]', "300000000003"),
        ('aws_organizations_account.member["identity"]', "400000000004"),
        ('aws_organizations_account.member["payments-prod"]', "500000000005"),
        ('aws_organizations_account.member["payments-staging"]', "060000000006")]


def test_the_readme_checklist_says_what_stays_manual(org_tree):
    readme = org_tree["README.md"]
    assert "AWS Organizations (management account, before its first apply): all features on. The management root imports" in readme
    assert "the apply disables every principal the organisation resource does not list." in readme


# ---------------------------------------------------------------------------------------------------------------
# The review
# ---------------------------------------------------------------------------------------------------------------
def _organisation_lines(old, new) -> list[str]:
    return [c.text for c in build_review(old, new).summary if c.text.startswith("organisation")]


REVIEW_CASES = {
    "a kept principal removed": ((KEPT, ""), [
        "organisation: trusted access for `member.org.stacksets.cloudformation.amazonaws.com` removed — AWS Organizations "
        "disables that service's integration in every account (weaker)"]),
    "a kept principal added": ((KEPT, "  keep_service_access: [controltower.amazonaws.com, "
                                      "member.org.stacksets.cloudformation.amazonaws.com]\n"), [
        "organisation: trusted access for `controltower.amazonaws.com` added — that service may act in every account"]),
    "GuardDuty turned off": (("  guardduty:\n", "  guardduty:\n    enabled: false\n"), [
        "organisation: trusted access for `guardduty.amazonaws.com` removed — AWS Organizations disables that service's "
        "integration in every account (weaker)"]),
}


@pytest.mark.parametrize("case", list(REVIEW_CASES))
def test_the_review_says_what_a_render_removes_from_the_organisation(org_tree, tmp_path, case):
    replacement, expected = REVIEW_CASES[case]
    new = _rendered(tmp_path, _changed(replacement))
    assert _organisation_lines(org_tree, new) == expected
    assert _organisation_lines(new, org_tree) == [
        line.replace(" removed — AWS Organizations disables that service's integration in every account (weaker)",
                     " added — that service may act in every account")
            .replace(" disabled on the root — AWS Organizations detaches every policy of that type from the root, every OU "
                     "and every account (weaker)", " enabled on the root (stronger)")
        if "removed" in line or "disabled" in line else
        line.replace(" added — that service may act in every account",
                     " removed — AWS Organizations disables that service's integration in every account (weaker)")
        for line in expected]


def test_the_first_render_that_manages_the_organisation_says_every_other_integration_is_disabled(org_tree):
    """A tree rendered before the organisation was managed: the new resource's line names exactly what stays trusted."""
    main = org_tree["modules/governance/main.tf"]
    start = main.index("################################################################################\n# The organisation")
    end = main.index("locals {\n  root_id")
    old = dict(org_tree, **{"modules/governance/main.tf": main[:start] + 'data "aws_organizations_organization" "this" {}\n\n'
                                                          + main[end:].replace("aws_organizations_organization.this.roots",
                                                                               "data.aws_organizations_organization.this.roots")})
    old["modules/governance/main.tf"] = old["modules/governance/main.tf"].replace(
        "\n\n  depends_on = [aws_organizations_organization.this]\n", "\n")
    assert _organisation_lines(old, org_tree) == [
        "organisation: managed by Terraform (imported) — trusted access exactly for `access-analyzer.amazonaws.com`, "
        "`cloudtrail.amazonaws.com`, `config-multiaccountsetup.amazonaws.com`, `config.amazonaws.com`, "
        "`guardduty.amazonaws.com`, `iam.amazonaws.com`, `inspector2.amazonaws.com`, "
        "`member.org.stacksets.cloudformation.amazonaws.com`, `securityhub.amazonaws.com`; AWS Organizations disables "
        "every other service's integration on apply; policy types `BACKUP_POLICY`, `DECLARATIVE_POLICY_EC2`, "
        "`RESOURCE_CONTROL_POLICY`, `SERVICE_CONTROL_POLICY`, `TAG_POLICY`, every other type disabled on apply (governance.keep_policy_types keeps one)",
        # the old tree above predates aws_iam_organizations_features too (it sits between the organisation and root_id)
        "organisation: centralised root access on — member accounts' root credentials managed, and root sessions opened, "
        "only from the management account (stronger)"]


def test_without_a_security_account_the_detection_modules_own_designations_need_trusted_access_too(tmp_path):
    """The management account then designates itself administrator in modules/detection: the organisation must
    trust those services as well, or parse-back refuses the render."""
    security = '  - name: security\n    id: "300000000003"\n    role: security\n    unit: Security\n'
    text = _changed((security, ""), ("    description: Delegated administrator of GuardDuty, Security Hub, Config, Access "
                                     "Analyzer and Inspector.\n", ""),
                    (SECURITY_HUB_CENTRAL, ""))  # central configuration needs a security account (E345)
    profile = _profile(tmp_path, text)
    files = api.render_tree(profile).files
    parsed, failures = hclcheck.parse_files(files)
    assert failures == [] and "aws_guardduty_organization_admin_account" in next(
        f.content for f in files if f.path == "modules/detection/organization.tf")
    assert governance_problems(parsed, profile, COMPONENT.settings(profile)) == []
    main = "modules/governance/main.tf"
    tampered = [replace(f, content=f.content.replace('    "guardduty.amazonaws.com",\n', "")) if f.path == main else f for f in files]
    parsed, _ = hclcheck.parse_files(tampered)
    assert governance_problems(parsed, profile, COMPONENT.settings(profile))[1:] == [
        "modules/detection: aws_guardduty_organization_admin_account designates an administrator of guardduty.amazonaws.com "
        "without trusted access for it"]


def test_the_review_says_a_policy_type_the_render_no_longer_enables_detaches_its_policies(org_tree):
    """A tree whose organisation also enabled AI services opt-out policies, against today's render (SCPs, RCPs, EC2
    declarative and tag policies: governance.policies; backup policies: governance.keep_policy_types)."""
    main = org_tree["modules/governance/main.tf"]
    assert main.count(TODAY_TYPES) == 1
    old = dict(org_tree, **{"modules/governance/main.tf": main.replace(
        TODAY_TYPES, '  enabled_policy_types = ["AISERVICES_OPT_OUT_POLICY", "BACKUP_POLICY", "DECLARATIVE_POLICY_EC2", '
                     '"RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY", "TAG_POLICY"]\n')})
    assert _organisation_lines(old, org_tree) == [
        "organisation: policy type `AISERVICES_OPT_OUT_POLICY` disabled on the root — AWS Organizations detaches every "
        "policy of that type from the root, every OU and every account (weaker)"]
    assert _organisation_lines(org_tree, old) == ["organisation: policy type `AISERVICES_OPT_OUT_POLICY` enabled on the root (stronger)"]
