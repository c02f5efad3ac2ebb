"""A changed Security Hub control parameter says which way the control moved: each catalogued parameter has a safer
side or a recorded reason why it has none (catalog/securityhub_parameter_directions.json), and the review line names
the control by its catalog title, in text, markdown and json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.catalog.securityhub import DIRECTION_DATA, PARAMETER_DATA, PARAMETER_RULES, parameter_rule
from baselinegen.review import build_review, format_review
from baselinegen.review.direction import RULES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ACME_ORG = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")
PARAMETERS = "      ACM.1: {daysToExpiration: 45}   # certificates flagged 45 days before they expire, not 30\n"
OLD = PARAMETERS + ("      IAM.7: {MinimumPasswordLength: 14, MaxPasswordAge: 90, RequireSymbols: true}\n"
                    "      EC2.18: {authorizedTcpPorts: [443]}\n"
                    "      APIGateway.8: {authorizationType: AWS_IAM}\n")
NEW = PARAMETERS + ("      IAM.7: {MinimumPasswordLength: 12, MaxPasswordAge: 60, RequireSymbols: false}\n"
                    "      EC2.18: {authorizedTcpPorts: [80, 443]}\n"
                    "      APIGateway.8: {authorizationType: JWT}\n")
IAM_7 = "IAM.7 (Password policies for IAM users should have strong configurations)"
LINES = [f"Security Hub configuration policy `{policy}`: {line}" for policy in ("acme-baseline", "acme-payments") for line in (
    "APIGateway.8 (API Gateway routes should specify an authorization type): authorizationType AWS_IAM → JWT in every account "
    "it reaches",
    "EC2.18 (Security groups should only allow unrestricted incoming traffic for authorized ports): authorizedTcpPorts [443] → "
    "[80, 443] in every account it reaches (weaker)",
    f"{IAM_7}: MaxPasswordAge 90 → 60 in every account it reaches (stronger)",
    f"{IAM_7}: MinimumPasswordLength 14 → 12 in every account it reaches (weaker)",
    f"{IAM_7}: RequireSymbols true → false in every account it reaches (weaker)")]


def _catalogued() -> set[tuple[str, str]]:
    return {(c, n) for c, params in json.loads(PARAMETER_DATA.read_text(encoding="utf-8"))["controls"].items() for n in params}


def test_every_catalogued_parameter_has_a_safer_side_or_a_reason_for_none_never_both():
    data = json.loads(DIRECTION_DATA.read_text(encoding="utf-8"))
    directed = {(c, n) for c, params in data["directed"].items() for n in params}
    undirected = {(c, n) for c, params in data["undirected"].items() for n, why in params.items() if why.strip()}
    assert directed & undirected == set()
    assert directed | undirected == _catalogued()
    assert all(p["why"].strip() for params in data["directed"].values() for p in params.values())


def test_every_safer_side_names_a_rule_of_the_one_table_and_every_rule_is_named():
    used = {parameter_rule(c, n) for c, n in _catalogued()} - {None}
    assert used == set(PARAMETER_RULES)
    assert all(rule in RULES for rule in PARAMETER_RULES)


@pytest.mark.parametrize(("control", "name", "rule"), [
    ("IAM.7", "MinimumPasswordLength", "securityhub.parameter.higher"),
    ("IAM.7", "MaxPasswordAge", "securityhub.parameter.lower"),
    ("CloudWatch.16", "minRetentionTime", "securityhub.parameter.higher"),
    ("Cognito.1", "SecurityMode", "securityhub.parameter.enforcement"),
    ("EC2.18", "authorizedUdpPorts", "securityhub.parameter.fewer"),
    ("RDS.42", "logTypes", "securityhub.parameter.more"),
    ("S3.15", "mode", "securityhub.parameter.object_lock_mode"),
    ("APIGateway.8", "authorizationType", None),
    ("S3.13", "targetExpirationDays", None),
    ("IAM.7", "NoSuchParameter", None),
    ("IAM.99", "MinimumPasswordLength", None)])
def test_a_parameters_rule_follows_what_makes_its_control_stricter(control, name, rule):
    assert parameter_rule(control, name) == rule


def _tree(tmp_path: Path, name: str, text: str) -> dict[str, str]:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parameters")
    assert PARAMETERS in ACME_ORG, "the example's parameters are where the test changes them"
    return build_review(_tree(folder, "old", ACME_ORG.replace(PARAMETERS, OLD)), _tree(folder, "new", ACME_ORG.replace(PARAMETERS, NEW)))


def test_changed_parameters_read_by_effect_with_the_controls_title_and_direction(review):
    assert [c.text.removeprefix("account `security`: ") for c in review.summary if "Security Hub" in c.text] == LINES


def test_changed_parameters_read_the_same_in_text_markdown_and_json(review):
    text, markdown = format_review(review, "text"), format_review(review, "markdown")
    summary = json.loads(format_review(review, "json"))["summary"]
    assert text.startswith(
        "Security summary (10):\n" + "".join(f"  - account `security`: {line}\n" for line in LINES) + "\nFiles (")
    escaped = [line.replace("_", "\\_").replace("[", "\\[").replace("]", "\\]") for line in LINES]
    assert escaped[1] == ("Security Hub configuration policy `acme-baseline`: EC2.18 (Security groups should only allow unrestricted "
                          "incoming traffic for authorized ports): authorizedTcpPorts \\[443\\] → \\[80, 443\\] in every account it "
                          "reaches (weaker)")
    assert markdown.split("### Security summary", 1)[1].startswith(
        " (10)\n\n" + "".join(f"- account `security`: {line}\n" for line in escaped) + "\n### Files (")
    found = [s for s in summary if "Security Hub" in s["text"]]
    assert [s["text"].removeprefix("account `security`: ") for s in found] == LINES
    assert {(s["action"], s["area"]) for s in found} == {("changed", "detection")}
    assert found[3]["addresses"] == ["accounts/security:module.detection.aws_securityhub_configuration_policy.baseline"]


def test_a_parameter_back_to_the_default_says_no_direction(tmp_path):
    old = ACME_ORG.replace(PARAMETERS, OLD)
    new = ACME_ORG.replace(PARAMETERS, OLD.replace("MinimumPasswordLength: 14, ", ""))
    lines = [c.text for c in build_review(_tree(tmp_path, "old", old), _tree(tmp_path, "new", new)).summary if "IAM.7" in c.text]
    assert lines == [f"account `security`: Security Hub configuration policy `{p}`: {IAM_7}: MinimumPasswordLength 14 → default "
                     "in every account it reaches" for p in ("acme-baseline", "acme-payments")]


LISTS_AND_NUMBERS = PARAMETERS + ("      EC2.18: {authorizedTcpPorts: [80, 443]}\n"
                                  "      RDS.14: {BacktrackWindowInHours: 0.5}\n"
                                  "      RDS.42: {logTypes: [audit, error]}\n")


def test_list_and_fractional_parameters_render_as_hcl_lists_and_numbers(tmp_path):
    tree = _tree(tmp_path, "lists", ACME_ORG.replace(PARAMETERS, LISTS_AND_NUMBERS))
    text = tree["modules/detection/security_hub_organization.tf"]
    assert "        int_list {\n            value = [80, 443]\n          }\n" in text
    assert "        double {\n            value = 0.5\n          }\n" in text
    assert '        enum_list {\n            value = ["audit", "error"]\n          }\n' in text


def test_list_and_fractional_parameters_validate_and_plan_with_the_stand_in_provider(tmp_path, terraform_env, terraform_bin):
    from support.terraform_runs import run_root
    profile = tmp_path / "acme-org.yaml"
    profile.write_text(ACME_ORG.replace(PARAMETERS, LISTS_AND_NUMBERS), encoding="utf-8")
    api.render(profile, tmp_path / "tree")
    run = run_root(terraform_bin, tmp_path / "tree", tmp_path / "tree" / "accounts" / "security", terraform_env)
    assert (run.failed, run.validate.get("error_count"), run.validate.get("warning_count")) == (None, 0, 0)
    assert run.planned[1:] == (0, 0) and run.replan_exit == 0
