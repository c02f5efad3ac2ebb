"""The shortcuts of profile loading give exactly what the plain way gives: libyaml composes the same data with
the same locations as PyYAML's pure-Python parser, and cerberus validates against the trusted (unchecked)
schema exactly as against the schema it checks first."""

from __future__ import annotations

from pathlib import Path

import cerberus
import pytest
import yaml

from baselinegen.profile import loader
from baselinegen.profile.loader import parse_yaml_text
from baselinegen.profile.schema import profile_schema
from baselinegen.profile.validate import ProfileValidator, schema_problems

ROOT = Path(__file__).resolve().parent.parent
PROFILES = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("profiles/*.yaml"), *ROOT.glob("tests/bad_profiles/*.yaml"),
                   *ROOT.glob("tests/fixtures/*.yaml")])
ODD_BUT_VALID = [
    "a:\n  b: {é日: 1, x: [1, \"é\", y]}\n  \"日本\": z\n",
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: [2, 3]\n",
    "a: 1\r\nb:\r\n  - 2\r\n  - three\r\n",
    "\ufeffa: yes\nb: 0o17\nc: 1_000\nd: ~\ne: 2026-11-23\n",
    "text: |\n  two\n  lines\nfolded: >-\n  one\n  line\n",
]
NOT_YAML = [
    "a: [1, 2\nb: 3\n",
    "a: b: c\n",
    "a:\n\t- 1\n",
    "key: \"unterminated\n",
    "a: 1\n---\nb: 2\n",
    "a: \x07\n",
]


def _pure(text: str, monkeypatch) -> tuple:
    with monkeypatch.context() as patch:
        patch.setattr(loader, "_FastLoader", yaml.SafeLoader)
        doc, problems = parse_yaml_text(text, "p.yaml")
    return doc, problems


def _same(first, second) -> None:
    (doc_a, problems_a), (doc_b, problems_b) = first, second
    assert doc_a.data == doc_b.data
    assert [type(v) for v in _leaves(doc_a.data)] == [type(v) for v in _leaves(doc_b.data)]
    assert doc_a.value_locations == doc_b.value_locations
    assert doc_a.key_locations == doc_b.key_locations
    assert problems_a == problems_b


def _leaves(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def test_pyyaml_here_has_libyaml_so_the_fast_path_is_what_these_tests_compare():
    assert loader._FastLoader is yaml.CSafeLoader


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_libyaml_gives_the_same_data_locations_and_problems_as_pure_pyyaml(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    _same(parse_yaml_text(text, "p.yaml"), _pure(text, monkeypatch))


@pytest.mark.parametrize("text", ODD_BUT_VALID)
def test_libyaml_agrees_on_unicode_merge_keys_line_ends_and_scalar_types(text, monkeypatch):
    fast = parse_yaml_text(text, "p.yaml")
    assert fast[0].data is not None
    _same(fast, _pure(text, monkeypatch))


@pytest.mark.parametrize("text", NOT_YAML)
def test_text_that_is_not_yaml_gets_the_pure_parser_message(text, monkeypatch):
    doc, problems = parse_yaml_text(text, "p.yaml")
    assert doc.data is None
    assert [p.code for p in problems] == ["E100"]
    assert problems == _pure(text, monkeypatch)[1]


def test_a_syntax_error_names_its_line_column_key_path_and_what_was_expected():
    _, problems = parse_yaml_text("a: [1, 2\nb: 3\n", "p.yaml")
    assert [str(p) for p in problems] == [
        "p.yaml:2:2: a[2]: YAML syntax error: while parsing a flow sequence (started at line 1, column 4) expected ',' or "
        "']', but got ':' [E100]"]


def test_the_profile_schema_passes_cerberus_own_schema_check():
    # schema_problems skips this check on every run (it costs more than validating a large profile).
    validator = ProfileValidator(profile_schema(), allow_unknown=False)
    assert isinstance(validator.schema, cerberus.schema.DefinitionSchema)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_validating_against_the_trusted_schema_gives_what_the_checked_schema_gives(path, monkeypatch):
    doc, _ = parse_yaml_text(path.read_text(encoding="utf-8"), str(path))
    if not isinstance(doc.data, dict):
        pytest.skip("not a mapping: never validated")
    trusted = schema_problems(doc, profile_schema())
    with monkeypatch.context() as patch:
        patch.setattr("baselinegen.profile.validate.trusted_schema", lambda schema: schema)
        checked = schema_problems(doc, profile_schema())
    assert trusted == checked
