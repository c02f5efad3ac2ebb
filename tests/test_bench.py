"""bench/: the synthetic organisations are valid profiles, and the benchmark runs (its times are not asserted)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from baselinegen import api

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from synth import write_profile  # noqa: E402


@pytest.mark.parametrize("accounts, regions, job_functions, users", [(4, 1, 1, 2), (12, 3, 8, 40), (30, 10, 12, 7)])
def test_a_synthetic_organisation_is_a_valid_profile_without_warnings(tmp_path, accounts, regions, job_functions, users):
    path = write_profile(tmp_path / "synth.yaml", accounts, regions, job_functions, users)
    problems, profile = api.check_profile(path)
    assert problems == []
    assert len(profile.organization.accounts) == accounts
    assert {a.role for a in profile.organization.accounts} == {"management", "log-archive", "security", "workload"}
    assert len(profile.organization.regions) == regions
    assert (len(profile.iam.groups), len(profile.iam.users)) == (job_functions, users)


def test_the_benchmark_runs_at_a_tiny_size_and_prints_its_table(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--quick"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["figure", "value", "ratio", "target"]
    assert lines[2].startswith("6 accounts x 1 Regions (")
    figures = [line.split("  ")[1] if line.startswith("  ") else line for line in lines[3:]]
    assert [f.split(" (")[0] for f in figures[:8]] == [
        "full render, empty parse cache", "python-hcl2 parses every .tf once", "terraform fmt -check -recursive",
        "render, nothing changed", "render, one alarm threshold changed", "render, one user added",
        "diff, one more user", "diff, a default tag changed in every account"]
    assert "(0 of " in lines[6] and "(1 of " in lines[7]
    assert [f.split(" (")[0] for f in figures[8:-1]] == [
        "validate the profile", "full render time", "peak memory of any command", "full render time per account"]
    assert lines[10].split()[-4:] == ["<=", "0.5", "x", "full"]  # the diff after a change in every account: the target
    assert lines[-1] == "(--quick: targets shown, not enforced)"
