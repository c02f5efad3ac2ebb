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
    control = next(c for c, v in catalog().items() if v.customizable and c not in PARAMETERS)
    assert _problems(write_profile, ORG + f"    control_parameters: {{{control}: {{someParameter: 3}}}}\n") == [
        f"12:33: detection.security_hub.control_parameters.{control}: the parameters of {control} are not in baselinegen's catalog: their "
        "names and values are not checked here (Security Hub rejects a wrong one at apply) [W473]"]


def test_the_module_readme_shows_the_catalog_title_of_each_disabled_control(tmp_path):
    api.render(api.load_profile.__globals__["Path"](__file__).parent.parent / "examples" / "acme.yaml", tmp_path / "out")
    readme = (tmp_path / "out" / "modules" / "detection" / "README.md").read_text(encoding="utf-8")
    assert "| `IAM.6` | Hardware MFA should be enabled for the root user | aws-foundational, cis-1.4 |" in readme
