"""Control Tower mode through Terraform (stand-in provider) and checkov: every root of examples/acme-control-tower.yaml
validates, plans and applies, importing what the profile adopts and destroying nothing; the Config recorder exists
only where Control Tower does not record; dropping the adopt entry after the apply plans no change; checkov finds
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baselinegen import api
from support.terraform_runs import terraform
from test_control_tower import ACCOUNTS, EXAMPLE, _edited
from support.checkov_run import run_checkov


@pytest.fixture(scope="module")
def files():
    return {f.path: f.content for f in api.render_tree(api.load_profile(EXAMPLE).profile).files}


@pytest.fixture(scope="module")
def applied(tmp_path_factory, terraform_bin, terraform_env):
    """The example's tree through init, validate, plan and apply of every root, then a second plan (stand-in provider)."""
    from support.terraform_runs import run_trees

    tree = tmp_path_factory.mktemp("control-tower") / "tree"
    api.render(EXAMPLE, tree)
    return tree, {run.root: run for run in run_trees(terraform_bin, {"tree": tree}, terraform_env)["tree"]}


def _state_counts(root: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for resource in json.loads((root / "terraform.tfstate").read_text())["resources"]:
        if resource["mode"] == "managed":
            counts[resource["type"]] = counts.get(resource["type"], 0) + len(resource["instances"])
    return counts


def test_every_root_validates_plans_and_applies_importing_what_is_adopted_and_destroying_nothing(applied):
    tree, runs = applied
    runs = {name: run for name, run in runs.items() if name != "bootstrap"}  # the state bucket's root: tests/test_state.py
    assert sorted(runs) == [f"accounts/{a}" for a in sorted(ACCOUNTS)]
    assert {name: run.failed for name, run in runs.items()} == {name: None for name in runs}
    assert {name: run.planned[2] for name, run in runs.items()} == {name: 0 for name in runs}  # nothing destroyed
    # the organisation, and the management account's recorder, channel and status in both Regions (adopt: [config])
    assert {name: run.imported for name, run in runs.items()} == {"accounts/audit": 0, "accounts/log-archive": 0,
                                                                 "accounts/management": 7, "accounts/payments-prod": 0}
    assert {name: run.replan_exit for name, run in runs.items()} == {name: 0 for name in runs}


@pytest.mark.parametrize("account,recorders", [("management", 2), ("log-archive", 0), ("audit", 0), ("payments-prod", 0)])
def test_the_recorder_exists_only_where_control_tower_does_not_record_and_the_rules_everywhere(applied, account, recorders):
    counts = _state_counts(applied[0] / "accounts" / account)
    assert [counts.get(t, 0) for t in ("aws_config_configuration_recorder", "aws_config_delivery_channel",
                                       "aws_config_configuration_recorder_status")] == [recorders] * 3
    assert counts["aws_config_config_rule"] > 0 and "aws_cloudtrail" not in counts


def test_dropping_the_adopt_entry_after_the_apply_plans_no_change(applied, tmp_path, terraform_bin, terraform_env):
    tree, _ = applied
    profile = tmp_path / "acme-control-tower.yaml"
    profile.write_text(_edited(("    adopt: [config]  ", "    #adopt: [config] ")), encoding="utf-8")
    api.render(profile, tree, force=True)
    root = tree / "accounts" / "management"
    assert not (root / "imports.tf").read_text(encoding="utf-8").count("aws_config")
    replan = terraform(terraform_bin, root, terraform_env, "plan", "-input=false", "-no-color", "-detailed-exitcode")
    assert replan.returncode == 0, replan.stderr + replan.stdout


def test_checkov_finds_nothing_in_the_control_tower_tree(files, tmp_path, checkov_bin):
    for name, content in files.items():
        if name.startswith("modules/"):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(content, encoding="utf-8")
    reports = [run_checkov(checkov_bin, str(tmp_path / "modules"))]
    assert [(c["check_id"], c["resource"]) for r in reports for c in r["results"]["failed_checks"]] == []
    access_logs = [(c["file_path"], c["resource"]) for r in reports for c in r["results"]["skipped_checks"] if c["check_id"] == "CKV_AWS_18"]
    assert access_logs == [("/log_archive/main.tf", "aws_s3_bucket.config")]
