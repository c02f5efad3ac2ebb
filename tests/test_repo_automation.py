"""The generated repository's pre-commit hooks and CI workflow (starter files), and this repository's own hook."""

from __future__ import annotations

import re
import shlex

import yaml

from baselinegen import __version__, api

from conftest import EXAMPLES, REPO

WORKFLOW, PRE_COMMIT = ".github/workflows/terraform.yml", ".pre-commit-config.yaml"


def _files(**kwargs) -> dict:
    return {f.path: f for f in api.render_tree(api.load_profile(EXAMPLES / "acme.yaml").profile, **kwargs).files}


def _steps(job: dict) -> list[str]:
    """Each step as the action it uses or the command it runs."""
    return [step.get("uses") or step["run"] for step in job["steps"]]


def test_the_ci_files_are_starter_and_rendered_the_same_every_time():
    first, second = _files(), _files()
    for path in (WORKFLOW, PRE_COMMIT):
        assert first[path].mode == "starter"
        assert first[path].content == second[path].content
        assert first[path].content.startswith(
            "# Written by baselinegen, which updates it while it is as written; once you change it, it is yours and is kept.\n")


def test_pre_commit_runs_terraform_fmt_the_basics_and_baselinegen_check():
    config = yaml.safe_load(_files()[PRE_COMMIT].content)
    hooks = {repo["repo"]: repo for repo in config["repos"]}
    assert [h["id"] for h in hooks["https://github.com/antonbabenko/pre-commit-terraform"]["hooks"]] == ["terraform_fmt"]
    assert hooks["https://github.com/antonbabenko/pre-commit-terraform"]["rev"] == "v1.105.0"
    assert [h["id"] for h in hooks["https://github.com/pre-commit/pre-commit-hooks"]["hooks"]] == [
        "check-merge-conflict", "end-of-file-fixer", "trailing-whitespace"]
    assert hooks["local"]["hooks"] == [{
        "id": "baselinegen-check", "name": "baselinegen check", "entry": "baselinegen check -o .", "language": "python",
        "additional_dependencies": [f"baselinegen=={__version__}"], "pass_filenames": False, "always_run": True}]


def test_without_ci_github_the_workflow_runs_fmt_validate_checkov_check_plan_and_the_review_comment(tmp_path):
    """(With ci.github, tests/test_ci_roles.py: plans and applies with the baseline's roles.)"""
    without_ci = tmp_path / "acme.yaml"
    without_ci.write_text((EXAMPLES / "acme.yaml").read_text().split("\nci:\n")[0] + "\n")
    files = {f.path: f for f in api.render_tree(api.load_profile(without_ci).profile).files}
    workflow = yaml.safe_load(files[WORKFLOW].content)
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert on == {"pull_request": None, "push": {"branches": ["main"]}}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["env"]["BASELINEGEN_REQUIREMENT"] == f"baselinegen=={__version__}"
    assert (workflow["env"]["BASELINEGEN_PROFILE"], workflow["env"]["AWS_REGION"]) == ("acme.yaml", "ap-northeast-1")
    jobs = workflow["jobs"]
    assert list(jobs) == ["fmt-validate", "checkov", "baselinegen-check", "plan", "review"]
    assert _steps(jobs["fmt-validate"]) == ["actions/checkout@v4", "hashicorp/setup-terraform@v3", "terraform fmt -check -recursive -diff",
                                            "terraform init -backend=false", "terraform validate -no-color"]
    assert "checkov==$CHECKOV_VERSION" in _steps(jobs["checkov"])[2] and "--framework terraform" in _steps(jobs["checkov"])[3]
    assert _steps(jobs["baselinegen-check"])[2:] == ['pip install --quiet "$BASELINEGEN_REQUIREMENT"', "baselinegen check -o ."]
    plan = jobs["plan"]
    assert plan["permissions"] == {"contents": "read", "id-token": "write"} and plan["needs"] == "fmt-validate"
    assert plan["if"].startswith("vars.AWS_PLAN_ROLE_ARN != ''")
    assert plan["steps"][1] == {"uses": "aws-actions/configure-aws-credentials@v4",
                                "with": {"role-to-assume": "${{ vars.AWS_PLAN_ROLE_ARN }}", "aws-region": "${{ env.AWS_REGION }}"}}
    assert "terraform plan -no-color -lock=false" in _steps(plan)[-1]
    review = jobs["review"]
    assert review["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert review["steps"][1]["with"] == {"ref": "${{ github.event.pull_request.base.sha }}", "path": ".baselinegen-base"}
    diff = _steps(review)[4]
    assert 'baselinegen diff "$BASELINEGEN_PROFILE" -o .baselinegen-base --format markdown' in diff
    assert 'if [ "$status" -eq 1 ]; then exit 1; fi' in diff  # 0 no change and 2 changes both make a comment
    assert review["steps"][5]["uses"] == "actions/github-script@v7"
    assert "updateComment" in review["steps"][5]["with"]["script"] and "<!-- baselinegen-diff -->" in review["steps"][5]["with"]["script"]


def test_every_third_party_action_is_pinned_to_a_version():
    uses = re.findall(r"uses: (\S+)", _files()[WORKFLOW].content)
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+(\.\d+)*", u) for u in uses), uses


def test_the_profile_path_the_caller_passes_reaches_the_workflow():
    workflow = yaml.safe_load(_files(profile_path="profiles/acme security.yaml")[WORKFLOW].content)
    assert workflow["env"]["BASELINEGEN_PROFILE"] == "profiles/acme security.yaml"


def test_edited_ci_files_are_kept_as_the_user_left_them(tmp_path):
    out = tmp_path / "out"
    api.render(EXAMPLES / "acme.yaml", out)
    (out / PRE_COMMIT).write_text("repos: []\n")
    report = api.render(EXAMPLES / "acme.yaml", out)
    assert {a.path: a.action for a in report.actions}[PRE_COMMIT] == "keep"
    assert {a.path: a.action for a in report.actions}[WORKFLOW] == "keep"
    assert (out / PRE_COMMIT).read_text() == "repos: []\n"


def test_the_generated_readme_says_who_owns_each_file_and_what_the_hooks_do(rendered_example):
    readme = (rendered_example / "README.md").read_text()
    assert "| starter | `.pre-commit-config.yaml`, `.github/workflows/terraform.yml`, `.gitignore` |" in readme
    assert "| managed | every `.tf` file, everything in `modules/` and `bootstrap/` |" in readme  # backend.tf from state
    for mode in ("managed", "sectioned", "yours"):
        assert f"\n| {mode} |" in readme
    assert "`baselinegen diff --format markdown`" in readme
    assert "`terraform plan` with the read-only role\n  `acme-baseline-plan` (GitHub OIDC; module `ci`)" in readme  # ci.github
    assert "`renamed_from`" in readme


def test_this_repository_publishes_a_baselinegen_check_hook_whose_entry_is_a_declared_console_script():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["baselinegen-check"]
    hook = hooks[0]
    assert {k: hook[k] for k in ("name", "entry", "language", "pass_filenames", "always_run")} == {
        "name": "baselinegen check", "entry": "baselinegen check", "language": "python", "pass_filenames": False, "always_run": True}
    section = re.search(r"^\[project\.scripts\]\n((?:\w.*\n)+)", (REPO / "pyproject.toml").read_text(), re.M)[1]  # no tomllib on 3.10
    scripts = dict(re.findall(r'^([\w-]+) = "([^"]+)"$', section, re.M))
    assert shlex.split(hook["entry"])[0] in scripts
    assert scripts["baselinegen"] == "baselinegen.cli:main"


def test_the_gitignore_keeps_state_plans_and_working_folders_out_and_lock_files_in(rendered_example):
    import fnmatch

    patterns = [line for line in (rendered_example / ".gitignore").read_text().splitlines() if line and not line.startswith("#")]
    assert patterns == [".terraform/", "*.tfstate", "*.tfstate.*", "*.tfplan", "*.tfplan.json", "tfplan", "crash.log",
                        "crash.*.log", ".terraformrc", "terraform.rc", ".baselinegen/lock", ".baselinegen/journal.*"]

    def ignored(name: str) -> bool:
        return any(fnmatch.fnmatch(name, p.rstrip("/")) for p in patterns)

    for name in ("terraform.tfstate", "terraform.tfstate.backup", "errored.tfstate", "plan.tfplan", "crash.log",
                 "crash.20261204.log", ".terraform"):
        assert ignored(name), name
    assert ignored(".baselinegen/journal.staging") and ignored(".baselinegen/lock")
    for name in (".terraform.lock.hcl", "main.tf", "main_override.tf", "backend.tf", "README.md", ".baselinegen/manifest.json"):
        assert not ignored(name), name


def test_the_gitignore_is_written_once_and_a_team_edit_survives_a_render(tmp_path):
    from baselinegen import api
    from conftest import write_acme

    profile = write_acme(tmp_path / "out" / "acme.yaml")
    api.render(profile, tmp_path / "out")
    gitignore = tmp_path / "out" / ".gitignore"
    gitignore.write_text(gitignore.read_text() + "secrets.auto.tfvars\n")
    api.render(profile, tmp_path / "out")
    assert gitignore.read_text().endswith("(your changes).\nsecrets.auto.tfvars\n")


def test_the_generated_readme_names_the_baselinegen_version_and_the_profile_that_rendered_it():
    readme = _files(profile_path="profiles/acme.yaml")["README.md"].content
    assert readme.splitlines()[3] == (f"Rendered by baselinegen {__version__} from the profile `profiles/acme.yaml` "
                                      "(`baselinegen check -o .` says whether the files still match it).")
