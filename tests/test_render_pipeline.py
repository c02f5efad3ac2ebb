"""render: in memory first, parsed back and checked, then written atomically."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from baselinegen import api, pipeline
from baselinegen.errors import OutputError, RenderInvariantError
from baselinegen.render.env import RenderedFile
from baselinegen.sync import writer

from conftest import EXAMPLES, tree

EXAMPLE = EXAMPLES / "acme.yaml"


def _render_in_subprocess(profile: Path, out: Path, hash_seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    result = subprocess.run([sys.executable, "-m", "baselinegen", "render", str(profile), "-o", str(out)],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("example", ["acme.yaml", "acme-org.yaml"])
def test_two_renders_under_different_hash_seeds_are_byte_identical(tmp_path, example):
    _render_in_subprocess(EXAMPLES / example, tmp_path / "a", "1")
    _render_in_subprocess(EXAMPLES / example, tmp_path / "b", "4242")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_output_has_no_timestamps_or_versions(rendered_example):
    """Only the starter CI files (they install the profile's ci.baselinegen, by default this version) and the README's
    first line (which baselinegen rendered the repository) name a version; no .tf file does."""
    import re

    from baselinegen import __version__

    files = tree(rendered_example)
    for path, content in files.items():
        text = content.decode()
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), path
    assert sorted(path for path, content in files.items() if __version__.encode() in content) == [
        ".baselinegen/manifest.json", ".github/workflows/terraform.yml", ".pre-commit-config.yaml", "README.md"]


def test_rerender_changes_nothing_and_keeps_mtimes(tmp_path):
    out = tmp_path / "out"
    api.render(EXAMPLE, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    report = api.render(EXAMPLE, out)
    assert {a.action for a in report.actions} == {"unchanged", "keep"}
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_without_state_backend_is_starter_once_and_never_overwritten(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    profile = tmp_path / "acme.yaml"
    profile.write_text(text[:text.index("\nstate:")] + "\n", encoding="utf-8")  # no state section: state stays local
    out = tmp_path / "out"
    api.render(profile, out)
    (out / "backend.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    report = api.render(profile, out)
    assert [a.action for a in report.actions if a.path == "backend.tf"] == ["keep"]
    assert (out / "backend.tf").read_text() == 'terraform {\n  backend "local" {}\n}\n'


def test_dry_run_lists_every_file_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    report = api.render(EXAMPLE, out, dry_run=True)
    assert not out.exists()
    module_files = ["README.md", "main.tf", "outputs.tf", "policies.tf", "variables.tf", "versions.tf"]
    assert [a.path for a in report.actions] == [
        ".github/workflows/terraform.yml", ".gitignore", ".pre-commit-config.yaml", "README.md", "backend.tf",
        *[f"bootstrap/{f}" for f in ("backend.tf", "main.tf", "outputs.tf", "providers.tf", "versions.tf")],
        "imports.tf", "main.tf",  # imports.tf: the example's adopt entries
        *[f"modules/ci/{f}" for f in module_files],  # ci.github
        *sorted([f"modules/cloudtrail/{f}" for f in module_files + ["buckets.tf"]]),
        *sorted([f"modules/config/{f}" for f in module_files + ["bucket.tf", "rules.tf"]]),
        *sorted([f"modules/detection/{f}" for f in module_files + ["findings.tf", "guardduty.tf", "inspector.tf", "security_hub.tf"]]),
        *[f"modules/guards/{f}" for f in module_files if f != "policies.tf"],
        *[f"modules/iam/{f}" for f in module_files],
        *[f"modules/kms/{f}" for f in module_files],
        *sorted([f"modules/monitoring/{f}" for f in module_files + ["alarms.tf"]]),
        *[f"modules/patching/{f}" for f in module_files if f != "policies.tf"],
        "outputs.tf", "providers.tf", "variables.tf", "versions.tf",
    ]
    assert {a.action for a in report.actions} == {"create"}


def test_a_failure_while_staging_a_new_tree_leaves_no_folder_behind(tmp_path, monkeypatch):
    out = tmp_path / "new" / "out"
    real_write = writer.fsync_write
    calls = {"n": 0}

    def failing_write(path, data):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(5, "Input/output error", path)
        return real_write(path, data)

    monkeypatch.setattr(writer, "fsync_write", failing_write)
    with pytest.raises(OutputError, match="^cannot write .*: Input/output error$"):
        api.render(EXAMPLE, out)
    assert not (tmp_path / "new").exists()  # the folders the render made for itself went too


def test_an_invariant_failure_writes_nothing(tmp_path, monkeypatch):
    """A template slip that python-hcl2 catches stops the render before any write."""
    real = api.render_tree

    def broken(profile, **kwargs):
        result = real(profile, **kwargs)
        result.files = [RenderedFile(f.path, f.content.replace("policy_arn = each.value", "policy_arn = ")) if f.path == "modules/iam/main.tf" else f
                        for f in result.files]
        return result

    monkeypatch.setattr(pipeline, "render_tree", broken)
    with pytest.raises(RenderInvariantError, match="modules/iam/main.tf: does not parse"):
        api.render(EXAMPLE, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_security_invariants_catch_a_password_policy_that_differs_from_the_profile(tmp_path, monkeypatch):
    real = api.render_tree

    def weakened(profile, **kwargs):
        result = real(profile, **kwargs)
        result.files = [RenderedFile(f.path, f.content.replace("minimum_password_length        = 14", "minimum_password_length        = 8"))
                        if f.path == "modules/iam/main.tf" else f for f in result.files]
        return result

    monkeypatch.setattr(pipeline, "render_tree", weakened)
    with pytest.raises(RenderInvariantError, match="password policy minimum_password_length is 8, the profile says 14"):
        api.render(EXAMPLE, tmp_path / "out")


def test_duplicate_addresses_and_dangling_references_are_caught():
    from baselinegen.validate.hclcheck import parse_files, structure_problems

    files = [RenderedFile("modules/x/main.tf", 'resource "aws_iam_group" "a" {\n  name = "a"\n}\n'),
             RenderedFile("modules/x/other.tf", 'resource "aws_iam_group" "a" {\n  name = local.missing\n}\n')]
    parsed, failures = parse_files(files)
    assert failures == []
    assert structure_problems(parsed) == [
        "modules/x/other.tf: aws_iam_group.a is declared twice (also in modules/x/main.tf)",
        "modules/x/other.tf: reference to undeclared local.missing",
    ]


def test_a_block_account_roots_share_is_checked_in_each_root_that_holds_it():
    from baselinegen.validate.hclcheck import parse_files, structure_problems

    [doc] = parse_files([RenderedFile("accounts/a/outputs.tf", 'output "x" {\n  value = local.missing\n}\n')])[0].values()
    shared = {"accounts/a/outputs.tf": doc, "accounts/b/outputs.tf": {"output": list(doc["output"])}}  # one block object
    assert shared["accounts/b/outputs.tf"]["output"][0] is doc["output"][0]
    assert structure_problems(shared) == ["accounts/a/outputs.tf: reference to undeclared local.missing",
                                          "accounts/b/outputs.tf: reference to undeclared local.missing"]


def _references_one_string_at_a_time(value) -> set[str]:
    from baselinegen.validate import hclcheck

    strings: list[str] = []
    hclcheck._collect_strings(value, strings)
    return {ref for text in strings for expression in hclcheck._INTERPOLATION.findall(text)
            for ref in hclcheck._REFERENCE.findall(expression)}


@pytest.mark.parametrize("name", ["acme.yaml", "acme-org.yaml"])
def test_references_are_found_as_if_each_string_were_searched_alone(name):
    from baselinegen.validate import hclcheck

    result = api.render_tree(api.load_profile(EXAMPLES / name).profile)
    parsed, _ = hclcheck.parse_files(result.files)
    entries = [entry for doc in parsed.values() for kind in ("resource", "data", "module", "output", "locals")
               for entry in doc.get(kind, [])]
    odd = {"x": ['"${a}', 'b}"', "${local.one}\n${var.two}", "$${local.escaped}", "${ module.m.x }"]}
    assert all(hclcheck._references(e) == _references_one_string_at_a_time(e) for e in entries + [odd])
    assert hclcheck._references(odd) == {"local.one", "var.two", "module.m"}


@pytest.mark.parametrize("bad", ["/etc/passwd", "../escape.tf", "a/../../b.tf", "", "a\\b.tf"])
def test_paths_outside_the_output_folder_are_refused(tmp_path, bad):
    with pytest.raises(OutputError, match="refusing"):
        writer.safe_target(tmp_path, bad)


def test_a_symbolic_link_leading_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "modules").symlink_to(outside)
    with pytest.raises(OutputError, match="^modules/iam/main.tf: the folder modules is a symbolic link; refusing to write through it"):
        writer.safe_target(out, "modules/iam/main.tf")


def test_render_into_a_file_path_is_an_error(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = subprocess.run([sys.executable, "-m", "baselinegen", "render", str(EXAMPLE), "-o", str(target)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == f"baselinegen: cannot write {target}: exists and is not a folder\n"
    assert target.read_text() == "x"
