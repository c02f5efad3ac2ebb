"""Security Hub configuration policies associated by unit (issue 23): a unit whose id the profile knows
(organization.units[].id) gets the association itself, so an account that joins it later gets its policy; a unit
without an id is associated account by account, with warning W464 at the target."""

from __future__ import annotations

import yaml

from baselinegen import api
from baselinegen.validate.hclcheck import _parse, unquote
from conftest import EXAMPLES
from support.terraform_runs import run_root

PROD_ID = "ou-ab12-prod0001"


def _write(tmp_path, *, prod_id: str | None, apply_to=("Workloads/Prod",), baseline=None):
    data = yaml.safe_load((EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8"))
    data["detection"]["security_hub"]["configuration_policies"][0]["apply_to"] = list(apply_to)
    if baseline:
        data["detection"]["security_hub"]["apply_to"] = list(baseline)
    if prod_id:
        data["organization"]["units"][2]["units"][0]["id"] = prod_id
    path = tmp_path / "acme-org.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _associations(tmp_path, **kwargs) -> dict[str, dict[str, str]]:
    api.render(_write(tmp_path, **kwargs), tmp_path / "out")
    text = (tmp_path / "out" / "modules" / "detection" / "security_hub_organization.tf").read_text(encoding="utf-8")
    found = {n[1:-1]: body for e in _parse(text).get("resource", []) for t, inner in e.items() for n, body in inner.items()
             if t[1:-1] == "aws_securityhub_configuration_policy_association"}
    return {name: {unquote(k): unquote(v) for k, v in body["for_each"].items() if k != "__is_block__"} for name, body in found.items()}


def test_a_unit_with_a_known_id_is_associated_by_its_id(tmp_path):
    assert _associations(tmp_path, prod_id=PROD_ID)["payments"] == {"Workloads/Prod": PROD_ID}


def test_a_unit_without_an_id_is_associated_account_by_account_and_warns(tmp_path):
    assert _associations(tmp_path, prod_id=None)["payments"] == {"payments-prod": "500000000005"}
    found, _ = api.check_profile(_write(tmp_path, prod_id=None))
    assert [f"{p.path}: {p.message} [{p.code}]" for p in found if p.code == "W464"] == [
        "detection.security_hub.configuration_policies[0].apply_to[0]: unit 'Workloads/Prod' has no id in organization.units: the policy "
        "is associated with its accounts (payments-prod) one by one, and an account that joins the unit later gets its parent's policy; "
        "after the first apply, add the unit's id (ou-...) to associate the policy with the unit itself [W464]"]
    assert [p for p in api.check_profile(_write(tmp_path, prod_id=PROD_ID))[0] if p.code == "W464"] == []


def test_an_account_named_next_to_its_unit_is_not_associated_twice(tmp_path):
    assert _associations(tmp_path, prod_id=PROD_ID, apply_to=("Workloads/Prod", "payments-prod"))["payments"] == {"Workloads/Prod": PROD_ID}


def test_the_organisation_wide_policy_can_go_to_a_known_unit_too(tmp_path):
    got = _associations(tmp_path, prod_id=PROD_ID, apply_to=("payments-staging",), baseline=("Workloads/Prod", "Security"))
    assert got["baseline"] == {"Workloads/Prod": PROD_ID, "Security": "ou-ab12-c3d4e5f6"}


def test_the_security_account_root_validates_and_plans_with_a_unit_association(tmp_path, terraform_env, terraform_bin):
    api.render(_write(tmp_path, prod_id=PROD_ID), tmp_path / "tree")
    run = run_root(terraform_bin, tmp_path / "tree", tmp_path / "tree" / "accounts" / "security", terraform_env)
    assert (run.failed, run.validate.get("error_count"), run.validate.get("warning_count")) == (None, 0, 0)
    assert run.planned[2] == 0 and run.replan_exit == 0
