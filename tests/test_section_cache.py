"""Remembered profile sections: a section validated before without a problem is not validated again, and the
result (problems and normalised document, key order included) is exactly what validating everything gives."""

from __future__ import annotations

import json

import pytest

from baselinegen.profile import section_cache
from baselinegen.profile import validate as profile_validate
from baselinegen.profile.loader import parse_yaml_text
from baselinegen.profile.schema import profile_schema
from baselinegen.profile.validate import schema_problems

from conftest import EXAMPLES, spy


@pytest.fixture
def validated(monkeypatch):
    """The top-level sections cerberus is asked to validate, per call."""
    return spy(monkeypatch, profile_validate.ProfileValidator, "validate", lambda self, document, *a, **k: sorted(document))


def _doc(text: str):
    return parse_yaml_text(text, "p.yaml")[0]


def _uncached(doc):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(section_cache, "recall", lambda data: {})
        patch.setattr(section_cache, "record", lambda data, normalized: None)
        return schema_problems(doc, profile_schema())


@pytest.mark.parametrize("name", ["acme.yaml", "acme-org.yaml"])
def test_a_second_validation_validates_only_the_changed_section_and_gives_the_full_result(empty_cache, validated, name):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    first = schema_problems(_doc(text), profile_schema())
    assert first[0] == [] and len(validated) == 1
    changed = text.replace("retention_days: 365", "retention_days: 400", 1)
    assert changed != text
    second = schema_problems(_doc(changed), profile_schema())
    # acme-org.yaml's exceptions[].until is a YAML date, which JSON cannot hold: that section is validated every time
    assert validated[1] == (["exceptions", "logging"] if name == "acme-org.yaml" else ["logging"])
    expected = _uncached(_doc(changed))
    assert second == expected
    assert list(second[1]) == list(expected[1]), "sections in cerberus' order"
    assert json.dumps(second[1], default=str) == json.dumps(expected[1], default=str), "every nested key in the same order"


def test_a_profile_with_problems_is_validated_whole_and_remembers_nothing(empty_cache, validated):
    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8").replace("minimum_length: 14", "minimum_length: 3", 1)
    problems, _ = schema_problems(_doc(text), profile_schema())
    assert [p.path for p in problems] == ["iam.password_policy.minimum_length"]
    assert not (empty_cache / "profile-sections").exists()
    again, _ = schema_problems(_doc(text), profile_schema())
    assert again == problems and len(validated) == 2 and validated[0] == validated[1]


def test_a_remembered_section_still_counts_for_problems_elsewhere(empty_cache):
    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
    schema_problems(_doc(text), profile_schema())
    broken = text.replace("retention_days: 365", "retention_days: many", 1)
    assert schema_problems(_doc(broken), profile_schema()) == _uncached(_doc(broken))


@pytest.mark.parametrize("damage", ["{not json", "[]", '{"key": "another", "normalized": {}}', '{"key": null}'])
def test_a_damaged_entry_means_validating_that_section_again(empty_cache, validated, damage):
    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
    expected = schema_problems(_doc(text), profile_schema())
    for entry in (empty_cache / "profile-sections").rglob("*.json"):
        entry.write_text(damage)
    assert schema_problems(_doc(text), profile_schema()) == expected
    assert validated[1] == validated[0]


@pytest.mark.parametrize("value", [{"a": (1, 2)}, {"when": __import__("datetime").date(2026, 11, 23)}, {1: "x"}, float("nan")])
def test_values_json_cannot_give_back_exactly_are_never_remembered(value):
    assert section_cache.section_key("s", value) is None


def test_equal_looking_values_of_other_types_get_other_keys():
    keys = {section_cache.section_key("s", v) for v in (1, 1.0, True, "1", [1], {"1": 1})}
    assert len(keys) == 6 and None not in keys


def test_an_unknown_key_beside_remembered_sections_still_lists_every_allowed_key(empty_cache):
    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
    schema_problems(_doc(text), profile_schema())
    problems, _ = schema_problems(_doc(text + "bogus: 1\n"), profile_schema())
    assert problems == _uncached(_doc(text + "bogus: 1\n"))[0]
    assert [p.message for p in problems] == [
        "unknown key; allowed keys here: the 16 keys listed in docs/profile.md or by baselinegen schema --format markdown"]
