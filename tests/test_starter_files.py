"""Starter files (the CI workflow, the pre-commit configuration, backend.tf, .gitignore) follow the profile until the
user changes them; then they are the user's, kept, with one line when the render changed. ci.baselinegen reaches
both CI files, and check notes a CI file whose requirement differs from the profile's or from this version."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from baselinegen import __version__, api, pipeline, regenerate
from baselinegen.errors import ConflictError
from baselinegen.render.env import RenderedFile

from conftest import REPO, write_acme

WORKFLOW, PRE_COMMIT = ".github/workflows/terraform.yml", ".pre-commit-config.yaml"
GIT = "baselinegen @ git+https://github.com/acme/baselinegen@v0.1.0"
PINNED = f"baselinegen=={__version__}"
STATE_SECTION = re.search(r"\n# Where Terraform keeps its state:.*?\nstate:\n(?:  [^\n]*\n)+", (REPO / "examples/acme.yaml").read_text(), re.S).group(0)


def cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baselinegen", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def repo(tmp_path):
    """A folder holding acme.yaml; ``write(requirement, state=...)`` sets its ci.baselinegen (None: the default) and
    keeps its state section or (the default) leaves it out, so that backend.tf is the starter example."""
    out = tmp_path / "repo"

    def write(requirement: str | None = None, state: bool = False) -> Path:
        replacements = [("\nci:\n", f"\nci:\n  baselinegen: {requirement!r}\n")] if requirement is not None else []
        if not state:
            replacements.append((STATE_SECTION, ""))
        return write_acme(out / "acme.yaml", *replacements)
    write.out = out
    return write


def _actions(plan) -> dict[str, tuple[str, str]]:
    return {a.path: (a.action, a.reason) for a in plan.actions if a.mode == "starter"}


def test_a_git_requirement_gives_pre_commit_the_projects_own_hook_at_that_revision(repo):
    files = {f.path: f.content for f in api.render_tree(api.load_profile(repo(GIT)).profile).files}
    config = yaml.safe_load(files[PRE_COMMIT])
    assert config["repos"][-1] == {"repo": "https://github.com/acme/baselinegen", "rev": "v0.1.0",
                                   "hooks": [{"id": "baselinegen-check", "args": ["-o", "."]}]}
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in published] == ["baselinegen-check"]  # the id the generated config names
    assert published[0]["entry"] + " " + " ".join(config["repos"][-1]["hooks"][0]["args"]) == "baselinegen check -o ."
    workflow = yaml.safe_load(files[WORKFLOW])
    assert workflow["env"]["BASELINEGEN_REQUIREMENT"] == GIT
    assert files[WORKFLOW].count('pip install --quiet "$BASELINEGEN_REQUIREMENT"') == 2
    assert "BASELINEGEN_VERSION" not in files[WORKFLOW] and "baselinegen==" not in files[WORKFLOW]


def test_any_other_requirement_is_the_local_hooks_additional_dependency_quoted_safely(repo):
    odd = 'baselinegen[x]==0.1.0; python_version >= "3.10"'
    files = {f.path: f.content for f in api.render_tree(api.load_profile(repo(odd)).profile).files}
    local = yaml.safe_load(files[PRE_COMMIT])["repos"][-1]
    assert local["repo"] == "local" and local["hooks"][0]["additional_dependencies"] == [odd]
    assert '  BASELINEGEN_REQUIREMENT: "baselinegen[x]==0.1.0; python_version >= \\"3.10\\""\n' in files[WORKFLOW]
    assert yaml.safe_load(files[WORKFLOW])["env"]["BASELINEGEN_REQUIREMENT"] == odd


def test_untouched_starter_files_follow_a_changed_requirement(repo):
    api.render(repo(), repo.out)
    plan = api.render(repo(GIT), repo.out)
    follows = "unchanged since baselinegen wrote it, so it follows the profile"
    assert _actions(plan) == {WORKFLOW: ("update", follows), PRE_COMMIT: ("update", follows), ".gitignore": ("keep", ""),
                              "backend.tf": ("keep", "")}
    assert f"rev: \"v0.1.0\"" in (repo.out / PRE_COMMIT).read_text()
    assert api.check(None, repo.out).up_to_date


def test_a_starter_file_the_user_changed_is_kept_and_render_says_what_changed_in_one_line(repo):
    api.render(repo(), repo.out)
    workflow = repo.out / WORKFLOW
    mine = workflow.read_text().replace("  TF_INPUT: \"false\"\n", "  TF_INPUT: \"false\"\n  MY_SETTING: \"1\"\n")
    workflow.write_text(mine)
    check = cli("check", "acme.yaml", "-o", ".", cwd=repo.out)
    assert (check.returncode, check.stderr) == (0, "")  # the render did not change: the file is simply the user's
    repo(GIT)
    render = cli("render", "acme.yaml", "-o", ".", cwd=repo.out)
    assert render.returncode == 0, render.stderr
    assert render.stdout.splitlines()[:2] == [
        f"yours     {WORKFLOW}  (yours since you changed it, so kept; the render changed since: 1 line(s) of the render "
        f'are not in your file, the first: `BASELINEGEN_REQUIREMENT: "{GIT}"`)',
        "update    .pre-commit-config.yaml  (unchanged since baselinegen wrote it, so it follows the profile)",
    ]
    notes = [line + "\n" for line in render.stderr.splitlines() if line.startswith("note:")]  # acme.yaml also warns W418
    assert "".join(notes) == (f"note: {WORKFLOW} installs baselinegen {__version__} from PyPI, but the profile's "
                             "ci.baselinegen says baselinegen from git https://github.com/acme/baselinegen at v0.1.0: copy "
                             "the profile's requirement there (you changed the file, so baselinegen keeps it)\n")
    assert workflow.read_text() == mine
    again = cli("render", "acme.yaml", "-o", ".", cwd=repo.out)  # said once: the manifest now records this render
    assert re.fullmatch(r"\.: 0 of \d+ file\(s\) were written, 0 deleted\n", again.stdout), again.stdout
    assert again.stderr == render.stderr  # the note on the requirement stays until the file installs the profile's


def test_check_lists_the_kept_file_until_the_render_records_it(repo):
    api.render(repo(), repo.out)
    (repo.out / WORKFLOW).write_text((repo.out / WORKFLOW).read_text() + "# mine\n")
    repo(GIT)
    result = cli("check", "acme.yaml", "-o", ".", "--quiet", cwd=repo.out)
    assert result.returncode == 2
    assert result.stdout.splitlines()[:3] == [
        ".: not up to date (2 file(s)):",
        f"  manifest only  yours     {WORKFLOW}  (yours since you changed it, so kept; the render changed since: 1 line(s) "
        f'of the render are not in your file, the first: `BASELINEGEN_REQUIREMENT: "{GIT}"`)',
        "  out of date    update    .pre-commit-config.yaml  (unchanged since baselinegen wrote it, so it follows the profile)",
    ]


def test_check_notes_ci_files_that_install_another_version_than_the_profile_says(repo):
    profile = repo()
    api.render(profile, repo.out)
    for path in (PRE_COMMIT, WORKFLOW):
        (repo.out / path).write_text((repo.out / path).read_text().replace(__version__, "0.0.9"))
    result = cli("check", "acme.yaml", "-o", ".", cwd=repo.out)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"note: {path} installs baselinegen 0.0.9 from PyPI, but the profile's ci.baselinegen says baselinegen "
        f"{__version__} from PyPI: copy the profile's requirement there (you changed the file, so baselinegen keeps it)"
        for path in (WORKFLOW, PRE_COMMIT)]
    assert cli("check", "acme.yaml", "-o", ".", "--quiet", cwd=repo.out).stderr == ""


def test_check_notes_a_git_source_where_the_profile_pins_a_version(repo):
    api.render(repo(), repo.out)
    config = repo.out / PRE_COMMIT
    text = config.read_text()
    start = text.index("  - repo: local\n")
    config.write_text(text[:start] + "  - repo: https://github.com/acme/baselinegen\n    rev: v0.0.9\n    hooks:\n"
                                     "      - id: baselinegen-check\n        args: [-o, .]\n")
    result = cli("check", "acme.yaml", "-o", ".", cwd=repo.out)
    assert (result.returncode, result.stderr) == (0, (
        f"note: {PRE_COMMIT} installs baselinegen from git https://github.com/acme/baselinegen at v0.0.9, but the profile's "
        f"ci.baselinegen says baselinegen {__version__} from PyPI: copy the profile's requirement there (you changed the "
        "file, so baselinegen keeps it)\n"))


def test_check_notes_ci_files_that_pin_another_version_than_the_running_one(repo):
    api.render(repo("baselinegen==0.0.9"), repo.out)
    result = cli("check", "acme.yaml", "-o", ".", cwd=repo.out)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"note: {path} pins baselinegen 0.0.9, this is {__version__}: the repository is checked by another version than "
        f"the one rendering it; pin {__version__} in the profile's ci.baselinegen and there, or render with 0.0.9"
        for path in (WORKFLOW, PRE_COMMIT)]


def test_an_older_workflow_pinning_baselinegen_version_is_read_too(repo):
    from baselinegen.components.ci.requirement import installed_by

    assert installed_by(WORKFLOW, 'env:\n  BASELINEGEN_VERSION: "0.0.9"\n') == "baselinegen==0.0.9"
    assert installed_by(PRE_COMMIT, "repos:\n  - repo: local\n    hooks:\n      - id: baselinegen-check\n"
                                    "        additional_dependencies: ['baselinegen==0.0.8']\n") == "baselinegen==0.0.8"
    assert installed_by(PRE_COMMIT, "repos: []\n") is None


def test_an_untouched_starter_backend_is_taken_over_when_it_becomes_generated(repo):
    api.render(repo(), repo.out)
    plan = api.render(repo(state=True), repo.out)
    assert [(a.action, a.mode, a.reason) for a in plan.actions if a.path == "backend.tf"] == [
        ("update", "managed", "now generated from the profile (it was written once for you to edit); taken over, as you "
                              "had not changed it")]
    assert '  backend "s3" {\n    bucket       = "acme-terraform-state"\n' in (repo.out / "backend.tf").read_text()


def test_a_changed_starter_backend_is_refused_like_a_hand_edit_when_it_becomes_generated(repo):
    api.render(repo(), repo.out)
    (repo.out / "backend.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    with pytest.raises(ConflictError) as raised:
        api.render(repo(state=True), repo.out)
    (conflict,) = raised.value.conflicts
    assert (conflict.path, conflict.reason) == ("backend.tf", (
        "now generated from the profile (it was written once for you to edit), but you changed it; it is not "
        "overwritten: move what you need into the profile, then render with --force"))
    assert (repo.out / "backend.tf").read_text() == 'terraform {\n  backend "local" {}\n}\n'
    api.render(repo(state=True), repo.out, force=True)
    assert '  backend "s3" {\n    bucket       = "acme-terraform-state"\n' in (repo.out / "backend.tf").read_text()


def test_the_readme_describes_starter_files_as_following_the_profile_until_changed():
    readme = " ".join((REPO / "README.md").read_text().split())
    for sentence in (
        "**Starter files follow the profile until you change them.** A starter file that is still exactly what baselinegen "
        "wrote (D = M) is updated when the render changes",
        "Once you change it (D ≠ M) it is yours and is kept",
        "`now generated from the profile (it was written once for you to edit), but you changed it; it is not overwritten: "
        "move what you need into the profile, then render with --force`",
    ):
        assert sentence in readme


def test_the_review_notes_a_kept_file_whose_render_changed(repo):
    api.render(repo(), repo.out)
    (repo.out / WORKFLOW).write_text((repo.out / WORKFLOW).read_text() + "# mine\n")
    _, review = api.diff(repo(GIT), repo.out)
    assert review.notes[0] == (f"`{WORKFLOW}`: yours since you changed it, so kept; the render changed since: 1 line(s) of "
                               f'the render are not in your file, the first: `BASELINEGEN_REQUIREMENT: "{GIT}"`.')
