"""schema, init, policies, --version, and the CLI's exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import yaml

from conftest import EXAMPLES


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "baselinegen", *args], cwd=cwd, capture_output=True, text=True)


def test_schema_is_a_json_schema_that_accepts_the_example_and_rejects_unknown_keys():
    result = _cli("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    example = yaml.safe_load((EXAMPLES / "acme.yaml").read_text())
    jsonschema.validate(example, schema)
    example["organisation"] = {}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(example))
    assert [e.message for e in errors] == ["Additional properties are not allowed ('organisation' was unexpected)"]
    assert schema["properties"]["iam"]["properties"]["password_policy"]["properties"]["minimum_length"] == {
        "description": "Minimum password length (CIS 1.8); below 14: warning W401.",
        "type": "integer", "minimum": 6, "maximum": 128, "default": 14}
    trail = schema["properties"]["logging"]["properties"]["cloudtrail"]["properties"]
    assert trail["name"]["description"] == ("The trail's name; at most 48 characters, as its CloudWatch Logs delivery role is "
                                            "<name>-cloudwatch-logs (E256). Default: <organization.name>-trail.")  # a default the schema computes
    assert trail["data_events"]["properties"]["s3_buckets"]["examples"] == [["acme-payments-<account>", "acme-exports"]]


def test_init_writes_a_commented_starter_profile_that_validates(tmp_path):
    result = _cli("init", "--preset", "cis-1.4", "-o", "start.yaml", "--name", "globex", "--home-region", "eu-west-1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "start.yaml").read_text()
    assert text.startswith("# baselinegen profile")
    assert "extends: cis-1.4" in text
    check = _cli("validate", "--strict", "start.yaml", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert check.stdout == "start.yaml: valid (0 warning(s))\n"


def test_init_refuses_to_overwrite_and_rejects_unknown_presets(tmp_path):
    (tmp_path / "profile.yaml").write_text("keep me\n")
    assert _cli("init", cwd=tmp_path).stderr == "error: profile.yaml exists; use --force to overwrite it\n"
    assert (tmp_path / "profile.yaml").read_text() == "keep me\n"
    result = _cli("init", "--preset", "nist", "-o", "x.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "error: unknown preset 'nist'; allowed presets: cis-1.4, cis-3.0, cis-5.0, minimal\n"


def test_policies_exports_one_json_document_per_policy_and_an_index(tmp_path):
    result = _cli("policies", str(EXAMPLES / "acme.yaml"), "-o", str(tmp_path / "policies"), "--account-id", "123456789012")
    assert result.returncode == 0, result.stderr
    index = json.loads((tmp_path / "policies" / "index.json").read_text())["accounts"]
    account = index["123456789012"]
    assert (account["account_id"], account["folder"]) == ("123456789012", ".")
    groups = {h["name"] for p in account["policies"] for h in p["holders"] if h["type"] == "group"}
    assert groups == {"Administrators", "IAMAdmins", "InfraAdmins", "Operators", "PaymentsApps", "SecurityAdmins"}
    assert {"arn": "arn:aws:iam::aws:policy/AdministratorAccess",
            "holders": [{"type": "group", "name": "Administrators", "as": "policy"}]} in account["aws_managed"]
    for policy in account["policies"]:
        document = json.loads((tmp_path / "policies" / policy["file"]).read_text())
        assert document["Version"] == "2012-10-17"
        assert "${local." not in json.dumps(document) and "<partition>" not in json.dumps(document)
    holders = {p["name"]: p["holders"] for p in account["policies"]}
    assert holders["acme-payments-deploy-direct"] == [{"type": "user", "name": "payments-deploy", "as": "policy"}]
    assert holders["acme-baseline-apply-boundary"] == [{"type": "role", "name": "acme-baseline-apply", "as": "boundary"}]
    assert holders["acme-baseline-plan-state"] == [{"type": "role", "name": "acme-baseline-plan", "as": "policy"}]  # inline
    assert holders["acme-baseline-plan-trust"] == [{"type": "role", "name": "acme-baseline-plan", "as": "trust"}]
    read = json.loads((tmp_path / "policies" / "acme-baseline-plan-read.json").read_text())
    assert "s3:GetObject" not in read["Statement"][0]["Action"]


def test_policies_rejects_a_malformed_account_id(tmp_path):
    result = _cli("policies", str(EXAMPLES / "acme.yaml"), "-o", str(tmp_path / "p"), "--account-id", "12345")
    assert result.returncode == 1
    assert result.stderr == "error: --account-id '12345' is not valid; allowed: 12 digits 0-9\n"
    assert not (tmp_path / "p").exists()


def test_version_and_help():
    assert _cli("--version").stdout == "baselinegen 0.1.0\n"
    assert "Exit codes: 0 ok, 1 error" in _cli("--help").stdout
