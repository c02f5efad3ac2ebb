"""Governance (organisation profiles): service control policies at the organisation root, the optional Region
restriction, delegated administration to the security account; nothing for a single account.

Refusals and warnings of the profile section: tests/bad_profiles/governance_*.yaml."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.errors import RenderInvariantError
from baselinegen.components.governance.component import COMPONENT
from baselinegen.components.governance.policies import GLOBAL_SERVICE_ACTIONS, SCP_MAX_CHARACTERS, rendered_size, service_control_policies
from baselinegen.profile.regions import AWS_REGIONS
from baselinegen.validate import hclcheck
from baselinegen.components.governance.invariants import governance_problems, policy_json
from conftest import EXAMPLES

ORG_EXAMPLE = EXAMPLES / "acme-org.yaml"
# the deployment role, and the CI apply role of ci.github (examples/acme-org.yaml sets it; the plan role is not exempt)
EXEMPT_DEPLOYMENT_ROLE = {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/OrganizationAccountAccessRole",
                                                              "arn:aws:iam::*:role/acme-baseline-apply"]}}


@pytest.fixture(scope="module")
def org_profile():
    return api.load_profile(ORG_EXAMPLE).profile


def _variant(tmp_path: Path, change) -> object:
    """acme-org.yaml with ``change(document)`` applied, loaded."""
    document = yaml.safe_load(ORG_EXAMPLE.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return api.load_profile(path).profile


def _files(profile) -> dict[str, str]:
    outputs = COMPONENT.render_organization(profile)
    return {f.path: f.content for out in outputs for f in out.files}


def _parsed(profile) -> dict:
    outputs = COMPONENT.render_organization(profile)
    parsed, failures = hclcheck.parse_files([f for out in outputs for f in out.files])
    assert failures == []
    return parsed


def _problems(parsed, profile) -> list[str]:
    return governance_problems(parsed, profile, COMPONENT.settings(profile))


def _policy(parsed, name: str) -> dict:
    bodies = hclcheck.resource_bodies(parsed, "modules/governance", "data", "aws_iam_policy_document")
    return policy_json(bodies[name]["statement"])


def test_the_guardrails_of_the_example_are_exactly_these_statements(org_profile):
    assert _policy(_parsed(org_profile), "guardrails") == {"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyLeavingOrganization", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"},
        {"Sid": "ProtectCloudTrail", "Effect": "Deny", "Resource": "*", "Condition": EXEMPT_DEPLOYMENT_ROLE,
         "Action": ["cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail"]},
        {"Sid": "ProtectConfig", "Effect": "Deny", "Resource": "*", "Condition": EXEMPT_DEPLOYMENT_ROLE,
         "Action": ["config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel", "config:DeleteRetentionConfiguration",
                    "config:PutConfigurationRecorder", "config:PutDeliveryChannel", "config:PutRetentionConfiguration",
                    "config:StopConfigurationRecorder"]},
        {"Sid": "ProtectGuardDuty", "Effect": "Deny", "Resource": "*", "Condition": EXEMPT_DEPLOYMENT_ROLE,
         "Action": ["guardduty:DeleteDetector", "guardduty:DeleteMembers", "guardduty:DisassociateFromAdministratorAccount",
                    "guardduty:DisassociateFromMasterAccount", "guardduty:DisassociateMembers", "guardduty:StopMonitoringMembers",
                    "guardduty:UpdateDetector", "guardduty:UpdateOrganizationConfiguration"]},
        {"Sid": "ProtectSecurityHub", "Effect": "Deny", "Resource": "*", "Condition": EXEMPT_DEPLOYMENT_ROLE,
         "Action": ["securityhub:BatchDisableStandards", "securityhub:BatchUpdateStandardsControlAssociations",
                    "securityhub:DeleteFindingAggregator", "securityhub:DeleteMembers", "securityhub:DisableImportFindingsForProduct",
                    "securityhub:DisableSecurityHub", "securityhub:DisassociateFromAdministratorAccount",
                    "securityhub:DisassociateFromMasterAccount", "securityhub:DisassociateMembers",
                    "securityhub:UpdateOrganizationConfiguration", "securityhub:UpdateStandardsControl"]},
        {"Sid": "ProtectAccessAnalyzer", "Effect": "Deny", "Action": "access-analyzer:DeleteAnalyzer", "Resource": "*",
         "Condition": EXEMPT_DEPLOYMENT_ROLE},
        {"Sid": "DenyRootUser", "Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}, "Null": {"aws:AssumedRoot": "true"}}},
    ]}


def test_the_region_restriction_denies_other_regions_but_not_global_services_or_the_deployment_role(org_profile):
    assert org_profile.governance.restrict_regions  # the example turns it on
    assert _policy(_parsed(org_profile), "region_restriction") == {"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyOutsideOrganizationRegions", "Effect": "Deny", "NotAction": list(GLOBAL_SERVICE_ACTIONS), "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["ap-northeast-1", "us-east-1"]}, **EXEMPT_DEPLOYMENT_ROLE}},
    ]}
    assert {"iam:*", "organizations:*", "sts:*", "cloudfront:*", "route53:*", "support:*", "budgets:*", "health:*"} <= set(GLOBAL_SERVICE_ACTIONS)


def test_both_policies_are_attached_to_the_organisation_root(org_profile):
    main = _files(org_profile)["modules/governance/main.tf"]
    assert 'data "aws_organizations_organization"' not in main  # the organisation is a managed (imported) resource
    assert "root_id = aws_organizations_organization.this.roots[0].id" in main
    for name in ("guardrails", "region_restriction"):
        assert (f'resource "aws_organizations_policy_attachment" "{name}" {{\n  policy_id = aws_organizations_policy.{name}.id\n'
                f"  target_id = local.root_id\n}}") in main
        assert f"  type        = \"SERVICE_CONTROL_POLICY\"\n  content     = data.aws_iam_policy_document.{name}.minified_json\n" in main
    assert '  name        = "acme-guardrails"\n' in main and '  name        = "acme-region-restriction"\n' in main
    assert ('  description = "baselinegen: no requests outside ap-northeast-1, us-east-1, except to global services and by the '
            'deployment role and the CI apply role."\n') in main  # the CI apply role: ci.github


def test_without_the_region_restriction_only_the_guardrails_are_rendered(tmp_path):
    profile = _variant(tmp_path, lambda d: d["governance"]["service_control_policies"].update(restrict_regions=False))
    files = _files(profile)
    assert "region_restriction" not in files["modules/governance/main.tf"] + files["modules/governance/policies.tf"]
    assert [p.name for p in service_control_policies(profile)] == ["guardrails"]
    assert _problems(_parsed(profile), profile) == []


def test_a_guardrail_turned_off_loses_exactly_its_statements(tmp_path):
    profile = _variant(tmp_path, lambda d: d["governance"]["service_control_policies"].update(protect_security_services=False))
    sids = [s["Sid"] for s in _policy(_parsed(profile), "guardrails")["Statement"]]
    assert sids == ["DenyLeavingOrganization", "DenyRootUser"]
    description = service_control_policies(profile)[0].description
    assert description == "baselinegen guardrails for every member account: no leaving the organisation, no root user."


def test_every_guardrail_off_without_a_region_restriction_leaves_only_the_delegation(tmp_path):
    profile = _variant(tmp_path, lambda d: d["governance"].update(policies=[], keep_policy_types=[], service_control_policies={
        "deny_leaving_organization": False, "protect_security_services": False, "deny_root_user": False}))
    files = _files(profile)
    assert sorted(files) == ["modules/governance/README.md", "modules/governance/main.tf", "modules/governance/outputs.tf",
                             "modules/governance/units.tf", "modules/governance/variables.tf", "modules/governance/versions.tf"]
    assert "aws_organizations_policy" not in files["modules/governance/main.tf"]
    assert "aws_guardduty_organization_admin_account" in files["modules/governance/main.tf"]
    assert '  enabled_policy_types = ["SERVICE_CONTROL_POLICY"]\n' in files["modules/governance/main.tf"]
    assert _problems(_parsed(profile), profile) == []


def test_the_security_account_administers_guardduty_security_hub_and_inspector_in_every_region(org_profile):
    [out] = COMPONENT.render_organization(org_profile)
    assert out.placement == frozenset({"management"})
    assert (out.module.name, out.module.source, out.module.inputs) == ("governance", "./modules/governance", (("regions", "local.regions"),))
    main = out.files[0].content
    assert 'locals {\n  security_account_id = "300000000003"\n}' in main
    for type_, attribute in (("aws_guardduty_organization_admin_account", "admin_account_id"),
                             ("aws_securityhub_organization_admin_account", "admin_account_id"),
                             ("aws_inspector2_delegated_admin_account", "account_id")):
        block = main[main.index(f'resource "{type_}" "security"'):]
        assert block.split("\n}\n")[0].split("\n")[1:] == [
            "  for_each = var.regions", "", "  region" + " " * (len(attribute) - 6) + " = each.value",
            f"  {attribute} = local.security_account_id", "", "  depends_on = [aws_organizations_organization.this]"]
    assert ('  for_each = toset([\n    "access-analyzer.amazonaws.com",\n    "config-multiaccountsetup.amazonaws.com",\n'
            '    "config.amazonaws.com",\n  ])\n\n  account_id        = local.security_account_id\n') in main


def test_without_a_security_account_nothing_is_delegated_and_the_readme_says_so(tmp_path):
    def no_security(d):
        d["accounts"] = [a for a in d["accounts"] if a["role"] != "security"]
        for key in ("control_parameters", "configuration_policies"):  # central configuration needs a security account (E345)
            d["detection"]["security_hub"].pop(key)
    profile = _variant(tmp_path, no_security)
    [out] = COMPONENT.render_organization(profile)
    files = {f.path: f.content for f in out.files}
    assert out.module.inputs == ()
    assert "admin_account" not in files["modules/governance/main.tf"] and "delegated_administrator" not in files["modules/governance/main.tf"]
    assert 'variable "regions"' not in files["modules/governance/variables.tf"]
    assert ("The profile has no account with role `security`, so nothing is delegated: the management account stays the\n"
            "administrator of GuardDuty, Security Hub, AWS Config, IAM Access Analyzer and Inspector (warning W428).") in files["modules/governance/README.md"]
    assert _problems(_parsed(profile), profile) == []
    assert [c.what for c in out.controls] == ["Trusted access of the organisation", "Accounts stay in the organisation", "Security services cannot be turned off in member accounts",
                                             "No root user in member accounts", "Region restriction", "Organisation policy data-perimeter",
                                             "Organisation policy ec2-defaults", "Organisation policy baseline-tags",
                                             "Root users of member accounts"]


def test_the_readme_lists_each_principal_with_its_reason_and_the_checklist_keeps_only_all_features(org_profile):
    [out] = COMPONENT.render_organization(org_profile)
    readme = next(f.content for f in out.files if f.path == "modules/governance/README.md")
    assert ("| Principal | Why |\n|---|---|\n"
            "| `access-analyzer.amazonaws.com` | IAM Access Analyzer (detection.access_analyzer) analyses the whole organisation |\n"
            "| `cloudtrail.amazonaws.com` | the organisation trail (logging.cloudtrail) records every account |\n"
            "| `config-multiaccountsetup.amazonaws.com` | AWS Config (config) is delegated to the security account with its "
            "organisation rules and conformance packs |\n"
            "| `config.amazonaws.com` | AWS Config (config) aggregates every account's configuration |\n"
            "| `guardduty.amazonaws.com` | GuardDuty (detection.guardduty) runs in every account |\n"
            "| `iam.amazonaws.com` | centralised root access (governance.root_access) manages member accounts' root "
            "credentials from the management account |\n"
            "| `inspector2.amazonaws.com` | Amazon Inspector (detection.inspector) scans every account |\n"
            "| `securityhub.amazonaws.com` | Security Hub (detection.security_hub) runs in every account |\n"
            "| `member.org.stacksets.cloudformation.amazonaws.com` | `organization.keep_service_access` |\n") in readme
    assert "AWS Organizations **disables** the integration of every\n  service principal the list leaves out" in readme
    assert len(out.checklist) == 2 and out.checklist[0].startswith("AWS Organizations (management account, before its first apply): all features on.")
    assert out.checklist[1].startswith("Root users (governance.root_access: centralized): member accounts need no root password")
    assert "trusted access for `" not in out.checklist[0]  # Terraform manages trusted access now
    assert [c.what for c in out.controls][-1] == "Delegated administration"


def test_a_single_account_profile_renders_no_governance(rendered_example):
    assert not (rendered_example / "modules" / "governance").exists()
    assert "governance" not in (rendered_example / "main.tf").read_text()
    profile = api.load_profile(EXAMPLES / "acme.yaml").profile
    out = COMPONENT.render(profile)
    assert (out.files, out.module, out.controls, out.checklist) == ([], None, [], [])


def test_no_profile_can_reach_the_size_limit(org_profile):
    """Every Region of AWS, a 64-character deployment role and the CI apply role: still far below the SCP limit."""
    largest = replace(org_profile, governance=replace(org_profile.governance, restrict_regions=True),
                      organization=replace(org_profile.organization, regions=tuple(sorted(AWS_REGIONS)), deployment_role="R" * 64))
    sizes = {p.name: rendered_size(p, "aws-us-gov") for p in service_control_policies(largest)}
    assert max(sizes.values()) < SCP_MAX_CHARACTERS * 3 // 5, sizes  # the CI apply role's exemption: 2,739


def test_the_size_check_names_a_policy_over_10240_characters(org_profile):
    parsed = copy.deepcopy(_parsed(org_profile))  # parsed documents are shared (validate/parse_cache.py): change a copy
    statements = hclcheck.resource_bodies(parsed, "modules/governance", "data", "aws_iam_policy_document")["guardrails"]["statement"]
    statements[1]["actions"] += [f'"cloudtrail:Action{i:03}"' for i in range(400)]  # 400 x 23 characters more
    size = len(json.dumps(policy_json(statements), separators=(",", ":")))
    assert size == 2487 + 400 * 23  # 2487: the guardrails exempt the deployment role and the CI apply role
    assert _problems(parsed, org_profile) == [
        f"modules/governance: guardrails is {size} characters of minified JSON; AWS Organizations accepts at most 10240 in a "
        "service control policy"]


@pytest.mark.parametrize("path,old,new,message", [
    ("modules/governance/main.tf", "  target_id = local.root_id", '  target_id = "ou-abcd-12345678"',
     "modules/governance: guardrails is not attached to the organisation root"),
    ("modules/governance/main.tf", "guardrails.minified_json", "guardrails.json",
     "modules/governance: guardrails is not a service control policy with the minified JSON of its document"),
    ("modules/governance/policies.tf", 'sid       = "DenyRootUser"', 'sid       = "AllowRootUser"', None),
    ("modules/governance/main.tf", 'security_account_id = "300000000003"', 'security_account_id = "400000000004"',
     "modules/governance: the delegated administrator is '400000000004', not the security account 300000000003"),
    ("modules/governance/main.tf", 'resource "aws_guardduty_organization_admin_account" "security" {\n  for_each = var.regions\n',
     'resource "aws_guardduty_organization_admin_account" "security" {\n  for_each = toset(["us-east-1"])\n',
     "modules/governance: aws_guardduty_organization_admin_account does not name the security account in every Region"),
    ("modules/governance/main.tf", '    "config.amazonaws.com",\n  ])', "  ])",
     "modules/governance: the services delegated through AWS Organizations are ['access-analyzer.amazonaws.com', "
     "'config-multiaccountsetup.amazonaws.com'], the profile needs ['access-analyzer.amazonaws.com', "
     "'config-multiaccountsetup.amazonaws.com', 'config.amazonaws.com']"),
    ("modules/governance/main.tf", '    "guardduty.amazonaws.com",\n', "",
     "modules/governance: the organisation trusts ['access-analyzer.amazonaws.com', 'cloudtrail.amazonaws.com', "
     "'config-multiaccountsetup.amazonaws.com', 'config.amazonaws.com', 'iam.amazonaws.com', 'inspector2.amazonaws.com', "
     "'member.org.stacksets.cloudformation.amazonaws.com', 'securityhub.amazonaws.com'], the profile needs "
     "['access-analyzer.amazonaws.com', 'cloudtrail.amazonaws.com', 'config-multiaccountsetup.amazonaws.com', "
     "'config.amazonaws.com', 'guardduty.amazonaws.com', 'iam.amazonaws.com', 'inspector2.amazonaws.com', "
     "'member.org.stacksets.cloudformation.amazonaws.com', 'securityhub.amazonaws.com']\n"
     "modules/governance: aws_guardduty_organization_admin_account delegates guardduty.amazonaws.com without trusted access for it"),
    ("modules/governance/main.tf", '    "config.amazonaws.com",\n    "guardduty', '    "guardduty',
     "modules/governance: the organisation trusts ['access-analyzer.amazonaws.com', 'cloudtrail.amazonaws.com', "
     "'config-multiaccountsetup.amazonaws.com', 'guardduty.amazonaws.com', 'iam.amazonaws.com', 'inspector2.amazonaws.com', "
     "'member.org.stacksets.cloudformation.amazonaws.com', 'securityhub.amazonaws.com'], the profile needs "
     "['access-analyzer.amazonaws.com', 'cloudtrail.amazonaws.com', 'config-multiaccountsetup.amazonaws.com', "
     "'config.amazonaws.com', 'guardduty.amazonaws.com', 'iam.amazonaws.com', 'inspector2.amazonaws.com', "
     "'member.org.stacksets.cloudformation.amazonaws.com', 'securityhub.amazonaws.com']\n"
     "modules/governance: aws_organizations_delegated_administrator delegates config.amazonaws.com without trusted access for it"),
    ("modules/governance/main.tf", '"RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY", "TAG_POLICY"]', '"SERVICE_CONTROL_POLICY", "TAG_POLICY"]',
     "modules/governance: the organisation enables the policy types ['BACKUP_POLICY', 'DECLARATIVE_POLICY_EC2', "
     "'SERVICE_CONTROL_POLICY', 'TAG_POLICY'], the profile needs ['BACKUP_POLICY', 'DECLARATIVE_POLICY_EC2', "
     "'RESOURCE_CONTROL_POLICY', 'SERVICE_CONTROL_POLICY', 'TAG_POLICY']"),
    ("modules/governance/main.tf", "    prevent_destroy = true\n", "    prevent_destroy = false\n",
     "modules/governance: the organisation is not protected by prevent_destroy"),
    ("modules/governance/main.tf", 'feature_set = "ALL"', 'feature_set = "CONSOLIDATED_BILLING"',
     "modules/governance: the organisation's feature_set is not ALL"),
], ids=["attached-elsewhere", "pretty-json", "root-statement-renamed", "delegated-to-identity", "guardduty-one-region", "config-not-delegated",
        "guardduty-not-trusted", "config-not-trusted", "no-scp-type", "destroyable", "consolidated-billing"])
def test_governance_invariants_catch_a_tampered_module(org_profile, path, old, new, message):
    outputs = COMPONENT.render_organization(org_profile)
    files = [f for out in outputs for f in out.files]
    target = next(f for f in files if f.path == path)
    assert old in target.content, "the tampering must apply"
    tampered = [replace(f, content=f.content.replace(old, new, 1)) if f is target else f for f in files]
    parsed, failures = hclcheck.parse_files(tampered)
    assert failures == []
    problems = _problems(parsed, org_profile)
    if message is None:
        assert problems == [
            "modules/governance: guardrails has the statements {'DenyLeavingOrganization': 'Deny', 'ProtectCloudTrail': 'Deny', "
            "'ProtectConfig': 'Deny', 'ProtectGuardDuty': 'Deny', 'ProtectSecurityHub': 'Deny', 'ProtectAccessAnalyzer': 'Deny', "
            "'AllowRootUser': 'Deny'}, the profile says {'DenyLeavingOrganization': 'Deny', 'ProtectCloudTrail': 'Deny', "
            "'ProtectConfig': 'Deny', 'ProtectGuardDuty': 'Deny', 'ProtectSecurityHub': 'Deny', 'ProtectAccessAnalyzer': 'Deny', "
            "'DenyRootUser': 'Deny'}"]
    else:
        assert problems == message.split("\n")


def test_a_governance_module_in_a_single_account_render_is_refused():
    profile = api.load_profile(EXAMPLES / "acme.yaml").profile
    assert _problems({"modules/governance/main.tf": {}}, profile) == ["modules/governance: rendered for a single account"]


def test_the_render_of_an_organisation_stops_on_a_tampered_governance_module(tmp_path, tamper):
    """The invariants run in the real pipeline; fmt, provider-schema and checkov gates cover the module through
    tests/test_terraform_gates.py (rendered_org)."""
    tamper("modules/governance/main.tf", "  target_id = local.root_id", '  target_id = "ou-abcd-12345678"')
    with pytest.raises(RenderInvariantError) as info:
        api.render(ORG_EXAMPLE, tmp_path / "out")
    assert "modules/governance: guardrails is not attached to the organisation root" in str(info.value).splitlines()
    assert not (tmp_path / "out").exists()


def test_the_organisation_render_places_governance_in_the_management_account_only(rendered_org):
    calls = {p.parent.name for p in (rendered_org / "accounts").glob("*/main.tf") if 'module "governance"' in p.read_text()}
    assert calls == {"management"}
    assert sorted(p.name for p in (rendered_org / "modules" / "governance").iterdir()) == [
        "README.md", "main.tf", "organization_policies.tf", "outputs.tf", "policies.tf", "units.tf", "variables.tf", "versions.tf"]
