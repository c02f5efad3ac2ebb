"""The organisation profile (issue 6, first slice): `accounts`, `organization.id` / `deployment_role` and
`iam.identity_account` are validated and modelled; rendering them is not available yet and says so.

Bad values and cross-references: tests/bad_profiles/accounts_*.yaml."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
import yaml

from baselinegen import api
from baselinegen.profile.model import Account
from conftest import EXAMPLES

ORG_EXAMPLE = EXAMPLES / "acme-org.yaml"

def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "baselinegen", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def org_profile():
    return api.load_profile(ORG_EXAMPLE)


def test_the_organisation_example_validates_without_warnings(org_profile):
    assert org_profile.warnings == []
    result = _cli("validate", str(ORG_EXAMPLE))
    assert (result.returncode, result.stdout) == (0, f"{ORG_EXAMPLE}: valid (0 warning(s))\n")


def test_accounts_are_modelled_in_profile_order_with_quoted_ids_kept_as_written(org_profile):
    org = org_profile.profile.organization
    assert [(a.name, a.id, a.role) for a in org.accounts] == [
        ("management", "100000000001", "management"),
        ("log-archive", "200000000002", "log-archive"),
        ("security", "300000000003", "security"),
        ("identity", "400000000004", "workload"),
        ("payments-prod", "500000000005", "workload"),
        ("payments-staging", "060000000006", "workload"),  # the leading zero survives because the id is quoted
    ]
    assert (org.id, org.deployment_role) == ("o-a1b2c3d4e5", "OrganizationAccountAccessRole")
    assert org_profile.profile.iam.identity_account == "identity"
    assert [a.name for a in org.accounts_with_role("workload")] == ["identity", "payments-prod", "payments-staging"]
    assert org.accounts_with_role("management")[0].description.startswith("Creates the organisation;")


def test_account_regions_default_to_the_organisations_and_narrow_where_written(org_profile):
    org = org_profile.profile.organization
    regions = {a.name: a.regions for a in org.accounts}
    assert regions["payments-prod"] == org.regions == ("ap-northeast-1", "us-east-1")
    assert regions["payments-staging"] == ("ap-northeast-1",)


def test_a_single_account_profile_has_no_organisation_keys():
    profile = api.load_profile(EXAMPLES / "acme.yaml").profile
    org = profile.organization
    assert (org.accounts, org.id, org.deployment_role, profile.iam.identity_account) == ((), None, "OrganizationAccountAccessRole", None)


def test_account_model_is_frozen_and_keeps_former_names(write_profile):
    path = write_profile("""
        version: 1
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1, eu-west-1], id: o-a1b2c3d4e5,
                       deployment_role: AcmeDeployer}
        accounts:
          - {name: management, id: "111111111111", role: management}
          - {name: logs, id: "222222222222", role: log-archive}
          - {name: security, id: "333333333333", role: security}
          - {name: payments, id: "044444444444", role: workload, regions: [us-east-1], renamed_from: [pay, payments-old]}
        iam: {identity_account: security}
        monitoring: {topic: {email: [security@acme.example]}}
    """)
    loaded = api.load_profile(path, strict=False)
    payments = loaded.profile.organization.accounts[-1]
    assert payments == Account(name="payments", id="044444444444", role="workload", regions=("us-east-1",),
                               renamed_from=("pay", "payments-old"))
    assert loaded.profile.organization.deployment_role == "AcmeDeployer"
    assert [p.code for p in loaded.warnings if p.code != "W435"] == ["W430"]  # the rename: the folder and the state key move
    with pytest.raises(AttributeError):
        payments.name = "other"  # type: ignore[misc]


def test_the_json_schema_describes_accounts_and_accepts_the_organisation_example():
    schema = json.loads(_cli("schema").stdout)
    # as an editor's YAML language server reads it: a date (exceptions[].until) is a string of format date
    example = json.loads(json.dumps(yaml.safe_load(ORG_EXAMPLE.read_text()), default=str))
    jsonschema.validate(example, schema)
    assert schema["properties"]["exceptions"]["items"]["properties"]["until"] == {
        "description": "The last day it is accepted (YYYY-MM-DD, unquoted); after it `validate` warns (W480).",
        "type": "string", "format": "date"}
    account = schema["properties"]["accounts"]["items"]
    assert account["required"] == ["id", "name", "role"]
    assert account["properties"]["role"]["enum"] == ["management", "log-archive", "security", "workload"]
    assert schema["properties"]["iam"]["properties"]["identity_account"]["type"] == "string"
    assert set(schema["properties"]["organization"]["properties"]) >= {"id", "deployment_role"}
    example["accounts"][0]["id"] = 100000000001  # unquoted
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(example)]
    assert errors == ["100000000001 is not of type 'string'"]


def _codes(write_profile, text: str) -> list[str]:
    problems, _ = api.check_profile(write_profile(text))
    return [p.code for p in problems if p.code != "W435"]  # these profiles keep state local: W435 is not their subject


def test_a_home_region_outside_the_organisations_regions_is_reported_once_not_per_account(write_profile):
    assert _codes(write_profile, """
        version: 1
        organization: {name: acme, home_region: eu-west-1, regions: [us-east-1], id: o-a1b2c3d4e5}
        accounts:
          - {name: management, id: "111111111111", role: management, regions: [us-east-1]}
          - {name: logs, id: "222222222222", role: log-archive}
          - {name: security, id: "333333333333", role: security}
          - {name: app, id: "444444444444", role: workload}
        iam: {identity_account: security}
        monitoring: {topic: {email: [security@acme.example]}}
    """) == ["E210"]


def test_a_malformed_account_does_not_add_guesses_about_roles_or_names(write_profile):
    # The third account's role is misspelt: no "no security account" warning and no "no account named" error,
    # only the schema's error (with its did-you-mean).
    assert _codes(write_profile, """
        version: 1
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1], id: o-a1b2c3d4e5}
        accounts:
          - {name: management, id: "111111111111", role: management}
          - {name: logs, id: "222222222222", role: log-archive}
          - {name: security, id: "333333333333", role: securty}
          - {role: workload, id: "444444444444"}
        iam: {identity_account: identity}
        monitoring: {topic: {email: [security@acme.example]}}
    """) == ["E116", "E111"]


def test_a_second_management_account_is_reported_even_when_the_first_has_no_name(write_profile):
    problems, _ = api.check_profile(write_profile("""
        version: 1
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1], id: o-a1b2c3d4e5}
        accounts:
          - {id: "111111111111", role: management}
          - {name: root, id: "222222222222", role: management}
        iam: {identity_account: root}
        monitoring: {topic: {email: [security@acme.example]}}
    """))
    problems = [p for p in problems if p.code != "W435"]  # state stays local: not this test's subject
    assert [(p.path, p.code) for p in problems] == [("accounts[0].name", "E111"), ("accounts[1].role", "E250"),
                                                    ("iam.identity_account", "W429")]  # root is a management account
    assert problems[1].message.startswith("account accounts[0] (line 4) already has role management;")
