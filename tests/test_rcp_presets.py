"""The data perimeter as three presets of their own (organisation principals only, TLS only, confused deputy) and as
the set (data-perimeter): each denies exactly its own case, the set is the three statements, and none denies what
the baseline does (issue 21)."""

from __future__ import annotations

import pytest

from baselinegen import api
from baselinegen.components.governance.component import _view
from baselinegen.components.governance.needs import blocked
from baselinegen.components.governance.org_policies import preset_body
from baselinegen.policy_presets import PRESETS
from baselinegen.policy_presets.evaluate import Request, denies
from conftest import EXAMPLES

ORG = "o-a1b2c3d4e5"
CASES = {  # a request each statement exists to deny
    "outsider": Request("a principal of another organisation", "s3:GetObject",
                        {"aws:PrincipalOrgID": "o-zzzzzzzzzz", "aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "true"}),
    "plain http": Request("an insider without TLS", "kms:Decrypt",
                          {"aws:PrincipalOrgID": ORG, "aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "false"}),
    "deputy": Request("CloudTrail writing for another organisation", "s3:PutObject",
                      {"aws:PrincipalIsAWSService": "true", "aws:SourceAccount": "999999999999", "aws:SourceOrgID": "o-zzzzzzzzzz",
                       "aws:SecureTransport": "true"}),
}
DENIES = {"rcp-organization-principals": {"outsider": "EnforceOrganizationIdentities"},
          "rcp-tls-only": {"plain http": "EnforceSecureTransport"},
          "rcp-confused-deputy": {"deputy": "EnforceConfusedDeputyProtection"},
          "data-perimeter": {"outsider": "EnforceOrganizationIdentities", "plain http": "EnforceSecureTransport",
                             "deputy": "EnforceConfusedDeputyProtection"}}


@pytest.fixture(scope="module")
def org():
    profile = api.load_profile(EXAMPLES / "acme-org.yaml").profile
    return profile.raw, _view(profile.raw)


@pytest.mark.parametrize("name", sorted(DENIES))
def test_each_rcp_preset_denies_exactly_its_own_case(org, name):
    body = preset_body(org[0], name)
    assert {case: denies(body, request) for case, request in CASES.items() if denies(body, request)} == DENIES[name]


def test_the_data_perimeter_is_the_three_presets_statements_in_order(org):
    parts = [preset_body(org[0], name)["Statement"] for name in ("rcp-organization-principals", "rcp-confused-deputy", "rcp-tls-only")]
    assert preset_body(org[0], "data-perimeter")["Statement"] == [st for part in parts for st in part]


def test_the_rcp_presets_name_the_profiles_organisation_and_no_placeholder(org):
    for name in DENIES:
        text = str(preset_body(org[0], name))
        assert "<organization_id>" not in text
    assert preset_body(org[0], "rcp-organization-principals")["Statement"][0]["Condition"]["StringNotEqualsIfExists"] == {
        "aws:PrincipalOrgID": ORG}


@pytest.mark.parametrize("name", sorted(DENIES))
def test_no_rcp_preset_locks_out_the_pipeline_people_or_the_log_services(org, name):
    data, view = org
    for account in view.organization.accounts:
        assert blocked("rcp", preset_body(data, name), view, account) is None, account.name


def test_the_split_presets_are_listed_with_what_they_deny_and_why():
    for name in ("rcp-organization-principals", "rcp-tls-only", "rcp-confused-deputy"):
        assert PRESETS[name].type == "rcp" and PRESETS[name].does and PRESETS[name].why
