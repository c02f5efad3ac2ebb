"""Regional controls from one provider: for_each over the profile's Regions; account guards; Access Analyzer."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.errors import RenderInvariantError
from baselinegen.validate.hclcheck import _parse, unquote

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme.yaml"


def _tf_files(path: Path) -> dict[str, str]:
    profile = api.load_profile(path).profile
    return {f.path: f.content for f in api.render_tree(profile).files if f.path.endswith(".tf")}


def test_adding_a_region_changes_one_line_of_terraform(tmp_path):
    text = EXAMPLE.read_text()
    assert "regions: [ap-northeast-1, us-east-1]" in text
    grown = tmp_path / "acme.yaml"
    grown.write_text(text.replace("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1, us-east-1, eu-west-1]"))
    before, after = _tf_files(EXAMPLE), _tf_files(grown)
    assert set(before) == set(after)
    changed = [path for path in before if before[path] != after[path]]
    assert changed == ["main.tf"]
    diff = [line for line in difflib.unified_diff(before["main.tf"].splitlines(), after["main.tf"].splitlines(), lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]
    assert diff == ['+    "eu-west-1",']


def test_regional_resources_run_in_every_region_from_one_provider(rendered_example):
    providers = _parse((rendered_example / "providers.tf").read_text())
    assert len(providers["provider"]) == 1
    for path, type_ in (("modules/guards/main.tf", "aws_ebs_encryption_by_default"), ("modules/detection/main.tf", "aws_accessanalyzer_analyzer")):
        body = _parse((rendered_example / path).read_text())["resource"][0][f'"{type_}"']['"this"']
        assert (body["for_each"], body["region"]) == ("${var.regions}", "${each.value}")
    root = _parse((rendered_example / "main.tf").read_text())
    assert [unquote(r) for r in root["locals"][0]["regions"]] == ["ap-northeast-1", "us-east-1"]
    modules = {k: v for entry in root["module"] for k, v in entry.items()}
    assert modules['"guards"']["regions"] == modules['"detection"']["regions"] == "${local.regions}"


def test_account_guards_and_analyzer_can_be_turned_off_with_warnings(write_profile):
    path = write_profile("""
        version: 1
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}
        encryption: {ebs_default_encryption: false, s3_block_public_access: false}
        detection: {access_analyzer: {enabled: false}}
        monitoring: {topic: {email: [soc@acme.example]}}
        patching: {enabled: false}
    """)
    loaded = api.load_profile(path)
    assert [(p.path, p.code) for p in loaded.warnings] == [
        ("encryption.ebs_default_encryption", "W409"), ("encryption.s3_block_public_access", "W409"),
        ("detection.access_analyzer.enabled", "W410"), ("patching.enabled", "W421")]
    files = {f.path: f.content for f in api.render_tree(loaded.profile).files}
    assert not any(p.startswith(("modules/guards/", "modules/detection/", "modules/patching/")) for p in files)
    assert "locals" not in files["main.tf"]


def test_s3_account_block_alone_needs_no_regions(write_profile):
    path = write_profile("""
        version: 1
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}
        encryption: {ebs_default_encryption: false}
        detection: {access_analyzer: {enabled: false}}
    """)
    files = {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}
    assert "aws_s3_account_public_access_block" in files["modules/guards/main.tf"]
    assert 'variable "regions"' not in files["modules/guards/variables.tf"]
    assert 'module "guards" {\n  source = "./modules/guards"\n}' in files["main.tf"]


@pytest.mark.parametrize("path,old,new,message", [
    ("modules/guards/main.tf", "  enabled = true", "  enabled = false", "modules/guards: EBS encryption by default is not on"),
    ("modules/guards/main.tf", "ignore_public_acls      = true", "ignore_public_acls      = false",
     "modules/guards: the S3 account public access block lacks one of its four settings"),
    ("modules/detection/main.tf", "for_each = var.regions", 'for_each = toset(["us-east-1"])',
     "modules/detection: aws_accessanalyzer_analyzer does not run in every Region of the profile"),
], ids=["ebs-off", "s3-block-incomplete", "analyzer-one-region"])
def test_security_invariants_catch_weakened_guards(tmp_path, tamper, path, old, new, message):
    tamper(path, old, new)
    with pytest.raises(RenderInvariantError) as info:
        api.render(EXAMPLE, tmp_path / "out")
    assert message in str(info.value).splitlines()
