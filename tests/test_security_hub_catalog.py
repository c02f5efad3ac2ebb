"""The Security Hub control catalog (baselinegen/catalog/securityhub_controls.json + PARAMETERS): its data, and the
checks it drives — unknown control ids (E346, with a suggestion), a control disabled for a standard that does not
contain it (E347), a parameter the control does not take (E348), a value of the wrong type or out of range (E349),
parameters the catalog does not describe (W473) — and the catalog's titles in the generated README."""

from __future__ import annotations

import json
import textwrap

import pytest

from baselinegen import api
from baselinegen.catalog.securityhub import DATA, PARAMETERS, catalog, title
from baselinegen.components.detection.security_hub import BY_ID as STANDARDS

SINGLE = """\
version: 1
organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}
monitoring: {topic: {email: [soc@acme.example]}}
state: {bucket: acme-terraform-state}
detection:
  security_hub:
    standards: [aws-foundational, cis-1.4]
"""
ORG = SINGLE.replace("organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}", textwrap.dedent("""\
    organization: {name: acme, home_region: us-east-1, regions: [us-east-1], id: o-a1b2c3d4e5}
    accounts:
      - {name: management, id: "011111111111", role: management}
      - {name: security, id: "033333333333", role: security}
    iam: {identity_account: security}"""))


def _problems(write_profile, text: str) -> list[str]:
    found, _ = api.check_profile(write_profile(text))
    return [f"{p.location.line}:{p.location.column}: {p.path}: {p.message} [{p.code}]" for p in found if p.code[:3] in ("E34", "W47")]


def test_the_data_file_names_its_source_and_date_and_every_standard_it_uses_is_one_the_profile_can_name():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert "securityhub-controls-reference" in data["source"] and data["retrieved"] == "2026-03-10"
    used = {s for c in catalog().values() for s in c.standards}
    assert used <= set(data["standards"]) and set(STANDARDS) - {"cis-5.0"} <= set(data["standards"])
    assert len(catalog()) == 571


def test_known_controls_carry_their_title_and_standards():
    iam6 = catalog()["IAM.6"]
    assert (iam6.title, iam6.customizable) == ("Hardware MFA should be enabled for the root user", False)
    assert {"aws-foundational", "cis-1.2", "cis-1.4", "cis-3.0", "cis-5.0"} <= set(iam6.standards)
    assert catalog()["ACM.1"].customizable and title("ACM.1") == "Imported and ACM-issued certificates should be renewed after a specified time period"
    assert title("IAM.99") == ""


def test_every_parameter_table_entry_is_a_customisable_control_of_the_catalog():
    assert [c for c in PARAMETERS if c not in catalog() or not catalog()[c].customizable] == []


@pytest.mark.parametrize("disabled, expected", [
    ("{control: IAM.99, reason: Not used in this account at all., standards: [aws-foundational]}",
     ["9:19: detection.security_hub.disabled_controls[0].control: 'IAM.99' is no Security Hub control (did you mean 'IAM.9'?); the "
      "controls are listed in the Security Hub controls reference [E346]"]),
    ("{control: Iam.6, reason: Not used in this account at all., standards: [aws-foundational]}",
     ["9:19: detection.security_hub.disabled_controls[0].control: 'Iam.6' is no Security Hub control (did you mean 'IAM.6'?); the "
      "controls are listed in the Security Hub controls reference [E346]"]),
    ("{control: ACM.1, reason: Not used in this account at all., standards: [aws-foundational, cis-1.4]}",
     ["9:98: detection.security_hub.disabled_controls[0].standards[1]: ACM.1 (Imported and ACM-issued certificates should be renewed "
      "after a specified time period) is not part of cis-1.4; standards that contain it: aws-foundational, nist-800-53, nist-800-171, "
      "pci-dss-4.0.1 [E347]"]),
    ("{control: IAM.6, reason: Root credentials are deleted centrally., standards: [aws-foundational, cis-1.4]}", []),
], ids=["unknown id", "wrong case", "standard without the control", "valid"])
def test_disabled_controls_are_checked_against_the_catalog(write_profile, disabled, expected):
    assert _problems(write_profile, SINGLE + f"    disabled_controls:\n      - {disabled}\n") == expected


@pytest.mark.parametrize("parameters, expected", [
    ("{ACM.1: {daysToExpiration: 45}}", []),
    ("{ACM.1: {daysToExpiration: 400}}",
     ["12:52: detection.security_hub.control_parameters.ACM.1.daysToExpiration: ACM.1 daysToExpiration takes an integer from 14 to 365 [E349]"]),
    ("{ACM.1: {daysToExpire: 45}}",
     ["12:48: detection.security_hub.control_parameters.ACM.1.daysToExpire: ACM.1 has no parameter 'daysToExpire' (did you mean "
      "'daysToExpiration'?); its parameters: daysToExpiration [E348]"]),
    ("{IAM.7: {RequireSymbols: yes-please}}",
     ["12:50: detection.security_hub.control_parameters.IAM.7.RequireSymbols: IAM.7 RequireSymbols takes true or false [E349]"]),
    ("{IAM.6: {x: 1}}", ["12:33: detection.security_hub.control_parameters.IAM.6: IAM.6 (Hardware MFA should be enabled for the root user) "
                         "takes no custom parameters [E348]"]),
    ("{EC2.99: {x: 1}}", ["12:34: detection.security_hub.control_parameters.EC2.99: 'EC2.99' is no Security Hub control (did you mean "
                          "'EC2.9'?); the controls are listed in the Security Hub controls reference [E346]"]),
], ids=["valid", "out of range", "unknown parameter", "wrong type", "control without parameters", "unknown control"])
def test_control_parameters_are_checked_against_the_catalog(write_profile, parameters, expected):
    assert _problems(write_profile, ORG + f"    control_parameters: {parameters}\n") == expected


def test_a_customisable_control_the_catalog_does_not_describe_is_a_warning(write_profile):
    assert _problems(write_profile, ORG + "    control_parameters: {CloudTrail.10: {someParameter: 3}}\n") == [
        "12:41: detection.security_hub.control_parameters.CloudTrail.10: the parameters of CloudTrail.10 are not in baselinegen's "
        "catalog (the stored user guide page has no Parameters table for it): their names and values are not checked here (Security Hub "
        "rejects a wrong one at apply) [W473]"]


def test_the_module_readme_shows_the_catalog_title_of_each_disabled_control(tmp_path):
    api.render(api.load_profile.__globals__["Path"](__file__).parent.parent / "examples" / "acme.yaml", tmp_path / "out")
    readme = (tmp_path / "out" / "modules" / "detection" / "README.md").read_text(encoding="utf-8")
    assert "| `IAM.6` | Hardware MFA should be enabled for the root user | aws-foundational, cis-1.4 |" in readme


def test_every_customisable_control_has_its_parameters_or_a_reason_why_not():
    from baselinegen.catalog.securityhub import UNSOURCED

    customisable = {c for c, v in catalog().items() if v.customizable}
    assert customisable == set(PARAMETERS) | set(UNSOURCED) and not set(PARAMETERS) & set(UNSOURCED)
    assert sorted(UNSOURCED) == ["CloudTrail.10", "EC2.55", "EC2.56", "EC2.57", "EC2.58", "EC2.60", "EFS.8"]
    assert sum(1 for c in PARAMETERS if catalog()[c].standards == ("aws-resource-tagging",)) == 140


@pytest.mark.parametrize("parameters, expected", [
    ("{CloudWatch.16: {minRetentionTime: 365}, Lambda.5: {availabilityZones: 3}, RDS.40: {logTypes: [agent]}}", []),
    ("{CloudWatch.16: {minRetentionTime: 100}}",
     ["12:60: detection.security_hub.control_parameters.CloudWatch.16.minRetentionTime: CloudWatch.16 minRetentionTime takes one of 365, "
      "400, 545, 731, 1827, 3653 [E349]"]),
    ("{Lambda.5: {minAvailabilityZones: 2}}",
     ["12:59: detection.security_hub.control_parameters.Lambda.5.minAvailabilityZones: Lambda.5 has no parameter 'minAvailabilityZones' "
      "(did you mean 'availabilityZones'?); its parameters: availabilityZones [E348]"]),
    ("{IAM.7: {PasswordReusePrevention: 5}}",
     ["12:59: detection.security_hub.control_parameters.IAM.7.PasswordReusePrevention: IAM.7 PasswordReusePrevention takes an integer "
      "from 12 to 24 [E349]"]),
    ("{CloudWatch.15: {alarmActionRequired: false}}",
     ["12:63: detection.security_hub.control_parameters.CloudWatch.15.alarmActionRequired: CloudWatch.15 alarmActionRequired is not "
      "customizable: Security Hub keeps its own value; its customizable parameters: insufficientDataActionRequired, okActionRequired [E348]"]),
    ("{RDS.40: {logTypes: [agent, error, agent]}}",
     ["12:45: detection.security_hub.control_parameters.RDS.40.logTypes: RDS.40 logTypes takes a list (at most 2) of one of agent, error [E349]"]),
    ("{ACM.3: {requiredTagKeys: [Owner, 'aws:cloudformation:stack-name']}}",
     ["12:51: detection.security_hub.control_parameters.ACM.3.requiredTagKeys: ACM.3 requiredTagKeys takes a list (at most 6) of tag keys "
      "(1-128 characters, not starting with aws:) [E349]"]),
    ("{ECR.5: {kmsKeyArns: ['arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab']}}", []),
    ("{ECR.5: {kmsKeyArns: [alias/mine]}}",
     ["12:46: detection.security_hub.control_parameters.ECR.5.kmsKeyArns: ECR.5 kmsKeyArns takes a list (at most 10) of KMS key ARNs [E349]"]),
    ("{RDS.14: {BacktrackWindowInHours: 0.05}}",
     ["12:59: detection.security_hub.control_parameters.RDS.14.BacktrackWindowInHours: RDS.14 BacktrackWindowInHours takes a number from 0.1 "
      "to 72 [E349]"]),
    ("{Kinesis.3: {minimumBackupRetentionPeriod: 12}}",
     ["12:68: detection.security_hub.control_parameters.Kinesis.3.minimumBackupRetentionPeriod: Kinesis.3 minimumBackupRetentionPeriod takes "
      "a whole number from 24 to 8760 [E349]"]),
], ids=["valid", "enum", "renamed parameter", "guide's range", "not customizable", "too many items", "system tag key", "kms arn", "not an arn",
        "double", "number as string"])
def test_the_user_guides_types_and_ranges_are_checked(write_profile, parameters, expected):
    assert _problems(write_profile, ORG + f"    control_parameters: {parameters}\n") == expected


def test_enum_and_numeric_string_parameters_render_as_strings_in_the_policy(tmp_path, write_profile):
    from baselinegen.catalog.securityhub import rendered_value

    assert rendered_value(PARAMETERS["CloudWatch.16"]["minRetentionTime"], 365) == "365"
    assert rendered_value(PARAMETERS["RDS.40"]["logTypes"], ("agent",)) == ["agent"]
    assert rendered_value(PARAMETERS["Kinesis.3"]["minimumBackupRetentionPeriod"], 168) == "168"
    assert rendered_value(PARAMETERS["EC2.18"]["authorizedTcpPorts"], (443,)) == [443]
