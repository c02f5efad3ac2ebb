"""Any name, description or tag the schema accepts comes back unchanged from the rendered Terraform."""

from __future__ import annotations

import hcl2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baselinegen import api
from baselinegen.components.iam.schema import IAM_GROUP_NAME_RE, IAM_USER_NAME_RE, POLICY_DESCRIPTION_RE
from baselinegen.profile.schema import TAG_KEY_RE, TAG_VALUE_RE
from baselinegen.validate.hclcheck import blocks, serialization_options

from test_hcl_escaping import _decode_hcl_string


def _text(value: str) -> str:
    return _decode_hcl_string(value[1:-1])


def _files(profile_yaml: str, tmp_path) -> dict[str, dict]:
    path = tmp_path / "p.yaml"
    path.write_text(profile_yaml, encoding="utf-8")
    loaded = api.load_profile(path)
    result = api.render_tree(loaded.profile)
    api.verify(result, loaded.profile)
    return {f.path: hcl2.loads(f.content, serialization_options=serialization_options()) for f in result.files if f.path.endswith(".tf")}


def _yaml_string(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    group_name=st.from_regex(IAM_GROUP_NAME_RE, fullmatch=True),
    user_name=st.from_regex(IAM_USER_NAME_RE, fullmatch=True),
    description=st.from_regex(POLICY_DESCRIPTION_RE, fullmatch=True).map(lambda s: s[:1000]),
    tag_key=st.from_regex(TAG_KEY_RE, fullmatch=True),
    tag_value=st.from_regex(TAG_VALUE_RE, fullmatch=True),
)
def test_names_descriptions_and_tags_come_back_unchanged(tmp_path, group_name, user_name, description, tag_key, tag_value):
    profile = f"""
version: 1
organization:
  name: acme
  home_region: us-east-1
  regions: [us-east-1]
  tags: {{{_yaml_string(tag_key)}: {_yaml_string(tag_value)}}}
iam:
  groups:
    - name: {_yaml_string(group_name)}
      duty: operator
      description: {_yaml_string(description)}
  users:
    - name: {_yaml_string(user_name)}
      groups: [{_yaml_string(group_name)}]
      tags: {{{_yaml_string(tag_key)}: {_yaml_string(tag_value)}}}
detection:
  guardduty: {{enabled: false}}  # its detectors take ASCII tag keys only (E258); the test is about every key the schema takes
"""
    files = _files(profile, tmp_path)
    provider = files["providers.tf"]["provider"][0]['"aws"']
    default_tags = {_text(k): _text(v) for k, v in provider["default_tags"][0]["tags"].items()}
    assert default_tags[tag_key] == tag_value

    main = files["modules/iam/main.tf"]
    groups = [body for type_, _, body in blocks(main, "resource") if type_ == "aws_iam_group"]
    assert [_text(g["name"]) for g in groups] == [group_name]
    users = [body for type_, _, body in blocks(main, "resource") if type_ == "aws_iam_user"]
    assert [_text(u["name"]) for u in users] == [user_name]
    assert {_text(k): _text(v) for k, v in users[0]["tags"].items()} == {tag_key: tag_value}

    policies = files["modules/iam/policies.tf"]
    descriptions = [_text(body["description"]) for type_, name, body in blocks(policies, "resource")
                    if type_ == "aws_iam_policy" and name not in ("boundary", "mfa")]
    # never the profile's description (IAM cannot change a policy's description: a rewording would replace it), the
    # group's name and duty, exactly as given
    assert descriptions and set(descriptions) == {f"{group_name}: start/stop/reboot, Session Manager, alarms and logs"}
