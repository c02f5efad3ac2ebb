"""`baselinegen init`: both starters (one account, an organisation) with every preset validate with no warning; the
presets are listed in --help. Shell completion: the script, its installation (in a scratch home) and a completion."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from baselinegen import __version__
from baselinegen.resources import preset_names


# The shell is named on the command line, never detected from the processes around the test run (Typer asks shellingham
# otherwise, and under some parents it finds none: "Shell  not supported").
NAMED_SHELL = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}


def _cli(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "baselinegen", *args], cwd=cwd, capture_output=True, text=True,
                          env=None if env is None else {**os.environ, **env})


@pytest.mark.parametrize("preset", preset_names())
@pytest.mark.parametrize("shape", ["single", "organization"])
def test_every_starter_with_every_preset_validates_with_no_warning(tmp_path, shape, preset):
    flags = ["--organization"] if shape == "organization" else []
    result = _cli("init", *flags, "--preset", preset, "-o", "start.yaml", "--name", "globex", cwd=tmp_path)
    shown = "an organisation, " if shape == "organization" else ""
    assert (result.returncode, result.stdout) == (0, f"wrote start.yaml ({shown}extends {preset}); next: baselinegen validate start.yaml\n")
    check = _cli("validate", "--strict", "start.yaml", cwd=tmp_path)
    assert (check.returncode, check.stdout, check.stderr) == (0, "start.yaml: valid (0 warning(s))\n", "")
    profile = yaml.safe_load((tmp_path / "start.yaml").read_text())
    assert profile["extends"] == preset and profile["ci"]["baselinegen"] == f"baselinegen=={__version__}"


def test_the_organisation_starter_has_an_account_of_every_role_governance_state_and_ci(tmp_path):
    _cli("init", "--organization", "-o", "org.yaml", "--name", "globex", "--home-region", "eu-west-1", cwd=tmp_path)
    profile = yaml.safe_load((tmp_path / "org.yaml").read_text())
    assert [(a["name"], a["role"]) for a in profile["accounts"]] == [
        ("management", "management"), ("log-archive", "log-archive"), ("security", "security"), ("identity", "workload"),
        ("workload-prod", "workload"), ("workload-staging", "workload")]
    assert all(isinstance(a["id"], str) and len(a["id"]) == 12 for a in profile["accounts"])
    assert profile["iam"]["identity_account"] == "identity"
    assert profile["governance"] == {"service_control_policies": {"restrict_regions": True}}
    assert profile["state"] == {"bucket": "globex-terraform-state-111111111111", "account": "management"}
    assert profile["ci"] == {"baselinegen": f"baselinegen=={__version__}",
                             "github": {"repository": "globex/landing-zone", "branch": "main"}}
    assert profile["organization"]["regions"] == ["eu-west-1"]
    assert "seed" not in (tmp_path / "org.yaml").read_text().lower()


def test_init_help_lists_the_presets():
    result = _cli("init", "--help", env={"COLUMNS": "200"})
    assert result.returncode == 0
    assert f"Preset the starter profile extends: {', '.join(preset_names())}." in result.stdout
    assert "--organization" in result.stdout


def test_show_completion_prints_a_bash_script_for_the_baselinegen_command(tmp_path):
    result = _cli("--show-completion", "bash", env={"HOME": str(tmp_path), **NAMED_SHELL})
    assert result.returncode == 0, result.stderr
    assert "_BASELINEGEN_COMPLETE=complete_bash" in result.stdout
    assert result.stdout.rstrip().endswith("complete -o default -F _baselinegen_completion baselinegen")
    assert list(tmp_path.iterdir()) == []  # shown, not installed


def test_install_completion_writes_into_the_home_it_is_given_and_completes_commands_and_options(tmp_path):
    result = _cli("--install-completion", "bash", env={"HOME": str(tmp_path), **NAMED_SHELL})
    assert result.returncode == 0, result.stderr
    script = tmp_path / ".bash_completions" / "baselinegen.sh"
    assert "_BASELINEGEN_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()
    commands = _cli(env={"_BASELINEGEN_COMPLETE": "complete_bash", "COMP_WORDS": "baselinegen in", "COMP_CWORD": "1"})
    assert commands.stdout.split() == ["init"]
    options = _cli(env={"_BASELINEGEN_COMPLETE": "complete_bash", "COMP_WORDS": "baselinegen init --org", "COMP_CWORD": "2"})
    assert options.stdout.split() == ["--organization"]


@pytest.mark.parametrize("organization", [False, True], ids=["single", "organization"])
def test_each_starter_renders_and_passes_the_render_checks(tmp_path, organization):
    from baselinegen import api
    from baselinegen.starter import starter_profile

    path = tmp_path / "start.yaml"
    path.write_text(starter_profile(preset="cis-1.4", name="globex", home_region="eu-west-1", organization=organization))
    profile = api.load_profile(path).profile
    result = api.render_tree(profile)
    api.verify(result, profile)
    paths = {f.path for f in result.files}
    assert ("accounts/security/main.tf" in paths) is organization and ("main.tf" in paths) is not organization
