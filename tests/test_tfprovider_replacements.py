"""The stand-in provider plans a replacement exactly where the replace-on-change table says the real one does."""

from __future__ import annotations

from tfprovider import planning, provider
from tfprovider.values import UNKNOWN

SETTINGS = planning.Settings(region="eu-west-1")
POLICY = {"name": "acme-payments", "path": "/baseline/", "description": "PaymentsApps: deploy", "policy": "{}", "id": "x"}


def test_a_changed_policy_description_or_name_requires_replacing_the_policy():
    changed = {**POLICY, "description": "PaymentsApps: deploy the payments service", "name": "acme-pay"}
    assert planning.requires_replace("aws_iam_policy", SETTINGS, POLICY, changed) == [["description"], ["name"]]


def test_an_in_place_argument_or_an_unchanged_one_requires_nothing():
    assert planning.requires_replace("aws_iam_policy", SETTINGS, POLICY, {**POLICY, "policy": '{"a": 1}'}) == []
    assert planning.requires_replace("aws_iam_group", SETTINGS, {"name": "a", "path": "/"}, {"name": "b", "path": "/"}) == []


def test_creates_and_destroys_require_no_replacement():
    assert planning.requires_replace("aws_iam_policy", SETTINGS, None, POLICY) == []
    assert planning.requires_replace("aws_iam_policy", SETTINGS, POLICY, None) == []


def test_an_unknown_new_value_of_a_replacing_argument_requires_replacing():
    prior = {"group": "Payments", "policy_arn": "arn:aws:iam::1:policy/a"}
    assert planning.requires_replace("aws_iam_group_policy_attachment", SETTINGS, prior, {**prior, "policy_arn": UNKNOWN}) == [["policy_arn"]]


def test_a_region_change_requires_replacing_but_unset_and_the_provider_region_are_the_same():
    prior = {"name": "baseline", "region": "eu-west-1"}
    assert planning.requires_replace("aws_config_configuration_recorder", SETTINGS, prior, {**prior, "region": "us-east-1"}) == [["region"]]
    assert planning.requires_replace("aws_config_configuration_recorder", SETTINGS, prior, {**prior, "region": None}) == []


def test_a_nested_block_argument_is_followed_element_by_element(monkeypatch):
    monkeypatch.setattr(planning, "replacing_arguments", lambda type_name: ("rule.name",))
    prior = {"rule": [{"name": "a", "days": 1}, {"name": "b", "days": 2}]}
    assert planning.requires_replace("t", SETTINGS, prior, {"rule": [{"name": "a", "days": 9}, {"name": "c", "days": 2}]}) == [["rule", 1, "name"]]
    assert planning.requires_replace("t", SETTINGS, prior, {"rule": [{"name": "a", "days": 1}]}) == [["rule"]]


def test_plan_resource_change_answers_with_attribute_paths(monkeypatch):
    monkeypatch.setattr(provider, "SETTINGS", SETTINGS)
    assert [[s.attribute_name for s in p.steps] for p in provider._replace_paths(
        "aws_cloudwatch_metric_alarm", {"alarm_name": "a"}, {"alarm_name": "b"})] == [["alarm_name"]]
    monkeypatch.setattr(planning, "replacing_arguments", lambda type_name: ("rule.name",))
    [path] = provider._replace_paths("t", {"rule": [{"name": "a"}]}, {"rule": [{"name": "b"}]})
    assert [(s.attribute_name, s.element_key_int) for s in path.steps] == [("rule", 0), ("", 0), ("name", 0)]
    assert path.steps[1].WhichOneof("selector") == "element_key_int"


def test_an_imported_state_without_a_replacing_argument_takes_the_configured_one():
    imported = {"id": "ebs", "key_arn": None}
    assert planning.requires_replace("aws_ebs_default_kms_key", SETTINGS, imported, {"id": "ebs", "key_arn": "arn:k"}) == [["key_arn"]]
    assert planning.requires_replace("aws_ebs_default_kms_key", SETTINGS, imported, {"id": "ebs", "key_arn": "arn:k"},
                                     unset_prior_matches=True) == []
    assert planning.requires_replace("aws_ebs_default_kms_key", SETTINGS, {"id": "ebs", "key_arn": "arn:a"},
                                     {"id": "ebs", "key_arn": "arn:k"}, unset_prior_matches=True) == [["key_arn"]]
