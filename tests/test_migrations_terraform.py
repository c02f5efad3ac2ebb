"""The moved blocks through a real Terraform, offline: each module's resources stand in as built-in
``terraform_data`` resources with the same instance keys (no provider needed), the old render is applied, and
the plan of the new render with its migrations.tf must move every renamed resource and destroy nothing."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.validate.hclcheck import _parse, blocks, label, module_locals

from conftest import EXAMPLES

ACME = (EXAMPLES / "acme.yaml").read_text()
_ADDRESS = re.compile(r"\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)")


def _stand_in(match: re.Match) -> str:
    return f"terraform_data.{match[1]}__{match[2]}"


def _module_tree(text: str, tmp_path: Path, module: str) -> dict[str, str]:
    path = tmp_path / "profile.yaml"
    path.write_text(text)
    files = api.render_tree(api.load_profile(path).profile).files
    return {f.path.rsplit("/", 1)[1]: f.content for f in files if f.path.startswith(f"modules/{module}/") and f.path.endswith(".tf")}


def _stand_in_config(tf_files: dict[str, str]) -> str:
    """One terraform_data per resource of the module, with the resource's instance keys when they are literal."""
    parsed = {name: _parse(text) for name, text in tf_files.items() if name != "migrations.tf"}
    local_values = module_locals({f"m/{k}": v for k, v in parsed.items()}, "m")
    out = []
    for doc in parsed.values():
        for type_, name, body in blocks(doc, "resource"):
            for_each = body.get("for_each")
            if isinstance(for_each, str) and for_each.startswith("${local."):
                for_each = local_values.get(for_each[len("${local."):-1])
            keys = [json.loads(k) for k in for_each if k.startswith('"')] if isinstance(for_each, dict) else None
            header = f'resource "terraform_data" "{type_}__{label(name)}" {{'
            out.append(f"{header}\n  for_each = toset({json.dumps(sorted(keys))})\n}}\n" if keys is not None else header + "}\n")
    return "\n".join(out)


def _terraform(terraform_bin: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([terraform_bin, *args, "-no-color"], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
    return result


def plan_after_render(old: dict[str, str], new: dict[str, str], workdir: Path, terraform_bin: str) -> dict[str, list[str]]:
    """Apply the stand-in of ``old``, plan the stand-in of ``new`` with its migrations: addresses by action."""
    workdir.mkdir()
    (workdir / "main.tf").write_text(_stand_in_config(old))
    _terraform(terraform_bin, workdir, "init", "-input=false")
    _terraform(terraform_bin, workdir, "apply", "-auto-approve", "-input=false")
    (workdir / "main.tf").write_text(_stand_in_config(new))
    (workdir / "migrations.tf").write_text(_ADDRESS.sub(_stand_in, new.get("migrations.tf", "")))
    _terraform(terraform_bin, workdir, "plan", "-input=false", "-out=plan.bin")
    changes = json.loads(_terraform(terraform_bin, workdir, "show", "-json", "plan.bin").stdout)["resource_changes"]
    by_action: dict[str, list[str]] = {"moved": [], "create": [], "delete": []}
    for change in changes:
        address = change["address"].replace("terraform_data.", "", 1).replace("__", ".", 1)
        if change.get("previous_address"):
            by_action["moved"].append(address)
        for action in change["change"]["actions"]:
            if action in by_action:
                by_action[action].append(address)
    return {action: sorted(addresses) for action, addresses in by_action.items()}


@pytest.fixture
def plan(tmp_path, terraform_bin):
    def run(old_text: str, new_text: str, module: str) -> dict[str, list[str]]:
        for folder in ("old", "new"):
            (tmp_path / folder).mkdir()
        old, new = _module_tree(old_text, tmp_path / "old", module), _module_tree(new_text, tmp_path / "new", module)
        return plan_after_render(old, new, tmp_path / "terraform", terraform_bin)
    return run


def _rename_group(text: str) -> str:
    return text.replace("- name: InfraAdmins", "- name: PlatformAdmins\n      renamed_from: [InfraAdmins]").replace(
        "groups: [InfraAdmins]", "groups: [PlatformAdmins]")


def test_the_renamed_acme_output_is_terraform_fmt_canonical(tmp_path, terraform_bin):
    profile = tmp_path / "acme.yaml"
    profile.write_text(_rename_group(ACME))
    api.render(profile, tmp_path / "out")
    assert (tmp_path / "out/modules/iam/migrations.tf").exists()
    result = subprocess.run([terraform_bin, "fmt", "-check", "-diff", "-recursive"], cwd=tmp_path / "out", capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


def test_a_renamed_group_moves_every_resource_and_terraform_destroys_nothing(plan):
    result = plan(ACME, _rename_group(ACME), "iam")
    assert result["delete"] == [] and result["create"] == []
    assert result["moved"] == [
        "aws_iam_group.platform_admins",
        "aws_iam_group_membership.platform_admins",
        *[f'aws_iam_group_policy_attachment.platform_admins["{key}"]' for key in (
            "IAMReadOnlyAccess", "PowerUserAccess", "acme-PlatformAdmins-security-read-only", "acme-baseline-guardrails", "acme-baseline-mfa")],
        "aws_iam_policy.platform_admins_security_read_only",
    ]


def _rename_key(text: str, former: list[str], name: str) -> str:
    return text.replace("    - name: logs\n", f"    - name: {name}\n      renamed_from: [{', '.join(former)}]\n").replace("kms_key: logs", f"kms_key: {name}")


def test_a_renamed_key_keeps_its_key_and_former_alias_and_only_adds_the_new_alias(plan):
    result = plan(ACME, _rename_key(ACME, ["logs"], "audit"), "kms")
    assert result == {"moved": ['aws_kms_alias.former_alias["logs"]', "aws_kms_key.audit"], "create": ["aws_kms_alias.audit"], "delete": []}


@pytest.mark.parametrize("start", ["first", "second"])
def test_a_key_renamed_twice_reaches_its_current_name_from_either_former_state(plan, start):
    old = ACME if start == "first" else _rename_key(ACME, ["logs"], "audit")
    result = plan(old, _rename_key(ACME, ["logs", "audit"], "vault"), "kms")
    assert result["delete"] == []
    assert "aws_kms_key.vault" in result["moved"]
    assert result["create"] == (['aws_kms_alias.former_alias["audit"]'] if start == "first" else []) + ["aws_kms_alias.vault"]


def test_a_renamed_programmatic_user_moves_with_its_direct_policy(plan):
    renamed = ACME.replace("    - name: payments-deploy\n", "    - name: payments-ci\n      renamed_from: [payments-deploy]\n")
    assert plan(ACME, renamed, "iam") == {
        "moved": ["aws_iam_policy.payments_ci_direct", "aws_iam_user.payments_ci",
                  'aws_iam_user_policy_attachment.payments_ci["acme-payments-ci-direct"]'],
        "create": [], "delete": []}


def test_a_renamed_custom_alarm_moves_its_metric_filter_and_alarm(plan):
    renamed = ACME.replace("      - id: s3-bucket-deletion\n", "      - id: bucket-deleted\n        renamed_from: [s3-bucket-deletion]\n")
    assert plan(ACME, renamed, "monitoring") == {
        "moved": ['aws_cloudwatch_log_metric_filter.this["bucket-deleted"]', 'aws_cloudwatch_metric_alarm.this["bucket-deleted"]'],
        "create": [], "delete": []}


def _moved_to_keys(migrations: str, resource: str) -> set[str]:
    return {json.loads(key) for key in re.findall(rf"^  to   = {re.escape(resource)}\[(\"[^\"]*\")\]$", migrations, re.M)}


def test_the_variants_moves_reach_instances_that_terraform_computes(rendered_variant, tmp_path, terraform_bin):
    """Where for_each is computed (patching's Region maps, the replicas' former aliases), terraform console
    evaluates it and every moved block's destination key is among the instances."""
    from test_terraform_locals import evaluate_locals

    regions = ["eu-west-1", "eu-central-1"]
    (tmp_path / "patching").mkdir()
    patching = evaluate_locals(rendered_variant / "modules/patching", regions, tmp_path / "patching", terraform_bin)
    migrations = (rendered_variant / "modules/patching/migrations.tf").read_text()
    assert _moved_to_keys(migrations, "aws_ssm_patch_baseline.this") <= set(patching["regional_baselines"])
    assert len(_moved_to_keys(migrations, "aws_ssm_patch_baseline.this")) == 6
    assert _moved_to_keys(migrations, "aws_ssm_maintenance_window.patch") == {"eu-west-1/canary", "eu-central-1/canary"} <= set(patching["regional_windows"])

    main = (rendered_variant / "modules/kms/main.tf").read_text()
    for_each = re.search(r'resource "aws_kms_alias" "former_alias_replica" \{\n  for_each = (merge\(\n.*?\n  \))\n', main, re.S)[1]
    replicas = '{ for region in setsubtract(var.regions, ["eu-west-1"]) : region => { key_id = "x" } }'
    (tmp_path / "kms").mkdir()
    (tmp_path / "kms" / "main.tf").write_text(f'variable "regions" {{\n  default = {json.dumps(regions)}\n}}\n')
    expression = "jsonencode(keys(" + for_each.replace("aws_kms_replica_key.volumes", replicas).replace("\n", " ") + "))\n"
    result = subprocess.run([terraform_bin, "console"], input=expression, cwd=tmp_path / "kms", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    computed = set(json.loads(json.loads(result.stdout)))
    assert computed == {"ebs/eu-central-1", "ebs-volumes/eu-central-1"}
    assert _moved_to_keys((rendered_variant / "modules/kms/migrations.tf").read_text(), "aws_kms_alias.former_alias_replica") == computed
