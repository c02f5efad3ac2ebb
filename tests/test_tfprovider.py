"""The stand-in hashicorp/aws provider's own pieces (tests/tfprovider), without Terraform: its typed schema agrees
with the untyped one the schema check uses, values survive the wire, and the data sources the templates read
return what the real ones would."""

from __future__ import annotations

import gzip
import importlib.util
import json

import pytest
from tfplugin_proto import tfplugin6_5_pb2 as pb
from tfprovider import data_sources, planning, provider, schema
from tfprovider.values import UNKNOWN, conform_block, decode, encode

from conftest import REPO


@pytest.fixture(scope="module", autouse=True)
def _schema_cache_in_tmp(tmp_path_factory):
    """The provider's schema caches go to a folder of the session, not the temp folder."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TFPROVIDER_CACHE_DIR", str(tmp_path_factory.mktemp("tfprovider-cache")))
        yield


def _untyped_build():
    spec = importlib.util.spec_from_file_location("untyped_build", REPO / "tests/provider_schema/build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_typed_schema_has_the_types_names_and_modes_of_the_untyped_6x_schema():
    untyped = json.loads(gzip.decompress((REPO / "tests/provider_schema/aws-6.json.gz").read_bytes()))
    typed = schema.load()
    convert = _untyped_build().convert_block
    for table in ("resource_schemas", "data_source_schemas"):
        assert sorted(typed[table]) == sorted(untyped[table])
        assert [t for t in typed[table] if convert(typed[table][t]["block"]) != untyped[table][t]] == []


def test_the_typed_schema_types_the_arguments_the_templates_set():
    kms = schema.resource("aws_kms_key")["attributes"]
    assert (kms["enable_key_rotation"]["type"], kms["rotation_period_in_days"]["type"], kms["region"]) == (
        "bool", "number", {"type": "string", "optional": True, "computed": True})
    statement = schema.data_source("aws_iam_policy_document")["block_types"]["statement"]
    assert (statement["nesting_mode"], statement["block"]["attributes"]["actions"]["type"]) == ("list", ["set", "string"])
    assert "region" not in schema.resource("aws_iam_role")["attributes"]  # IAM is global: no v6 region argument


def test_the_getproviderschema_response_serves_every_type():
    response = pb.GetProviderSchema.Response.FromString(schema.response_bytes())
    assert (len(response.resource_schemas), len(response.data_source_schemas)) == (1506, 607)
    assert response.server_capabilities.get_provider_schema_optional is True
    key = {a.name: a for a in response.resource_schemas["aws_kms_key"].block.attributes}
    assert (json.loads(key["arn"].type), key["arn"].computed, key["arn"].optional) == ("string", True, False)


def test_unknown_values_survive_the_wire_and_refined_unknowns_read_as_unknown():
    value = {"name": "x", "arn": UNKNOWN, "tags": {"a": "b"}, "n": 3}
    assert decode(pb.DynamicValue(msgpack=encode(value))) == value
    refined = b"\x81\xa1a\xd4\x0c\x00"  # {"a": <ext 12: an unknown with refinements>}
    assert decode(pb.DynamicValue(msgpack=refined)) == {"a": UNKNOWN}


def test_a_legacy_json_state_is_shaped_to_the_schema():
    block = schema.resource("aws_iam_group")
    shaped = conform_block({"name": "Admins", "path": "/", "id": "Admins", "retired": 1}, block)
    assert shaped == {"arn": None, "id": "Admins", "name": "Admins", "path": "/", "unique_id": None}


def test_the_account_comes_from_assume_role_then_allowed_account_ids():
    assumed = planning.Settings.from_config({"region": "eu-west-1", "allowed_account_ids": ["222222222222"],
                                             "assume_role": [{"role_arn": "arn:aws:iam::111111111111:role/Deploy"}]})
    allowed = planning.Settings.from_config({"allowed_account_ids": ["333333333333", "222222222222"]})
    assert (assumed.account_id, assumed.region, allowed.account_id, planning.Settings.from_config({}).account_id) == (
        "111111111111", "eu-west-1", "222222222222", "123456789012")


def _statement(**values):
    block = schema.data_source("aws_iam_policy_document")["block_types"]["statement"]["block"]
    return conform_block(values, block)


def test_the_policy_document_renders_statements_over_its_source_documents():
    source = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Keep", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
        {"Sid": "Replace", "Effect": "Allow", "Action": "kms:*", "Resource": "*"}]})
    config = {"source_policy_documents": [source], "statement": [
        _statement(sid="Replace", actions=["kms:Encrypt", "kms:Decrypt"], resources=["*"],
                   principals=[{"type": "Service", "identifiers": ["cloudtrail.amazonaws.com"]}],
                   condition=[{"test": "StringEquals", "variable": "aws:SourceAccount", "values": ["111111111111"]}]),
        _statement(actions=["sts:AssumeRole"], principals=[{"type": "AWS", "identifiers": ["*"]}])]}
    rendered = data_sources.policy_document(config)
    assert json.loads(rendered["json"]) == {"Version": "2012-10-17", "Statement": [
        {"Sid": "Keep", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
        {"Sid": "Replace", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*",
         "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}}},
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}}]}
    assert rendered["minified_json"] == json.dumps(json.loads(rendered["json"]), separators=(",", ":"))


def test_the_organization_has_a_root_and_the_caller_is_the_configured_account():
    settings = planning.Settings(region="ap-northeast-1", account_id="111111111111")
    org = data_sources.read("aws_organizations_organization", schema.data_source("aws_organizations_organization"), {}, settings)
    caller = data_sources.read("aws_caller_identity", schema.data_source("aws_caller_identity"), {"id": None}, settings)
    assert org["roots"][0]["id"].startswith("r-") and org["master_account_id"] == "111111111111"
    assert (caller["account_id"], caller["arn"]) == ("111111111111", "arn:aws:sts::111111111111:assumed-role/terraform/terraform")


def test_an_imported_organisation_is_the_existing_one_with_a_root_and_no_trusted_access():
    """ImportResourceState: the organisation the management root imports has what the real provider reads (its
    root, for the policy attachments); any other type holds only the given id."""
    settings = planning.Settings(account_id="100000000001")
    request = pb.ImportResourceState.Request(type_name="aws_organizations_organization", id="o-a1b2c3d4e5")
    [imported] = provider.import_resource_state(request, None).imported_resources
    state = decode(imported.state)
    assert (state["id"], state["feature_set"], state["aws_service_access_principals"], state["enabled_policy_types"]) == (
        "o-a1b2c3d4e5", "ALL", [], ["SERVICE_CONTROL_POLICY"])
    assert [(r["name"], r["id"].startswith("r-"), r["policy_types"]) for r in state["roots"]] == [
        ("Root", True, [{"status": "ENABLED", "type": "SERVICE_CONTROL_POLICY"}])]
    assert state["arn"] == "arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5"  # the provider's own settings
    assert data_sources.imported("aws_organizations_organization", "o-a1b2c3d4e5", settings)["master_account_id"] == "100000000001"
    group = provider.import_resource_state(pb.ImportResourceState.Request(type_name="aws_iam_group", id="Admins"), None)
    assert {k: v for k, v in decode(group.imported_resources[0].state).items() if v is not None} == {"id": "Admins"}


def test_apply_fills_every_unknown_the_same_way_each_time():
    block = schema.resource("aws_sns_topic")
    settings = planning.Settings(region="eu-west-1", account_id="111111111111", default_tags={"Owner": "sec"})
    planned = planning.plan("aws_sns_topic", block, None, conform_block({"name": "alarms", "tags": {"A": "1"}}, block), settings)
    assert (planned["arn"], planned["id"], planned["region"], planned["tags_all"]) == (
        UNKNOWN, UNKNOWN, "eu-west-1", {"Owner": "sec", "A": "1"})
    applied = planning.apply("aws_sns_topic", block, planned, settings)
    assert (applied["arn"], applied["id"]) == ("arn:aws:sns:eu-west-1:111111111111:topic/alarms", "alarms")
    assert applied == planning.apply("aws_sns_topic", block, planned, settings)
    assert planning.plan("aws_sns_topic", block, applied, applied, settings) == applied
