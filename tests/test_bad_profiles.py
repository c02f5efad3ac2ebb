"""Every validation rule with a bad profile: the exact messages, locations and exit codes.

Each tests/bad_profiles/<case>.yaml has <case>.expected.txt with the exact stderr of
`baselinegen validate <case>.yaml`. Cases whose expected output has no error line exit 0.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "bad_profiles"


def _validate(name: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baselinegen", "validate", name, *extra],
                          cwd=CASES, capture_output=True, text=True)


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.yaml")))
def test_validate_reports_exact_problems_with_locations(case):
    expected = (CASES / f"{case}.expected.txt").read_text(encoding="utf-8")
    result = _validate(f"{case}.yaml")
    assert result.stderr == expected
    has_errors = any("warning:" not in line and "[E" in line for line in expected.splitlines())
    assert result.returncode == (1 if has_errors else 0)
    assert "Traceback" not in result.stderr


def test_missing_profile_file_is_a_located_error_without_traceback():
    result = _validate("does-not-exist.yaml")
    assert result.returncode == 1
    assert result.stderr == (
        "does-not-exist.yaml:1:1: cannot read the profile: file not found [E100]\n"
        "1 error(s), 0 warning(s); nothing was written.\n"
    )


def test_strict_turns_weak_settings_into_a_failure():
    result = _validate("weak_settings_warn.yaml", "--strict")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "14 error(s) (14 of them warnings, errors under --strict), 0 warning(s); nothing was written."


def test_weak_settings_validate_with_warnings_and_exit_zero():
    result = _validate("weak_settings_warn.yaml")
    assert result.returncode == 0
    assert result.stdout == "weak_settings_warn.yaml: valid (14 warning(s))\n"


def test_render_of_a_bad_profile_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "baselinegen", "render", str(CASES / "iam_cross_references.yaml"), "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert not out.exists()
    assert "[E203]" in result.stderr


def test_directory_instead_of_profile_is_reported(tmp_path):
    result = subprocess.run([sys.executable, "-m", "baselinegen", "validate", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tmp_path}:1:1: cannot read the profile: it is a directory, not a file [E100]")


def test_profile_that_is_not_utf8_is_reported(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("version: 1\nname: caf\xe9\n".encode("latin-1"))
    result = subprocess.run([sys.executable, "-m", "baselinegen", "validate", str(path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{path}:2:10: name: the profile is not UTF-8 text (byte 0xe9); save it as UTF-8 [E100]" in result.stderr


def test_preset_values_are_merged_under_the_file(write_profile):
    from baselinegen import api

    path = write_profile("""
        version: 1
        extends: cis-1.4
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}
        iam:
          password_policy: {minimum_length: 20}
          groups: [{name: Admins, duty: administrator}]
          users: [{name: a, groups: [Admins]}, {name: b, groups: [Admins]}]
        monitoring:
          topic: {email: [security@acme.example]}
        state: {bucket: acme-terraform-state}
    """)
    loaded = api.load_profile(path)
    policy = loaded.profile.iam.password_policy
    assert (policy.minimum_length, policy.reuse_prevention, policy.max_age) == (20, 24, None)
    assert loaded.warnings == []


def test_error_inside_a_preset_merged_value_points_at_the_file(write_profile):
    from baselinegen import api
    from baselinegen.errors import ProfileError

    path = write_profile("""
        version: 1
        extends: minimal
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}
        iam:
          mfa: {require_for_console: maybe}
        monitoring:
          topic: {email: [security@acme.example]}
        state: {bucket: acme-terraform-state}
    """)
    with pytest.raises(ProfileError) as info:
        api.load_profile(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:5:30: iam.mfa.require_for_console: must be true or false, not 'maybe' [E112]"
    ]
