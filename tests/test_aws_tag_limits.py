"""Tags as AWS takes them: at most 50 on a resource once the provider's default tags (organization.tags and ManagedBy)
and the resource's own (the tags baselinegen adds, an IAM user's tags) are merged; keys of 1-128 and values of 0-256
Unicode letters, digits, spaces and _ . : / = + - @; no key starting with aws:, in any case."""

from __future__ import annotations

import json

import pytest

from support.profile_problems import BASE, problems

KEY_ALLOWED = "1-128 Unicode letters, digits, spaces and _ . : / = + - @, not starting with aws: (in any case)"
VALUE_ALLOWED = "0-256 Unicode letters, digits, spaces and _ . : / = + - @"


def _org_tags(tags: dict) -> str:
    return BASE.replace("  regions: [us-east-1]\n", f"  regions: [us-east-1]\n  tags: {json.dumps(tags, ensure_ascii=False)}\n")


def _numbered(count: int, prefix: str = "Tag") -> dict:
    return {f"{prefix}{i:02d}": "v" for i in range(count)}


def _user_tags(org_count: int, own: dict) -> str:
    return _org_tags(_numbered(org_count)) + f"iam:\n  users:\n    - name: alice\n      tags: {json.dumps(own)}\n"


COUNT_CASES = [
    ("48 organisation tags: with ManagedBy and baselinegen:protected exactly 50", _org_tags(_numbered(48)), []),
    ("49 organisation tags", _org_tags(_numbered(49)),
     ["6:9: organization.tags: 49 tags here, with ManagedBy and the tags baselinegen adds (baselinegen:protected), make 51 tags "
      "on the resources the guardrails protect (KMS keys, the trail, ...); AWS allows 50 per resource: remove 1 [E257]"]),
    ("49 organisation tags that include ManagedBy and baselinegen:protected",
     _org_tags({**_numbered(47), "ManagedBy": "me", "baselinegen:protected": "x"}), []),
    ("47 organisation tags and closed default security groups: with Name exactly 50",
     _org_tags(_numbered(47)) + "encryption: {close_default_security_groups: true}\n", []),
    ("48 organisation tags and closed default security groups",
     _org_tags(_numbered(48)) + "encryption: {close_default_security_groups: true}\n",
     ["6:9: organization.tags: 48 tags here, with ManagedBy and the tags baselinegen adds (Name, baselinegen:protected), make 51 "
      "tags on the closed default security groups; AWS allows 50 per resource: remove 1 [E257]"]),
    ("a user's 40 tags with 9 organisation tags and ManagedBy: exactly 50", _user_tags(9, _numbered(40, "Own")), []),
    ("a user's 41 tags with 9 organisation tags and ManagedBy", _user_tags(9, _numbered(41, "Own")),
     ["12:13: iam.users[0].tags: the user would carry 51 tags: 41 of its own and the 10 default tags (organization.tags and "
      "ManagedBy); AWS allows 50 per resource: remove 1 [E257]"]),
    ("a user's tags that repeat default tags count once", _user_tags(9, {**_numbered(40, "Own"), "Tag00": "w", "ManagedBy": "x"}), []),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in COUNT_CASES], ids=[c[0] for c in COUNT_CASES])
def test_at_most_fifty_tags_on_a_resource_after_merging_default_tags(tmp_path, text, expected):
    assert problems(tmp_path, text) == expected


KEY_AND_VALUE_CASES = [
    ("key of 128 characters", {"k" * 128: "v"}, []),
    ("key of 129 characters", {"k" * 129: "v"}, [f"6:10: organization.tags.{'k' * 60}... (129 characters): this key is not valid; allowed: {KEY_ALLOWED} [E117]"]),
    ("value of 256 characters", {"Owner": "v" * 256}, []),
    ("value of 257 characters", {"Owner": "v" * 257},
     [f"6:19: organization.tags.Owner: '{'v' * 60}'... (257 characters) is not valid; allowed: {VALUE_ALLOWED} [E117]"]),
    ("empty value", {"Owner": ""}, []),
    ("every symbol AWS takes", {"a _.:/=+-@": "b _.:/=+-@"}, []),
    ("Japanese key and value", {"所有者": "山田"}, []),
    ("key starting with aws:", {"aws:owner": "x"},
     [f"6:10: organization.tags.aws:owner: this key is not valid; allowed: {KEY_ALLOWED} [E117]"]),
    ("key starting with AWS: in capitals", {"AWS:owner": "x"},
     [f"6:10: organization.tags.AWS:owner: this key is not valid; allowed: {KEY_ALLOWED} [E117]"]),
    ("key starting with aws without the colon", {"awsome": "x"}, []),
    ("key with an emoji", {"team🙂": "x"}, [f"6:10: organization.tags.team🙂: this key is not valid; allowed: {KEY_ALLOWED} [E117]"]),
    ("value with a no-break space", {"Owner": "a\u00a0b"},
     [f"6:19: organization.tags.Owner: 'a\\xa0b' is not valid; allowed: {VALUE_ALLOWED} [E117]"]),
    ("value with a newline", {"Owner": "a\nb"}, [f"6:19: organization.tags.Owner: 'a\\nb' is not valid; allowed: {VALUE_ALLOWED} [E117]"]),
]


GUARDDUTY_OFF = "detection:\n  guardduty: {enabled: false}\n"


@pytest.mark.parametrize("tags, expected", [c[1:] for c in KEY_AND_VALUE_CASES], ids=[c[0] for c in KEY_AND_VALUE_CASES])
def test_tag_keys_and_values_take_what_aws_takes(tmp_path, tags, expected):
    """Without GuardDuty, whose detectors take fewer characters in tag keys (below)."""
    assert problems(tmp_path, _org_tags(tags) + GUARDDUTY_OFF) == expected


GUARDDUTY_ALLOWED = "with GuardDuty on, default tag keys take ASCII letters, digits and _ . : / = + - only [E258]"
GUARDDUTY_CASES = [
    ("every character GuardDuty and the others take", {"Cost-Center:team/a.b=c+d_h9": "x"}, []),
    ("a space", {"Cost Center": "x"}, ["6:10: organization.tags.Cost Center: GuardDuty refuses the tag key 'Cost Center' on its "
                                       f"detectors, which get the default tags too: it has ' '; {GUARDDUTY_ALLOWED}"]),
    ("an at sign", {"owner@team": "x"}, ["6:10: organization.tags.owner@team: GuardDuty refuses the tag key 'owner@team' on its "
                                         f"detectors, which get the default tags too: it has '@'; {GUARDDUTY_ALLOWED}"]),
    ("Japanese letters", {"所有者": "x"}, ["6:10: organization.tags.所有者: GuardDuty refuses the tag key '所有者' on its detectors, "
                                           f"which get the default tags too: it has '所', '有', '者'; {GUARDDUTY_ALLOWED}"]),
    ("values are not GuardDuty's concern", {"Owner": "山田 @ platform"}, []),
]


@pytest.mark.parametrize("tags, expected", [c[1:] for c in GUARDDUTY_CASES], ids=[c[0] for c in GUARDDUTY_CASES])
def test_default_tag_keys_take_what_guardduty_detectors_take_while_guardduty_is_on(tmp_path, tags, expected):
    assert problems(tmp_path, _org_tags(tags)) == expected


def test_a_users_own_tags_never_reach_a_detector(tmp_path):
    assert problems(tmp_path, BASE + 'iam:\n  users:\n    - name: alice\n      tags: {"Cost Center": x, "所有者": y}\n') == []


def test_a_users_tags_follow_the_same_rules(tmp_path):
    text = BASE + 'iam:\n  users:\n    - name: alice\n      tags: {"Aws:team": x, Owner: "x;y"}\n'
    assert problems(tmp_path, text) == [
        f"11:14: iam.users[0].tags.Aws:team: this key is not valid; allowed: {KEY_ALLOWED} [E117]",
        f"11:36: iam.users[0].tags.Owner: 'x;y' is not valid; allowed: {VALUE_ALLOWED} [E117]",
    ]


def test_no_rendered_resource_carries_more_than_fifty_tags_at_the_limit(tmp_path):
    """The check above counts what the templates add; this render counts what they actually write, so a template that
    adds a tag moves the limit here first."""
    from baselinegen import api
    from baselinegen.validate.hclcheck import blocks, label, parse_files

    text = (_org_tags(_numbered(47)) + "encryption: {close_default_security_groups: true}\n"
            + f"iam:\n  users:\n    - name: ci\n      programmatic: true\n      tags: {json.dumps(_numbered(2, 'Own'))}\n")
    assert problems(tmp_path, text) == []
    parsed, failures = parse_files(api.render_tree(api.load_profile(tmp_path / "profile.yaml").profile).files)
    assert failures == []
    provider = parsed["providers.tf"]["provider"][0]['"aws"']
    defaults = {label(key) for key in provider["default_tags"][0]["tags"]}
    assert len(defaults) == 48  # organization.tags and ManagedBy
    counts = {f"{path}: {type_}.{name}": len(defaults | {label(key) for key in body["tags"]})
              for path, doc in parsed.items() for type_, name, body in blocks(doc, "resource") if isinstance(body.get("tags"), dict)}
    assert max(counts.values()) == 50
    assert {where for where, count in counts.items() if count == 50} == {"modules/guards/main.tf: aws_default_security_group.this",
                                                                         "modules/iam/main.tf: aws_iam_user.ci"}
