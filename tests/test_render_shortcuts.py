"""The work a render saves, and that it saves nothing it must not: the render stamp (a render that changes nothing)
and the parse cache. Every shortcut must end where the full render would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baselinegen import api, pipeline, regenerate, usercache
from baselinegen.errors import ConflictError, ProfileError
from baselinegen.sync import stamps
from baselinegen.sync.manifest import MANIFEST_PATH, MODES, SCHEMA_VERSION, Entry, Manifest

from conftest import EXAMPLES, write_acme

ONE_WARNING = ("  mfa:\n    require_for_console: true", "  mfa:\n    require_for_console: false")


@pytest.fixture
def profile(tmp_path):
    """examples/acme.yaml (with text replacements) at tmp_path/repo/acme.yaml, inside the output folder."""
    def write(*replacements: tuple[str, str]) -> Path:
        return write_acme(tmp_path / "repo" / "acme.yaml", *replacements)
    return write


@pytest.fixture
def renders(monkeypatch):
    """Counts the renders that really render (api.render_tree calls)."""
    calls = []
    real = api.render_tree

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render_tree", counting)
    return calls


def full_plan(monkeypatch, profile: Path, out: Path, **kwargs):
    """The plan the full render makes (no stamp)."""
    with monkeypatch.context() as patch:
        patch.setattr(stamps, "recall", lambda key: None)
        return regenerate.plan_render(profile, out, **kwargs)


def test_a_render_that_changes_nothing_renders_nothing_and_plans_what_the_full_render_plans(profile, renders, monkeypatch):
    path = profile(ONE_WARNING)
    out = path.parent
    api.render(path, out)
    assert len(renders) == 1
    plan = api.render(path, out)
    assert len(renders) == 1, "the second render found the stamp"
    full = full_plan(monkeypatch, path, out)
    assert plan.actions == full.actions
    assert {a.action for a in plan.actions} == {"unchanged", "keep"}
    assert (plan.manifest, plan.previous, plan.warnings, plan.accepted_findings) == \
        (full.manifest, full.previous, full.warnings, full.accepted_findings)
    assert [w.code for w in plan.warnings] == ["W403", "W439"]
    assert plan.up_to_date and plan.destroyed() == ()


def test_a_hand_edited_file_is_still_a_conflict(profile, renders):
    path = profile()
    api.render(path, path.parent)
    main = path.parent / "modules" / "iam" / "main.tf"
    main.write_text(main.read_text() + "# edit\n")
    with pytest.raises(ConflictError) as raised:
        api.render(path, path.parent)
    assert [a.path for a in raised.value.conflicts] == ["modules/iam/main.tf"]
    assert len(renders) == 2


def test_an_edited_readme_section_is_still_a_conflict_and_text_outside_it_is_not(profile, renders):
    path = profile()
    api.render(path, path.parent)
    readme = path.parent / "README.md"
    readme.write_text("# Our notes\n\n" + readme.read_text())
    api.render(path, path.parent)
    assert len(renders) == 1, "text outside the markers is the user's: still nothing to do"
    readme.write_text(readme.read_text().replace("## ", "## Edited ", 1))
    with pytest.raises(ConflictError):
        api.render(path, path.parent)


def test_a_deleted_file_is_recreated(profile, renders):
    path = profile()
    api.render(path, path.parent)
    (path.parent / "modules" / "kms" / "main.tf").unlink()
    plan = api.render(path, path.parent)
    assert [(a.path, a.action) for a in plan.drift] == [("modules/kms/main.tf", "recreate")]
    assert (path.parent / "modules" / "kms" / "main.tf").is_file()
    assert len(renders) == 2


def test_an_edited_starter_file_is_the_users_and_changes_nothing(profile, renders):
    path = profile()
    api.render(path, path.parent)
    (path.parent / ".gitignore").write_text(".terraform/\n")  # backend.tf is managed: the example keeps state in S3
    plan = api.render(path, path.parent)
    assert plan.up_to_date and len(renders) == 1


def test_a_changed_profile_is_rendered(profile, renders):
    path = profile()
    api.render(path, path.parent)
    plan = api.render(profile(("minimum_length: 14", "minimum_length: 16")), path.parent)
    assert len(renders) == 2
    assert ("modules/iam/main.tf", "update") in [(a.path, a.action) for a in plan.drift]


def test_another_baselinegen_version_or_template_is_rendered(profile, renders, monkeypatch, tmp_path):
    path = profile()
    api.render(path, path.parent)
    monkeypatch.setattr(usercache, "__version__", "9.9.9")
    usercache.installation.cache_clear()
    api.render(path, path.parent)
    assert len(renders) == 2
    templates = tmp_path / "templates"
    shutil.copytree(usercache.templates_dir(), templates)
    (templates / "kms" / "main.tf.j2").write_text((templates / "kms" / "main.tf.j2").read_text() + "{# changed #}\n")
    monkeypatch.setattr(usercache, "templates_dir", lambda: templates)
    usercache.installation.cache_clear()
    api.render(path, path.parent)
    assert len(renders) == 3
    monkeypatch.undo()
    usercache.installation.cache_clear()


def test_a_hand_edited_manifest_or_a_damaged_stamp_means_a_full_render(profile, renders, monkeypatch):
    path = profile()
    out = path.parent
    api.render(path, out)
    manifest = out / MANIFEST_PATH
    manifest.write_text(manifest.read_text().replace('"version": ', '"version":  '))
    api.render(path, out)
    assert len(renders) == 2
    api.render(path, out)  # that render wrote the manifest back and stamped it
    assert len(renders) == 2
    for entry in (usercache.cache_dir() / "renders").rglob("*.json"):
        entry.write_text(entry.read_text().replace('"warnings":', '"warnings_":'))
    api.render(path, out)
    assert len(renders) == 3


def test_a_stamp_read_back_gives_the_warnings_findings_and_requirement_it_was_given(tmp_path, monkeypatch):
    monkeypatch.setenv("BASELINEGEN_CACHE_DIR", str(tmp_path))
    plan = regenerate.plan_render(EXAMPLES / "acme.yaml", tmp_path / "out")
    stamps.record("k" * 64, plan.warnings, plan.accepted_findings, plan.requirement)
    assert stamps.recall("k" * 64) == (plan.warnings, plan.accepted_findings, "baselinegen==0.1.0")
    assert stamps.recall("j" * 64) is None
    entry = next(tmp_path.rglob("k*.json"))
    data = json.loads(entry.read_text())
    data["accepted_findings"][0]["address"] = 7
    entry.write_text(json.dumps(data))
    assert stamps.recall("k" * 64) is None


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baselinegen", *map(str, args)], capture_output=True, text=True)


def test_warnings_strict_and_check_behave_the_same_without_rendering(profile):
    path = profile(ONE_WARNING)
    out = path.parent
    first = cli("render", path, "-o", out)
    again = cli("render", path, "-o", out)
    assert first.returncode == again.returncode == 0
    warnings = [line for line in first.stderr.splitlines() if "warning: " in line]
    assert [line[-6:] for line in warnings] == ["[W403]", "[W439]"] and again.stderr == first.stderr
    files = first.stdout.splitlines()[-1].split(" of ")[1].split(" ")[0]
    assert again.stdout.splitlines() == [f"{out}: 0 of {files} file(s) were written, 0 deleted"]
    strict = cli("render", path, "-o", out, "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == warnings + ["2 error(s) (2 of them warnings, errors under --strict), 0 warning(s); nothing was written."]
    assert cli("check", path, "-o", out).returncode == 0
    assert cli("check", path, "-o", out, "--strict").returncode == 1
    (out / "main.tf").write_text((out / "main.tf").read_text() + "# edit\n")
    assert cli("check", path, "-o", out).returncode == 2


def test_a_check_that_finds_the_folder_up_to_date_stamps_it(profile, renders, monkeypatch, tmp_path):
    path = profile()
    api.render(path, path.parent)
    monkeypatch.setenv("BASELINEGEN_CACHE_DIR", str(tmp_path / "another-cache"))
    assert api.check(path, path.parent).up_to_date
    assert len(renders) == 2
    assert api.check(path, path.parent).up_to_date
    assert len(renders) == 2


def test_strict_with_a_stamp_raises_like_the_full_render(profile, renders):
    path = profile(ONE_WARNING)
    api.render(path, path.parent)
    with pytest.raises(ProfileError) as raised:
        api.render(path, path.parent, strict=True)
    assert len(renders) == 1
    assert [p.code for p in raised.value.problems] == ["W403", "W439"]


@given(st.dictionaries(st.text(max_size=12), st.tuples(st.sampled_from(MODES), st.text(max_size=12)), max_size=6),
       st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_the_manifest_text_is_the_sorted_indented_json_it_always_was(files, version, path, digest):
    manifest = Manifest({p: Entry(*e) for p, e in files.items()}, version, path, digest)
    data = {"files": {p: {"mode": e.mode, "sha256": e.sha256} for p, e in manifest.files.items()},
            "generator": {"name": "baselinegen", "version": version}, "profile": {"path": path, "sha256": digest},
            "schema": SCHEMA_VERSION}
    assert manifest.text() == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
