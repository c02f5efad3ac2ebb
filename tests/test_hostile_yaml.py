"""A profile arrives in pull requests: untrusted YAML. Whatever it holds — nested aliases, thousands of nesting
levels, merge keys, tags, characters YAML refuses — ends in located messages (exit 1, no traceback, nothing
written), and legitimate anchors, aliases and merge keys keep working with YAML's semantics."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.profile import loader
from baselinegen.profile.loader import parse_yaml_text
from baselinegen.profile.yaml_compose import MAX_ALIAS_NODES, MAX_DEPTH

from support.profile_problems import BASE, STATE  # the smallest valid profile; state in S3 (no W435)

TAG_RULE = "a profile holds plain values only: text, numbers, true/false, null, lists and mappings"
DEEP = "lists and mappings nested more than 64 levels deep; a profile needs a few levels"


def _laughs() -> str:
    lines = ["x-lol:", "  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return BASE + "\n".join(lines) + "\n"


CASES = {
    "billion_laughs": (_laughs(), [
        "p.yaml:13:10: x-lol.e[0]: aliases expand the document by more than 10,000 values (alias *d reaches the limit); "
        "write the values out or use fewer nested aliases [E108]"]),
    "alias_inside_its_own_anchor": (BASE + "iam: &loop\n  groups: [*loop]\n", [
        "p.yaml:9:12: iam.groups[0]: alias *loop is inside the value of its own anchor (a value that contains itself) [E108]"]),
    "deep_flow_lists": (BASE + "iam: " + "[" * 5000 + "]" * 5000 + "\n", [
        f"p.yaml:8:69: iam[0][0][0][0][0]...[0][0][0]: {DEEP} [E107]"]),
    "deep_block_mappings": (BASE + "iam:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(3000)), [
        f"p.yaml:72:129: iam.k0.k1.k2.k3.k4...k60.k61.k62: {DEEP} [E107]"]),
    "deep_block_lists": (BASE + "iam:\n" + "".join(" " * (i + 2) + "-\n" for i in range(3000)), [
        f"p.yaml:72:66: iam[0][0][0][0][0]...[0][0][0]: {DEEP} [E107]"]),
    "deep_through_an_alias": (BASE + "x-deep: &deep " + "[" * 40 + "]" * 40 + "\niam: {groups: " + "[" * 30 + "*deep" + "]" * 30 + "}\n", [
        "p.yaml:9:45: iam.groups[0][0][0][0]...[0][0][0]: alias *deep nests lists and mappings more than 64 levels deep; "
        "a profile needs a few levels [E107]"]),
    "tags_on_every_kind_of_node": (
        BASE.replace("organization:\n", "organization: !!python/object:os.system\n")
            .replace("regions: [us-east-1]", "regions: !custom [us-east-1]").replace("  topic: {", "  topic: !!binary {")
        + "iam: {groups: [!!python/name:os.system x, !!set {a, b}]}\n", [
            f"p.yaml:2:15: organization: tag !!python/object:os.system is not allowed; {TAG_RULE} [E105]",
            f"p.yaml:5:12: organization.regions: tag !custom is not allowed; {TAG_RULE} [E105]",
            f"p.yaml:7:10: monitoring.topic: tag !!binary is not allowed; {TAG_RULE} [E105]",
            f"p.yaml:8:16: iam.groups[0]: tag !!python/name:os.system is not allowed; {TAG_RULE} [E105]",
            f"p.yaml:8:43: iam.groups[1]: tag !!set is not allowed; {TAG_RULE} [E105]"]),
    "tag_on_a_key": (BASE + "iam:\n  !!python/str groups: []\n", [
        f"p.yaml:9:3: iam.groups: tag !!python/str is not allowed; {TAG_RULE} [E105]"]),
    "tag_on_a_merged_mapping": (BASE + "iam:\n  <<: !!python/object:x {a: 1}\n", [
        f"p.yaml:9:3: iam.<<: tag !!python/object:x is not allowed; {TAG_RULE} [E105]"]),
    "tag_on_a_merged_list": (BASE + "iam:\n  <<: !foo [{groups: []}]\n", [
        f"p.yaml:9:3: iam.<<: tag !foo is not allowed; {TAG_RULE} [E105]"]),
    "merge_of_an_alias_of_a_list": (BASE + "x-list: &list [1, 2]\niam:\n  groups: []\n  <<: [*list]\n", [
        "p.yaml:11:3: iam.<<: a merge key (<<) takes a mapping, an alias of one or a list of them [E109]"]),
    "scalars_their_type_cannot_read": (
        BASE + "iam:\n  password_policy:\n    minimum_length: !!int fourteen\n    max_age: 2026-13-45\n"
        "    reuse_prevention: " + "9" * 5000 + "\n", [
            "p.yaml:10:21: iam.password_policy.minimum_length: 'fourteen' cannot be read as an integer; quote it if it is "
            "meant as text [E106]",
            "p.yaml:11:14: iam.password_policy.max_age: '2026-13-45' cannot be read as a date; quote it if it is meant as text [E106]",
            "p.yaml:12:23: iam.password_policy.reuse_prevention: '" + "9" * 60 + "'... (5,000 characters) cannot be read as an "
            "integer; quote it if it is meant as text [E106]"]),
    "an_escape_that_is_not_a_character": (BASE + 'iam: {groups: [{name: "\\ud800", duty: read-only}]}\n', [
        "p.yaml:8:23: iam.groups[0].name: '\\ud800' holds an escape (\\uD800-\\uDFFF) that is not a character [E106]"]),
    "merge_key_of_a_scalar": (BASE + "iam:\n  password_policy:\n    <<: 14\n", [
        "p.yaml:10:5: iam.password_policy.<<: a merge key (<<) takes a mapping, an alias of one or a list of them [E109]"]),
    "nul_character": (BASE.replace("name: acme", "name: ac\x00me"), [
        "p.yaml:3:11: organization.name: character U+0000 (a control character) cannot be in a profile; remove it [E100]"]),
    "control_character_after_unicode": (BASE.replace("name: acme", "name: 'é日\x1b'"), [
        "p.yaml:3:12: organization.name: character U+001B (a control character) cannot be in a profile; remove it [E100]"]),
    "byte_order_mark_inside_the_document": (BASE.replace("name: acme", "name: ac\ufeffme"), [
        "p.yaml:3:11: organization.name: character U+FEFF (a byte order mark, allowed only at the start) cannot be in a profile; remove it [E100]"]),
    "delete_character": (BASE.replace("[us-east-1]", "[us-east-1\x7f]"), [
        "p.yaml:5:22: organization.regions: character U+007F (a control character) cannot be in a profile; remove it [E100]"]),
    "undefined_alias": (BASE + "iam: *nothing\n", ["p.yaml:8:6: iam: YAML syntax error: found undefined alias 'nothing' [E100]"]),
    "non_string_keys": (BASE + "1: x\ntrue: y\nnull: z\n[a, b]: w\n? {a: 1}\n: v\niam:\n  3.5: x\n" + STATE, [
        "p.yaml:8:1: 1: this key is a number, not a name; quote it if it is meant as text: '1' [E101]",
        "p.yaml:9:1: true: this key is a boolean, not a name; quote it if it is meant as text: 'true' [E101]",
        "p.yaml:10:1: null: this key is null, not a name; quote it if it is meant as text: 'null' [E101]",
        "p.yaml:11:1: [a, b]: this key is a list; keys must be names such as 'iam' [E101]",
        "p.yaml:12:3: {a: 1}: this key is a mapping; keys must be names such as 'iam' [E101]",
        "p.yaml:15:3: iam.3.5: this key is a number, not a name; quote it if it is meant as text: '3.5' [E101]"]),
}


def _validate(tmp_path, content: str | bytes) -> subprocess.CompletedProcess:
    profile = tmp_path / "p.yaml"
    if isinstance(content, str):
        content = content.encode("utf-8")
    profile.write_bytes(content)
    return subprocess.run([sys.executable, "-m", "baselinegen", "validate", "p.yaml"], cwd=tmp_path, capture_output=True, text=True)


@pytest.mark.parametrize("case", CASES)
def test_hostile_yaml_is_reported_at_its_location(tmp_path, case):
    text, expected = CASES[case]
    result = _validate(tmp_path, text)
    errors = len(expected)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == expected + [f"{errors} error(s), 0 warning(s); nothing was written."]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


@pytest.mark.parametrize("case", ["billion_laughs", "deep_flow_lists", "tags_on_every_kind_of_node"])
def test_render_of_hostile_yaml_writes_nothing(tmp_path, case):
    (tmp_path / "p.yaml").write_text(CASES[case][0], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "baselinegen", "render", "p.yaml", "-o", "out"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:-1] == CASES[case][1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


def test_invalid_utf8_is_reported_at_its_character_column(tmp_path):
    content = BASE.replace("name: acme", "name: éé\udcff").encode("utf-8", errors="surrogateescape")
    result = _validate(tmp_path, content)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["p.yaml:3:11: organization.name: the profile is not UTF-8 text (byte 0xff); save it as UTF-8 [E100]",
                                          "1 error(s), 0 warning(s); nothing was written."]


@pytest.mark.parametrize("case", CASES)
def test_libyaml_and_the_pure_parser_report_hostile_yaml_alike(case, monkeypatch):
    text = CASES[case][0]
    fast = parse_yaml_text(text, "p.yaml")
    monkeypatch.setattr(loader, "_FastLoader", yaml.SafeLoader)
    assert parse_yaml_text(text, "p.yaml") == fast


def test_billion_laughs_is_refused_within_a_few_megabytes():
    tracemalloc.start()
    try:
        doc, problems = parse_yaml_text(_laughs(), "p.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (doc.data, [p.code for p in problems]) == (None, ["E108"])
    assert peak < 4 * 1024 * 1024


def test_aliases_up_to_the_limit_are_expanded():
    # 100 aliases of a 99-value list: 9,900 values added, just under the limit
    text = "a: &a [" + ", ".join(["x"] * 98) + "]\nb: [" + ", ".join(["*a"] * 100) + "]\n"
    doc, problems = parse_yaml_text(text, "p.yaml")
    assert problems == [] and len(doc.data["b"]) == 100 and doc.data["b"][99] == ["x"] * 98
    assert MAX_ALIAS_NODES == 10_000
    over = text.replace("b: [", "b: [*a, *a, ")
    assert [p.code for p in parse_yaml_text(over, "p.yaml")[1]] == ["E108"]


@pytest.mark.parametrize("extends", ["", "extends: cis-1.4\n"])
def test_nesting_up_to_the_limit_goes_through_validation_without_recursion_errors(tmp_path, extends):
    # the deepest document allowed, under a key cerberus descends into (tags), one it does not (unknown) and, with
    # a preset, keys merged with the preset's (iam.password_policy)
    depth = MAX_DEPTH - 3
    deep = "[" * depth + "]" * depth
    path = tmp_path / "p.yaml"
    path.write_text(BASE.replace("version: 1\n", "version: 1\n" + extends).replace("  regions:", f"  tags: {{a: {deep}}}\n  regions:")
                    + f"x-deep: {{a: {{b: {deep}}}}}\niam: {{password_policy: {{minimum_length: {deep}}}}}\n" + STATE, encoding="utf-8")
    problems, profile = api.check_profile(path)
    assert profile is None
    assert [(p.path, p.code) for p in problems] == [
        ("organization.tags.a", "E112"), ("x-deep", "E110"), ("iam.password_policy.minimum_length", "E112")]
    assert parse_yaml_text(BASE + "x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "p.yaml")[1] == []


MERGED = BASE.replace("organization:\n  name: acme\n  home_region: us-east-1\n  regions: [us-east-1]\n", """\
organization:
  <<: [*org, *other]
  name: acme
""").replace("version: 1\n", """\
version: 1
iam:
  password_policy: &org
    name: base
    home_region: us-east-1
    minimum_length: 14
  mfa: &other {regions: [us-east-1], name: other, home_region: eu-west-1}
""")


def test_keys_written_beside_a_merge_override_the_merged_ones_and_are_no_duplicates():
    # YAML: the mapping's own keys override merged ones; of the merged mappings, earlier ones override later ones
    # (PyYAML's constructor lets the later one win when the two keys are distinct string objects, as libyaml's are)
    doc, problems = parse_yaml_text(MERGED, "p.yaml")
    assert problems == []
    assert json.dumps(doc.data["organization"]) == json.dumps(
        {"name": "acme", "home_region": "us-east-1", "minimum_length": 14, "regions": ["us-east-1"]})


def test_merged_values_are_located_where_they_are_written():
    doc, _ = parse_yaml_text(MERGED, "p.yaml")
    assert str(doc.locate(("organization", "name"), prefer_key=True)) == "p.yaml:10:3"
    assert str(doc.locate(("organization", "home_region"))) == "p.yaml:5:18"
    assert str(doc.locate(("organization", "regions", 0))) == "p.yaml:7:26"
    assert str(doc.locate(("organization", "minimum_length"), prefer_key=True)) == "p.yaml:6:5"


def test_a_merge_with_a_bad_value_is_reported_where_the_anchor_wrote_it(tmp_path):
    result = _validate(tmp_path, MERGED.replace("home_region: us-east-1\n    minimum", "home_region: us-easst-1\n    minimum"))
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if ": organization." in line] == [
        "p.yaml:5:18: organization.home_region: 'us-easst-1' is not allowed (did you mean 'us-east-1'?); allowed values: "
        "the 38 values listed in docs/profile.md#aws-regions or by baselinegen schema --format markdown [E116]",
        "p.yaml:6:5: organization.minimum_length: unknown key; allowed keys here: control_tower, deployment_role, home_region, id, keep_service_access, name, "
        "regions, tags, units [E110]"]


def test_a_key_written_twice_beside_a_merge_is_still_a_duplicate():
    doc, problems = parse_yaml_text("a: &a {x: 1}\nb:\n  <<: *a\n  y: 2\n  y: 3\n", "p.yaml")
    assert [str(p) for p in problems] == ["p.yaml:5:3: b.y: duplicate key (first written at line 4); write each key once [E102]"]
    assert doc.data["b"] == {"x": 1, "y": 2}


ANCHORED = BASE + """\
iam:
  groups:
    - &admins {name: Admins, duty: administrator}
    - {<<: *admins, name: Ops}
    - {<<: *admins, name: Auditors, duty: read-only}
  users:
    - {name: alice, groups: &both [Admins, Auditors]}
    - {name: bob, groups: *both}
"""


def test_a_profile_with_anchors_aliases_and_merges_validates(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(ANCHORED, encoding="utf-8")
    problems, profile = api.check_profile(path)
    assert [p.code for p in problems if p.severity == "error"] == []
    assert [(g.name, g.duty) for g in profile.iam.groups] == [("Admins", "administrator"), ("Ops", "administrator"),
                                                               ("Auditors", "read-only")]
    assert [u.groups for u in profile.iam.users] == [("Admins", "Auditors"), ("Admins", "Auditors")]


@pytest.mark.parametrize("case", CASES)
def test_hostile_yaml_cannot_poison_the_section_cache(tmp_path, empty_cache, case):
    path = tmp_path / "p.yaml"
    path.write_text(CASES[case][0], encoding="utf-8")
    problems, profile = api.check_profile(path)
    assert profile is None and problems
    if all(p.code in api.FATAL_CODES for p in problems):  # never validated, nothing remembered
        assert not empty_cache.exists()
    assert api.check_profile(path) == (problems, None), "remembered sections change nothing"


def test_remembered_sections_give_what_validating_gives_when_a_merge_changes_a_value(tmp_path, empty_cache):
    path = tmp_path / "p.yaml"
    path.write_text(ANCHORED, encoding="utf-8")
    assert api.check_profile(path)[1] is not None
    assert (empty_cache / "profile-sections").is_dir()
    # the same section, a merged value overridden: remembered sections must not stand in for it
    path.write_text(ANCHORED.replace("{<<: *admins, name: Ops}", "{<<: *admins, name: Ops, duty: administratorr}"), encoding="utf-8")
    problems, profile = api.check_profile(path)
    assert [str(p) for p in problems if p.severity == "error"] == [
        f"{path}:11:38: iam.groups[1].duty: 'administratorr' is not allowed (did you mean 'administrator'?); allowed "
        "values: administrator, infra-admin, security-admin, iam-admin, app-developer, operator, read-only, custom [E116]"]


def test_the_readme_states_the_limits_the_loader_applies():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"nested more than {MAX_DEPTH} levels deep" in readme
    assert f"aliases that add more than {MAX_ALIAS_NODES:,} values" in readme
