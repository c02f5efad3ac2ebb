"""The organisation's tree (organization.units, accounts[].unit): units created level by level or imported, every
member account placed (imported by id, never closed or removed), the review's lines for units and moves.

Refusals: tests/bad_profiles/units_*.yaml. Terraform validate/plan of the management root with units:
tests/test_terraform_plan.py (examples/acme-org.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.components.governance.component import COMPONENT
from baselinegen.components.governance.invariants import governance_problems
from baselinegen.review import build_review
from baselinegen.validate import hclcheck
from conftest import EXAMPLES

ORG_EXAMPLE = EXAMPLES / "acme-org.yaml"
THREE_LEVELS = [{"name": "Security"},
                {"name": "Workloads", "units": [{"name": "Prod", "units": [{"name": "Payments", "id": "ou-ab12-12345678"}]},
                                                {"name": "NonProd"}]}]
WHERE = {"log-archive": "Security", "security": None, "identity": "Workloads", "payments-prod": "Workloads/Prod/Payments",
         "payments-staging": "Workloads/NonProd"}


def _load(tmp_path: Path, change) -> object:
    document = yaml.safe_load(ORG_EXAMPLE.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return api.load_profile(path).profile


def _three_levels(document: dict) -> None:
    document["organization"]["units"] = THREE_LEVELS
    for account in document["accounts"]:
        account.pop("unit", None)
        if WHERE.get(account["name"]):
            account["unit"] = WHERE[account["name"]]


def _outputs(profile):
    return COMPONENT.render_organization(profile)


def _parsed(profile) -> dict:
    parsed, failures = hclcheck.parse_files([f for out in _outputs(profile) for f in out.files])
    assert failures == []
    return parsed


def test_a_tree_of_three_levels_renders_one_resource_per_level_each_unit_under_its_parent(tmp_path):
    profile = _load(tmp_path, _three_levels)
    units = hclcheck.resource_bodies(_parsed(profile), "modules/governance", "resource", "aws_organizations_organizational_unit")
    assert sorted(units) == ["level_1", "level_2", "level_3"]
    assert units["level_1"]["for_each"] == {'"Security"': '"Security"', '"Workloads"': '"Workloads"'}
    assert units["level_2"]["for_each"] == {'"Workloads/NonProd"': {"name": '"NonProd"', "parent": '"Workloads"'},
                                            '"Workloads/Prod"': {"name": '"Prod"', "parent": '"Workloads"'}}
    assert units["level_3"]["for_each"] == {'"Workloads/Prod/Payments"': {"name": '"Payments"', "parent": '"Workloads/Prod"'}}
    assert units["level_3"]["parent_id"] == "${aws_organizations_organizational_unit.level_2[each.value.parent].id}"
    assert units["level_1"]["parent_id"] == "${local.root_id}"


def test_every_member_account_is_placed_at_each_level_and_an_unplaced_one_at_the_root(tmp_path):
    profile = _load(tmp_path, _three_levels)
    member = hclcheck.resource_bodies(_parsed(profile), "modules/governance", "resource", "aws_organizations_account")["member"]
    placed = {k.strip('"'): v["unit"].strip('"') for k, v in member["for_each"].items()}
    assert placed == {"log-archive": "Security", "security": "root", "identity": "Workloads",
                      "payments-prod": "Workloads/Prod/Payments", "payments-staging": "Workloads/NonProd"}
    assert member["close_on_deletion"] is False
    assert member["lifecycle"][0]["prevent_destroy"] is True
    assert member["lifecycle"][0]["ignore_changes"] == ["name", "email", "iam_user_access_to_billing", "role_name", "tags", "tags_all"]
    assert governance_problems(_parsed(profile), profile, COMPONENT.settings(profile)) == []


def test_the_management_root_imports_each_placed_account_by_id_and_each_existing_ou(tmp_path):
    profile = _load(tmp_path, _three_levels)
    imports = [(i.to, i.id) for out in _outputs(profile) for i in out.imports]
    assert imports == [("aws_organizations_organization.this", "o-a1b2c3d4e5"),
                       ('aws_organizations_organizational_unit.level_3["Workloads/Prod/Payments"]', "ou-ab12-12345678"),
                       ('aws_organizations_account.member["log-archive"]', "200000000002"),
                       ('aws_organizations_account.member["security"]', "300000000003"),
                       ('aws_organizations_account.member["identity"]', "400000000004"),
                       ('aws_organizations_account.member["payments-prod"]', "500000000005"),
                       ('aws_organizations_account.member["payments-staging"]', "060000000006")]


def test_without_units_nothing_is_placed_and_no_units_file_is_rendered(tmp_path):
    def flat(document):
        document["organization"].pop("units")
        document["governance"].pop("policies")
        for account in document["accounts"]:
            account.pop("unit", None)
    profile = _load(tmp_path, flat)
    files = {f.path for out in _outputs(profile) for f in out.files}
    assert "modules/governance/units.tf" not in files
    assert [i.to for out in _outputs(profile) for i in out.imports] == ["aws_organizations_organization.this"]


@pytest.mark.parametrize("old, new, message", [
    ('"payments-prod"    = { id = "500000000005", unit = "Workloads/Prod" }',
     '"payments-prod"    = { id = "500000000005", unit = "Security" }', "the accounts placed are"),
    ("close_on_deletion = false", "close_on_deletion = true", "could be closed or removed"),
    ('"Workloads/Prod"    = { name = "Prod", parent = "Workloads" }',
     '"Workloads/Prod"    = { name = "Prod", parent = "Security" }', "the units of level 2 are"),
])
def test_the_tree_invariants_catch_a_tampered_units_file(old, new, message):
    profile = api.load_profile(ORG_EXAMPLE).profile
    files = [f for out in _outputs(profile) for f in out.files]
    units = next(f for f in files if f.path == "modules/governance/units.tf")
    assert old in units.content
    tampered = [type(f)(f.path, f.content.replace(old, new), f.mode) if f is units else f for f in files]
    parsed, failures = hclcheck.parse_files(tampered)
    assert failures == []
    problems = governance_problems(parsed, profile, COMPONENT.settings(profile))
    assert len(problems) == 1 and message in problems[0]


@pytest.fixture(scope="module")
def rendered_example() -> dict[str, str]:
    return {f.path: f.content for f in api.render_tree(api.load_profile(ORG_EXAMPLE).profile).files}


def _summary(rendered_example, tmp_path, change) -> list[str]:
    new = {f.path: f.content for f in api.render_tree(_load(tmp_path, change)).files}
    return [c.text for c in build_review(rendered_example, new).summary]


def test_the_review_says_an_account_moved_between_units(rendered_example, tmp_path):
    def moved(document):
        next(a for a in document["accounts"] if a["name"] == "payments-staging")["unit"] = "Workloads/Prod"
    assert _summary(rendered_example, tmp_path, moved) == ["account 060000000006 (payments-staging) moved Workloads/NonProd → Workloads/Prod"]


def test_the_review_says_a_unit_is_created_and_an_account_let_go_without_leaving_the_organisation(rendered_example, tmp_path):
    def changed(document):
        document["organization"]["units"].append({"name": "Sandbox"})
        document["accounts"] = [a for a in document["accounts"] if a["name"] != "payments-staging"]
    summary = _summary(rendered_example, tmp_path, changed)
    assert "organisation: unit Sandbox created (or imported, organization.units[].id)" in summary
    assert ("account 060000000006 (payments-staging) no longer placed by Terraform — prevent_destroy fails the plan; `terraform state rm "
            "'module.governance.aws_organizations_account.member[\"payments-staging\"]'` lets it go without removing it from "
            "the organisation") in summary


def test_a_target_covers_the_root_a_unit_with_the_units_below_it_or_one_account_in_profile_order():
    from baselinegen.profile.units import accounts_at, accounts_reached

    data = {"organization": {"units": [{"name": "Workloads", "units": [{"name": "Prod"}, {"name": "ProdX"}]},
                                       {"name": "Security"}]},
            "accounts": [{"name": "p1", "unit": "Workloads/Prod"}, {"name": "sec", "unit": "Security"},
                         {"name": "w", "unit": "Workloads"}, {"name": "x", "unit": "Workloads/ProdX"}, {"name": "mgmt"},
                         {"name": "Security"}, "not an account", {"name": 7}]}
    assert accounts_at(data, "root") == ("p1", "sec", "w", "x", "mgmt", "Security")
    assert accounts_at(data, "Workloads") == ("p1", "w", "x")
    assert accounts_at(data, "Workloads/Prod") == ("p1",)  # not Workloads/ProdX
    assert accounts_at(data, "Security") == ("sec",)  # a unit's path before an account of the same name
    assert accounts_at(data, "mgmt") == ("mgmt",)
    assert accounts_at(data, "Nowhere") == ()
    assert accounts_reached(data, ["mgmt", "Workloads/ProdX", "Workloads/Prod", "mgmt"]) == ("p1", "x", "mgmt")
    assert accounts_reached(data, []) == ()
