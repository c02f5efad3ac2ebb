"""Every pattern the profile is checked with spells out its characters: Python's \\w, \\d and \\s also match other
scripts' letters, digits and spaces, and ``re.match`` with ``$`` takes a trailing newline, none of which AWS takes.
The few patterns that take Unicode on purpose are listed here with the reason."""

from __future__ import annotations

import re

import pytest

from baselinegen.components.monitoring.filter_pattern import pattern_problem
from baselinegen.profile.schema import profile_schema
from support.profile_problems import BASE, problems

# Patterns that take Unicode because AWS does (tags) or because the value is free text that never reaches AWS as a name.
UNICODE_ON_PURPOSE = {
    "organization.tags{keys}": "AWS tags take Unicode letters and digits",
    "organization.tags{values}": "AWS tags take Unicode letters and digits",
    "iam.users[].tags{keys}": "AWS tags take Unicode letters and digits",
    "iam.users[].tags{values}": "AWS tags take Unicode letters and digits",
    "iam.groups[].app_tag": "the value of the App tag: a tag value",
    "iam.groups[].statements[].resources[]": "the resource part of an ARN may name S3 objects in any script",
    "iam.users[].statements[].resources[]": "the resource part of an ARN may name S3 objects in any script",
    "accounts[].description": "free text for a comment and the README",
    "governance.policies[].description": "free text: AWS Organizations takes any characters in a policy description",
    "iam.users[].given_name": "a person's name in the Identity Store, in any script",
    "iam.users[].family_name": "a person's name in the Identity Store, in any script",
    "iam.groups[].idp_group": "the display name of a group in the identity provider, in any script",
}


def _patterns(rules: dict, path: str):
    if "regex" in rules:
        yield path, rules["regex"]
    if rules.get("type") == "list" and isinstance(rules.get("schema"), dict):
        yield from _patterns(rules["schema"], path + "[]")
    elif isinstance(rules.get("schema"), dict):
        for name, sub in rules["schema"].items():
            yield from _patterns(sub, f"{path}.{name}" if path else name)
    for key, word in (("keysrules", "keys"), ("valuesrules", "values")):
        if isinstance(rules.get(key), dict):
            yield from _patterns(rules[key], f"{path}{{{word}}}")


def test_profile_patterns_use_ascii_classes_unless_unicode_is_meant():
    found = dict(_patterns({"type": "dict", "schema": profile_schema()}, ""))
    assert len(found) > 40
    unicode_classes = {path for path, pattern in found.items() if re.search(r"\\[wdsWDS]|\[\^", pattern)}
    assert unicode_classes == set(UNICODE_ON_PURPOSE)


TRAILING_AND_FOREIGN_CASES = [
    ("former group name with a trailing newline", "iam:\n  groups:\n    - {name: Ops, duty: operator, renamed_from: [\"Operators\\n\"]}\n",
     ["10:50: iam.groups[0].renamed_from[0]: former group name 'Operators\\n' is not valid; allowed: 1-128 ASCII letters, digits "
      "and + = , . @ _ - (no spaces) [E243]"]),
    ("former user name in another script", "iam:\n  users:\n    - {name: ivan, renamed_from: [иван]}\n",
     ["10:35: iam.users[0].renamed_from[0]: former user name 'иван' is not valid; allowed: 1-64 ASCII letters, digits and + = , . "
      "@ _ - (no spaces) [E243]"]),
    ("patch filter value with a fullwidth letter", "patching:\n  operating_systems: [windows]\n  approval_rules:\n    windows: {PRODUCT: [ＷindowsServer2022]}\n",
     ["11:25: patching.approval_rules.windows.PRODUCT[0]: 'ＷindowsServer2022' is not valid; allowed: 1-64 ASCII letters, digits, "
      "spaces and _ . * + : / - [E117]"]),
]


@pytest.mark.parametrize("extra, expected", [c[1:] for c in TRAILING_AND_FOREIGN_CASES], ids=[c[0] for c in TRAILING_AND_FOREIGN_CASES])
def test_values_with_a_trailing_newline_or_another_script_are_refused(tmp_path, extra, expected):
    assert problems(tmp_path, BASE + extra) == expected


ORGANISATION = BASE.replace("  regions: [us-east-1]\n", "  regions: [us-east-1]\n  id: o-a1b2c3d4e5\n") + """\
iam: {identity_account: management}
accounts:
  - {name: management, id: "111111111111", role: management, description: "%s"}
"""


@pytest.mark.parametrize("description, expected", [
    ("Payments (本番) – production", []),
    ("Payments\\u2028production", ["11:75: accounts[0].description: 'Payments\\u2028production' is not valid; allowed: 1-256 characters on "
                                   "one line (no control characters) [E117]"]),
    ("Payments\\x85production", ["11:75: accounts[0].description: 'Payments\\x85production' is not valid; allowed: 1-256 characters on "
                                 "one line (no control characters) [E117]"]),
], ids=["Unicode text on one line", "a line separator", "a C1 next-line control"])
def test_an_account_description_stays_on_one_line(tmp_path, description, expected):
    assert problems(tmp_path, ORGANISATION % description) == expected


def test_a_rate_schedule_with_a_trailing_newline_is_refused(tmp_path):
    found = problems(tmp_path, BASE + 'patching:\n  production_delay_days: 0\n  schedule: "rate(7 days)\\n"\n')
    assert found == ["10:13: patching.schedule: 'rate(7 days)\\n' is not a maintenance window schedule: write cron(...) with six "
                     "fields or rate(N hours|days) [E236]"]


FILTER_CASES = [
    ("index in Arabic-Indic digits", "{ $.items[٣] = 1 }", "expected an index such as [0] or [*] in the selector $.items[ at character 10"),
    ("property name with a non-ASCII letter", "{ $.eventNamé = X }",
     "expected a comparison operator (=, !=, <, >, <=, >=) or IS / EXISTS / NOT EXISTS after $.eventNam at character 13, found 'é'"),
    ("number in Arabic-Indic digits", "{ $.count > ٣ }", "expected a value after '>' at character 13, found '٣'"),
    ("ASCII index and number", "{ $.items[3] > 2 }", None),
    ("non-ASCII text in quotes", '{ $.userIdentity.userName = "山田" }', None),
]


@pytest.mark.parametrize("pattern, expected", [c[1:] for c in FILTER_CASES], ids=[c[0] for c in FILTER_CASES])
def test_metric_filter_selectors_and_numbers_are_ascii(pattern, expected):
    assert pattern_problem(pattern) == expected
