"""Messages stay readable whatever the profile holds: a long value is shown cut, once; a long list of allowed values
points to the reference; every message names its key path, also for keys that are not text; under --strict the
summary counts the warnings that became errors as errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from baselinegen.errors import Location, Problem

from support.profile_problems import BASE, STATE  # the smallest valid profile; state in S3 (no W435)

REFERENCE = "docs/profile.md{} or by baselinegen schema --format markdown"
TAGS_ALLOWED = "allowed: 1-128 Unicode letters, digits, spaces and _ . : / = + - @, not starting with aws: (in any case) [E117]"

CASES = {
    "a_long_value_is_cut_once": (BASE.replace("home_region: us-east-1", "home_region: " + "x" * 10000), [
        "p.yaml:4:16: organization.home_region: '" + "x" * 60 + "'... (10,000 characters) is not allowed; allowed values: "
        f"the 38 values listed in {REFERENCE.format('#aws-regions')} [E116]"]),
    "a_long_name_in_a_cross_reference_is_cut": (
        BASE + "iam:\n  groups: [{name: Admins, duty: administrator}, {name: Ops, duty: administrator}]\n"
        "  users: [{name: alice, groups: [Admins, Ops]}, {name: bob, groups: [Admins, Ops, " + "G" * 10000 + "]}]\n", [
            "p.yaml:10:83: iam.users[1].groups[2]: group '" + "G" * 60 + "'... (10,000 characters) does not exist; groups "
            "defined in iam.groups: Admins, Ops [E203]"]),
    "a_long_number_is_cut": (BASE + "iam:\n  password_policy: {minimum_length: " + "7" * 200 + "}\n", [
        "p.yaml:9:37: iam.password_policy.minimum_length: " + "7" * 60 + "... (200 digits) is out of range; allowed: "
        "between 6 and 128 [E114]"]),
    "a_long_key_is_cut_in_its_path_and_not_repeated": (
        BASE.replace("  regions:", "  tags: {? " + "t" * 10000 + " : x}\n  regions:"), [
            "p.yaml:5:12: organization.tags." + "t" * 60 + f"... (10,000 characters): this key is not valid; {TAGS_ALLOWED}"]),
    "a_key_with_control_characters_is_escaped_on_one_line": (BASE.replace("  regions:", '  tags: {"a\\nb\\u0007": x}\n  regions:'), [
        f"p.yaml:5:10: organization.tags.a\\nb\\x07: this key is not valid; {TAGS_ALLOWED}"]),
    "a_long_list_of_allowed_keys_points_to_the_reference": (BASE + "patching: {reboot_policy: x}\n", [
        "p.yaml:8:12: patching.reboot_policy: unknown key; allowed keys here: the 17 keys listed in "
        f"{REFERENCE.format('#patching')} [E110]"]),
    "a_long_list_of_allowed_values_points_to_the_reference": (
        BASE + "logging:\n  cloudtrail:\n    cloudwatch_logs: {retention_days: 100}\n", [
            "p.yaml:10:39: logging.cloudtrail.cloudwatch_logs.retention_days: 100 is not allowed; allowed values: the 23 "
            f"values listed in {REFERENCE.format('#logging')} [E116]"]),
    "a_catalog_too_long_to_list_points_to_the_reference": (BASE + "config:\n  rules: {exclude: [root-mfa]}\n", [
        "p.yaml:9:21: config.rules.exclude[0]: no managed rule 'root-mfa' in the catalog; rule names: the 51 rule names "
        f"listed in {REFERENCE.format('#aws-config-rules')} [E229]"]),
    "a_short_list_is_listed": (BASE + "config:\n  global_resources: everywhere\n", [
        "p.yaml:9:21: config.global_resources: 'everywhere' is not allowed; allowed values: home, all, none [E116]"]),
    "many_names_of_the_profile_are_counted_not_listed": (
        BASE + "iam:\n  groups:\n" + "".join(f"    - {{name: G{i:02d}, duty: read-only}}\n" for i in range(12))
        + "  users: [{name: alice, groups: [G99]}]\n", [
            "p.yaml:22:10: iam.users: warning: fewer than two administrators (none); this baseline's job functions require at "
            "least two members in an administrator group (break-glass) [W402]",
            "p.yaml:22:34: iam.users[0].groups[0]: group 'G99' does not exist (did you mean 'G09'?); groups defined in "
            "iam.groups: 12 of them, see iam.groups [E203]"]),
    "keys_that_are_not_text_have_a_key_path": (
        BASE.replace("  regions:", "  true: x\n  [a, b]: y\n  regions:") + "null: z\n2: w\n", [
            "p.yaml:5:3: organization.true: this key is a boolean, not a name; quote it if it is meant as text: 'true' [E101]",
            "p.yaml:6:3: organization.[a, b]: this key is a list; keys must be names such as 'iam' [E101]",
            "p.yaml:10:1: null: this key is null, not a name; quote it if it is meant as text: 'null' [E101]",
            "p.yaml:11:1: 2: this key is a number, not a name; quote it if it is meant as text: '2' [E101]"]),
}


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baselinegen", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("case", CASES)
def test_messages_stay_readable(tmp_path, case):
    text, expected = CASES[case]
    (tmp_path / "p.yaml").write_text(text + STATE, encoding="utf-8")
    result = _run(tmp_path, "validate", "p.yaml")
    errors = sum(1 for line in expected if "warning: " not in line)
    summary = f"{errors} error(s), {len(expected) - errors} warning(s); nothing was written."
    assert (result.returncode, result.stdout, result.stderr.splitlines()) == (1, "", expected + [summary])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


def test_every_problem_is_one_line_with_values_cut_whatever_a_check_wrote():
    problem = Problem(Location("p.yaml", 1, 1), "a.b\nc", "value " + repr("v" * 500) + " and " + "w" * 300 + "\nmore", "E999")
    assert str(problem) == ("p.yaml:1:1: a.b\\nc: value '" + "v" * 60 + "'... (500 characters) and " + "w" * 60
                            + "... (300 characters)\\nmore [E999]")


def _tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_strict_counts_the_warnings_that_became_errors_as_errors(tmp_path):
    (tmp_path / "p.yaml").write_text(BASE.replace("  topic: {email: [soc@acme.example]}", "  topic: {}") + STATE, encoding="utf-8")
    assert _run(tmp_path, "render", "p.yaml", "-o", "out").returncode == 0
    before = _tree(tmp_path)
    warning = ("p.yaml:7:10: monitoring.topic: warning: no e-mail subscribers: alarms would notify nobody (CIS wants at "
               "least one confirmed subscriber) [W407]")
    relaxed = _run(tmp_path, "check", "p.yaml", "-o", "out")
    assert (relaxed.returncode, relaxed.stdout) == (0, "out: up to date\n")
    for command in ("check", "validate"):
        strict = _run(tmp_path, command, "p.yaml", *(("-o", "out") if command == "check" else ()), "--strict")
        assert (strict.returncode, strict.stdout) == (1, "")
        assert strict.stderr.splitlines() == [
            warning, "1 error(s) (1 of them warnings, errors under --strict), 0 warning(s); nothing was written."]
    assert _tree(tmp_path) == before


def test_without_strict_the_summary_counts_errors_and_warnings_apart(tmp_path):
    text = BASE.replace("  topic: {email: [soc@acme.example]}", "  topic: {}") + "config:\n  global_resources: everywhere\n" + STATE
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    assert _run(tmp_path, "validate", "p.yaml").stderr.splitlines()[-1] == "1 error(s), 1 warning(s); nothing was written."
    assert _run(tmp_path, "validate", "p.yaml", "--strict").stderr.splitlines()[-1] == (
        "2 error(s) (1 of them warnings, errors under --strict), 0 warning(s); nothing was written.")
