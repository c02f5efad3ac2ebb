"""Terraform's own type checker and planner on every rendered tree, offline: the stand-in hashicorp/aws provider
(tests/tfprovider) serves the typed aws 6.x schema. Every root of the example trees, the presets and a small
synthetic organisation passes init, validate (no error, no warning) and plan on an empty state; applied to a local
state, the same profile plans no change; a broken copy fails with Terraform's diagnostic naming file and line."""

from __future__ import annotations

import json
import re

import pytest

from conftest import PRESETS, REPO, SYNTHETIC, TREES
from support.terraform_runs import copy_tree, roots, terraform, validate

@pytest.mark.parametrize("name", TREES)
def test_every_root_validates_with_no_error_and_no_warning(terraform_runs, name):
    runs = terraform_runs[name]
    assert runs
    for run in runs:
        assert run.failed is None or run.failed != "validate", run.validate
        assert (run.root, run.validate.get("valid"), run.validate.get("error_count"), run.validate.get("warning_count"),
                run.validate.get("diagnostics")) == (run.root, True, 0, 0, [])


@pytest.mark.parametrize("name", TREES)
def test_every_root_plans_only_creations_and_imports_on_an_empty_state_and_applies(terraform_runs, rendered_trees, name):
    """An empty state: every resource is created, except what the root's imports.tf adopts (the organisation, in
    the management root; examples/acme.yaml's adopt entries: the password policy, Tokyo's Config recorder,
    delivery channel and recording status, and Config's service-linked role),
    which is updated in place (the stand-in imports only the id); acme-org also imports its Security OU and places
    its five member accounts; the synthetic organisation imports its units Workloads, Prod and Critical and places
    its four member accounts, and its identity account adopts its password policy."""
    importing = [run.root for run in terraform_runs[name] if (rendered_trees[name] / run.root / "imports.tf").exists()]
    assert importing == {"acme-org": ["accounts/management"], "organisation starter": ["accounts/management"],
                         "synthetic": ["accounts/identity", "accounts/management"], "acme": ["."]}.get(name, [])
    for run in terraform_runs[name]:
        assert run.failed is None, f"{name} {run.root}: {run.failed}"
        added, changed, destroyed = run.planned
        imported = {"acme": (5, 5, 0), "acme-org": (7, 7, 0), "synthetic": (8, 8, 0)}.get(name, (1, 1, 0))
        if (name, run.root) == ("synthetic", "accounts/identity"):
            imported = (1, 1, 0)  # bench/synth.py: the identity account adopts its password policy
        expected = imported if run.root in importing else (0, 0, 0)
        assert added > 0 and (run.imported, changed, destroyed) == expected, (run.root, run.imported, run.planned)


@pytest.mark.parametrize("name", TREES)
def test_the_same_profile_plans_no_changes_after_the_apply(terraform_runs, name):
    for run in terraform_runs[name]:
        assert run.failed is None, f"{name} {run.root}: {run.failed}"
        assert run.replan_exit == 0, f"{name} {run.root}:\n{run.replan_output[-4000:]}"
        assert "No changes. Your infrastructure matches the configuration." in run.replan_output


def test_each_tree_has_the_roots_of_its_layout(rendered_trees):
    """Single-account trees are one root; an organisation has one root per account."""
    found = {name: [root.relative_to(tree).as_posix() for root in roots(tree)] for name, tree in rendered_trees.items()}
    assert found["acme"] == [".", "bootstrap"]  # the examples keep their state in S3: bootstrap/ creates the bucket
    assert found["acme-org"] == [f"accounts/{a}" for a in ("identity", "log-archive", "management", "payments-prod",
                                                           "payments-staging", "security")] + ["bootstrap"]
    assert found["synthetic"] == [f"accounts/{a}" for a in ("app-0000", "identity", "log-archive", "management", "security")] + ["bootstrap"]
    assert found["organisation starter"] == [f"accounts/{a}" for a in ("identity", "log-archive", "management", "security",
                                                                       "workload-prod", "workload-staging")] + ["bootstrap"]
    assert all(found[f"preset {name}"] == [".", "bootstrap"] for name in PRESETS)  # the starter keeps state in S3


# --------------------------------------------------------------------------------------------------------------
# The README's figure
# --------------------------------------------------------------------------------------------------------------
_FIGURE_ROW = re.compile(r"^\| (.+?) \| (\d+) \| ([\d,]+) \|$", re.M)


def _figure(readme: str) -> dict[str, tuple[int, int]]:
    section = readme.split("<!-- terraform-plan-figure -->")[1]
    return {tree: (int(count), int(planned.replace(",", ""))) for tree, count, planned in _FIGURE_ROW.findall(section)}


def test_the_readme_states_the_roots_and_resources_terraform_plans_for_each_tree(terraform_runs):
    expected = {_label(name): (len(runs), sum(run.planned[0] for run in runs)) for name, runs in terraform_runs.items()}
    assert _figure((REPO / "README.md").read_text(encoding="utf-8")) == expected
    total_roots = sum(count for count, _ in expected.values())
    assert f"{total_roots} Terraform roots" in (REPO / "README.md").read_text(encoding="utf-8")


def _label(name: str) -> str:
    if name in ("acme", "acme-org"):
        return f"`examples/{name}.yaml`"
    if name == "synthetic":
        return "`bench/synth.py`, {accounts} accounts × {regions} Regions".format(**SYNTHETIC)
    if name == "organisation starter":
        return "`baselinegen init --organization` (preset `cis-1.4`)"
    return f"preset `{name.split()[1]}` (`baselinegen init`)"


# --------------------------------------------------------------------------------------------------------------
# A broken copy: the check can fail
# --------------------------------------------------------------------------------------------------------------
BREAKAGES = {  # name: [(file, text, broken text, Terraform's summary)]. Terraform evaluates no module output while a
    # module has errors, so the wrong output reference goes in a copy of its own.
    "arguments": [("modules/kms/main.tf", "  enable_key_rotation     = true\n",
                   '  enable_key_rotation     = true\n  key_rotation_schedule   = "yearly"\n', "Unsupported argument"),
                  ("modules/kms/main.tf", "  rotation_period_in_days = 365\n", '  rotation_period_in_days = ["365"]\n',
                   "Incorrect attribute value type")],
    "output reference": [("outputs.tf", "  value       = module.monitoring.alarm_names\n",
                          "  value       = module.monitoring.alarm_name\n", "Unsupported attribute")],
}


def _break(tree, path: str, text: str, broken: str) -> int:
    """Replace ``text`` once in ``path``; the line of the broken text's last line."""
    target = tree / path
    content = target.read_text(encoding="utf-8")
    assert content.count(text) == 1, "the breakage must apply exactly once"
    content = content.replace(text, broken)
    target.write_text(content, encoding="utf-8")
    return content[: content.index(broken) + len(broken)].count("\n")


@pytest.mark.parametrize("name, lines", [("arguments", [17, 18]), ("output reference", [56])])
def test_a_broken_copy_fails_validate_with_terraforms_diagnostic_naming_file_and_line(rendered_trees, terraform_env,
                                                                                    terraform_bin, tmp_path, name, lines):
    tree = copy_tree(rendered_trees["acme"], tmp_path / "broken")
    expected = [("error", summary, path, _break(tree, path, text, broken)) for path, text, broken, summary in BREAKAGES[name]]
    result = validate(terraform_bin, tree, terraform_env)
    found = [(d["severity"], d["summary"], d["range"]["filename"], d["range"]["start"]["line"]) for d in result["diagnostics"]]
    assert (result["valid"], sorted(found)) == (False, sorted(expected))
    assert [line for *_, line in expected] == lines  # each breakage's own line, not its block's


def test_an_import_block_imports_by_id_and_the_next_plan_has_no_changes(terraform_env, terraform_bin, tmp_path):
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 6.0"\n    }\n  }\n}\n\n'
        'provider "aws" {\n  region = "eu-west-1"\n}\n\n'
        'import {\n  to = aws_iam_group.admins\n  id = "Admins"\n}\n\n'
        'resource "aws_iam_group" "admins" {\n  name = "Admins"\n}\n')
    assert validate(terraform_bin, tmp_path, terraform_env)["valid"] is True
    applied = terraform(terraform_bin, tmp_path, terraform_env, "apply", "-auto-approve", "-input=false", "-no-color")
    assert "Plan: 1 to import, 0 to add, 1 to change, 0 to destroy." in applied.stdout, applied.stderr + applied.stdout
    state = json.loads((tmp_path / "terraform.tfstate").read_text())["resources"][0]["instances"][0]["attributes"]
    assert (state["id"], state["name"]) == ("Admins", "Admins")
    replan = terraform(terraform_bin, tmp_path, terraform_env, "plan", "-input=false", "-no-color", "-detailed-exitcode")
    assert replan.returncode == 0, replan.stderr + replan.stdout
