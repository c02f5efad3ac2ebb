"""The generated modules' locals (the for_each maps that spread resources over Regions) evaluated by a real
`terraform console`: no provider needed, so this runs offline where `terraform validate` cannot."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import hcl2
import pytest

REGIONAL_MODULES = ("config", "detection", "patching")


def _locals_blocks(text: str) -> list[str]:
    lines, blocks, i = text.split("\n"), [], 0
    while i < len(lines):
        if lines[i] == "locals {":
            end = lines.index("}", i)
            blocks.append("\n".join(lines[i:end + 1]))
            i = end
        i += 1
    return blocks


def evaluate_locals(module_dir: Path, regions: list[str], workdir: Path, terraform_bin: str) -> dict:
    """Every local of the module, as Terraform computes it (data sources stand in as the string "x")."""
    text = "\n".join(b for f in sorted(module_dir.glob("*.tf")) for b in _locals_blocks(f.read_text()))
    text = re.sub(r"data\.aws_[a-z_]+\.current\.[a-z_]+", '"x"', text)
    names = [name for block in hcl2.loads(text)["locals"] for name in block if not name.startswith("__")]
    (workdir / "main.tf").write_text(text + f'\nvariable "regions" {{\n  type    = set(string)\n  default = {json.dumps(regions)}\n}}\n')
    expression = "jsonencode({" + ", ".join(f"{n} = local.{n}" for n in names) + "})\n"  # the console reads one expression
    result = subprocess.run([terraform_bin, "console"], input=expression, cwd=workdir, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(json.loads(result.stdout))


@pytest.fixture
def locals_of(tmp_path, terraform_bin):
    def evaluate(root: Path, module: str, regions: list[str]) -> dict:
        workdir = tmp_path / f"{root.name}-{module}"
        workdir.mkdir()
        return evaluate_locals(root / "modules" / module, regions, workdir, terraform_bin)
    return evaluate


ACME_REGIONS = ["ap-northeast-1", "us-east-1"]


def test_config_rules_spread_over_regions_with_global_rules_in_the_home_region_only(rendered_example, locals_of):
    rules = locals_of(rendered_example, "config", ACME_REGIONS)["rules_by_region"]
    home_only = {name for key, rule in rules.items() if rule["home_region_only"] for name in [rule["name"]]}
    assert "iam-password-policy" in home_only and "restricted-ssh" not in home_only
    assert {key.split("/", 1)[1] for key in rules if key.startswith("us-east-1/")} == {
        key.split("/", 1)[1] for key in rules if key.startswith("ap-northeast-1/")} - home_only
    assert rules["ap-northeast-1/iam-password-policy"]["parameters"] == {
        "MinimumPasswordLength": "14", "PasswordReusePrevention": "24", "RequireLowercaseCharacters": "true",
        "RequireNumbers": "true", "RequireSymbols": "true", "RequireUppercaseCharacters": "true"}


def test_detection_maps_cover_every_region_standard_and_disabled_control(rendered_example, rendered_variant, locals_of):
    acme = locals_of(rendered_example, "detection", ACME_REGIONS)
    assert sorted(acme["security_hub_subscriptions"]) == [f"{r}/{s}" for r in ACME_REGIONS for s in ("aws-foundational", "cis-1.4", "pci-dss-3.2.1")]
    assert acme["security_hub_subscriptions"]["us-east-1/cis-1.4"]["standards_arn"] == \
        "arn:x:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0"
    assert sorted(acme["security_hub_control_associations"]) == [f"{r}/{s}/IAM.6" for r in ACME_REGIONS for s in ("aws-foundational", "cis-1.4")]
    assert len(acme["guardduty_detector_features"]) == 2 * 5
    variant = locals_of(rendered_variant, "detection", ["eu-west-1", "eu-central-1"])
    assert variant["security_hub_subscriptions"]["eu-central-1/cis-1.2"]["standards_arn"] == \
        "arn:x:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"


def test_patching_maps_give_every_region_each_group_and_os(rendered_example, locals_of):
    patching = locals_of(rendered_example, "patching", ACME_REGIONS)
    assert sorted(patching["regional_baselines"]) == [f"{r}/{g}/{os}" for r in ACME_REGIONS for g in ("production", "staging")
                                                      for os in ("amazon-linux-2023", "windows")]
    assert sorted(patching["regional_windows"]) == [f"{r}/{g}" for r in ACME_REGIONS for g in ("production", "staging")]


@pytest.mark.parametrize("module", REGIONAL_MODULES)
def test_every_local_of_the_variant_evaluates(rendered_variant, locals_of, module):
    assert locals_of(rendered_variant, module, ["eu-west-1", "eu-central-1"])
