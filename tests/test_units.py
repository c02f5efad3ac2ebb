"""``profile/units.py``: unit paths of the tree and the accounts a target (root, a unit path, an account) covers."""

from __future__ import annotations

from baselinegen.profile.units import accounts_at, accounts_reached, unit_paths

DATA = {
    "organization": {"units": [{"name": "Security"},
                               {"name": "Workloads", "units": [{"name": "Prod"}, {"name": "NonProd", "units": [{"name": "Dev"}]}]},
                               {"name": "Sandbox"}]},
    "accounts": [{"name": "management", "role": "management"},
                 {"name": "security", "unit": "Security"},
                 {"name": "pay-prod", "unit": "Workloads/Prod"},
                 {"name": "pay-staging", "unit": "Workloads/NonProd"},
                 {"name": "pay-dev", "unit": "Workloads/NonProd/Dev"},
                 {"name": "shared", "unit": "Workloads"}],
}


def test_unit_paths_list_parents_before_children_in_profile_order():
    assert unit_paths(DATA["organization"]["units"]) == [
        "Security", "Workloads", "Workloads/Prod", "Workloads/NonProd", "Workloads/NonProd/Dev", "Sandbox"]


def test_unit_paths_skip_malformed_units():
    assert unit_paths([{"name": "A", "units": "x"}, "B", {"units": [{"name": "C"}]}, {"name": 3}]) == ["A"]
    assert unit_paths(None) == []


def test_a_unit_covers_the_accounts_in_it_and_below_it():
    assert accounts_at(DATA, "Workloads") == ("pay-prod", "pay-staging", "pay-dev", "shared")
    assert accounts_at(DATA, "Workloads/NonProd") == ("pay-staging", "pay-dev")
    assert accounts_at(DATA, "Sandbox") == ()


def test_root_covers_every_account_and_an_account_name_itself():
    assert accounts_at(DATA, "root") == ("management", "security", "pay-prod", "pay-staging", "pay-dev", "shared")
    assert accounts_at(DATA, "pay-dev") == ("pay-dev",)
    assert accounts_at(DATA, "Workloads/Pro") == ()


def test_a_unit_path_is_not_a_prefix_of_its_siblings_names():
    data = {"organization": {"units": [{"name": "Prod"}, {"name": "ProdLegacy"}]},
            "accounts": [{"name": "a", "unit": "Prod"}, {"name": "b", "unit": "ProdLegacy"}]}
    assert accounts_at(data, "Prod") == ("a",)


def test_reach_is_the_union_of_its_targets_in_profile_order():
    assert accounts_reached(DATA, ["pay-dev", "Security", "pay-prod", "Workloads/NonProd"]) == (
        "security", "pay-prod", "pay-staging", "pay-dev")
