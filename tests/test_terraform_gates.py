"""The rendered example and variant through real tools: terraform fmt, the hashicorp/aws 6.x schema, checkov."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from support.provider_schema import validate_terraform_dir  # noqa: E402

from conftest import tree  # noqa: E402
from support.checkov_run import run_checkov


def test_rendered_output_is_terraform_fmt_canonical(rendered_tree, terraform_bin):
    result = subprocess.run([terraform_bin, "fmt", "-check", "-diff", "-recursive"], cwd=rendered_tree,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_rendered_output_is_valid_against_the_aws_provider_6_schema(rendered_tree):
    assert validate_terraform_dir(rendered_tree) == []


def test_checkov_finds_nothing_beyond_the_documented_accepted_findings(rendered_tree, checkov_bin):
    """Zero failed checks; the README's accepted findings are exactly the checks checkov skipped.
    (checkov names data sources without `data.` and reports for_each instances with their key.)"""
    report = run_checkov(checkov_bin, rendered_tree)
    assert [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]] == []
    skipped = {(c["check_id"], re.sub(r"\[.*\]$", "", c["resource"])) for c in report["results"]["skipped_checks"]}
    readme = (rendered_tree / "README.md").read_text()
    # a root other than the output root prefixes its folder (bootstrap:aws_s3_bucket.state); checkov names the bare address
    listed = {(check, re.sub(r"^[\w/-]+:(data\.)?", "", address).replace(".data.", ".")) for check, address in re.findall(r"^\| (CKV2?_AWS_\d+) \| `([^`]+)` \|", readme, re.M)}
    assert skipped == listed
    assert report["summary"]["passed"] > 100


def test_every_inline_skip_has_a_reason_and_is_listed_in_the_readme(rendered_tree):
    files = tree(rendered_tree)
    skips = set()
    for path, content in files.items():
        if not path.endswith(".tf"):
            continue
        for check_id, reason in re.findall(r"#checkov:skip=([A-Z0-9_]+):(.*)", content.decode()):
            assert reason.strip(), f"{path}: {check_id} has no reason"
            skips.add((check_id, reason))
    readme = files["README.md"].decode()
    for check_id, reason in skips:
        assert f"| {check_id} | " in readme and reason in readme
