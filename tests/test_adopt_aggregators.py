"""The security account's aggregators that AWS allows once are adoptable (adopt_parts.py): AWS Config's organisation
aggregator by its name, which the baseline's aggregator then keeps, and Security Hub's finding aggregator by its id or
ARN (only AWS knows it). Their import blocks, their located validation (E281, E287, E397, E398), the review's line,
and a Terraform plan (stand-in provider) that imports exactly them and destroys nothing."""

from __future__ import annotations

import pytest

from baselinegen import api
from baselinegen.pipeline import check_profile
from baselinegen.review import build_review
from conftest import EXAMPLES
from support.terraform_runs import local_state, run_root, terraform

ORG = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")
HUB_ID = "1a2b3c4d-0000-4000-8000-0123456789ab"
HUB_ARN = f"arn:aws:securityhub:ap-northeast-1:300000000003:finding-aggregator/{HUB_ID}"
ADOPT = f"    adopt: [{{part: config-aggregator, name: OrgConfigAggregator}}, {{part: security-hub-aggregator, name: '{HUB_ARN}'}}]\n"
SECURITY = "    role: security\n"
DETECTION = "module.detection."


def _write(folder, text: str, name: str = "profile.yaml"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def _files(path) -> dict[str, str]:
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


def _problems(tmp_path, text: str, warnings: bool = False) -> list[str]:
    problems, _ = check_profile(_write(tmp_path, text, "bad.yaml"))
    return [f"{p.code} {p.message}" for p in problems if warnings or not p.code.startswith("W")]


def _adopting(entries: str, role: str = "security") -> str:
    text = ORG.replace(f"    role: {role}\n", f"    role: {role}\n    adopt: [{entries}]\n", 1)
    assert text != ORG
    return text


def test_both_aggregators_are_imported_in_the_security_root_by_name_and_by_arn(tmp_path):
    files = _files(_write(tmp_path, ORG.replace(SECURITY, SECURITY + ADOPT, 1)))
    imports = files["accounts/security/imports.tf"]
    assert (f"import {{\n  to = {DETECTION}aws_config_configuration_aggregator.organization\n  id = \"OrgConfigAggregator\"\n}}"
            in imports)
    assert f"import {{\n  to = {DETECTION}aws_securityhub_finding_aggregator.this\n  id = \"{HUB_ARN}\"\n}}" in imports
    # the baseline's aggregator keeps the adopted name (a new name would replace it)
    assert '  name   = "OrgConfigAggregator"\n' in files["modules/detection/organization.tf"]
    assert '"acme-org-organization"' not in files["modules/detection/organization.tf"]


def test_a_finding_aggregator_given_by_its_id_is_imported_by_its_arn_in_the_home_region(tmp_path):
    files = _files(_write(tmp_path, _adopting(f"{{part: security-hub-aggregator, name: {HUB_ID}}}")))
    assert f'id = "{HUB_ARN}"' in files["accounts/security/imports.tf"]


def test_a_local_configuration_imports_the_counted_finding_aggregator(tmp_path):
    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
    start, end = text.index("\nadopt:"), text.index("\niam:")
    text = text[:start] + f"\nadopt: [{{part: security-hub-aggregator, name: {HUB_ID}}}]\n" + text[end:]
    imports = _files(_write(tmp_path, text))["imports.tf"]
    assert "to = module.detection.aws_securityhub_finding_aggregator.this[0]\n" in imports
    assert ('id = "arn:aws:securityhub:ap-northeast-1:${data.aws_caller_identity.adopt.account_id}:finding-aggregator/'
            f'{HUB_ID}"') in imports


@pytest.mark.parametrize("entries,role,expected", [
    ("security-hub-aggregator", "security",
     "E397 security-hub-aggregator needs the existing aggregator's id, which only AWS knows: {part: security-hub-aggregator, "
     "name: <id or ARN>}, from `aws securityhub list-finding-aggregators` in the home Region"),
    (f"{{part: security-hub-aggregator, name: 'arn:aws:securityhub:us-east-1:300000000003:finding-aggregator/{HUB_ID}'}}",
     "security", "E398 that finding aggregator is in us-east-1, but the baseline's aggregates findings in the home Region "
     "ap-northeast-1: move the aggregation to ap-northeast-1 in Security Hub first (delete that aggregator, then render "
     "without this entry), or set organization.home_region"),
    ("{part: security-hub-aggregator, name: my-aggregator}", "security",
     "E287 'my-aggregator' is not a valid name here: the finding aggregator's id (a UUID such as "
     "1a2b3c4d-0000-4000-8000-0123456789ab) or its whole ARN, as `aws securityhub list-finding-aggregators` prints it"),
    ("{part: config-aggregator, name: 'my aggregator'}", "security",
     "E287 'my aggregator' is not a valid name here: 1 to 256 letters, digits, '_' or '-'"),
    ("config-aggregator", "workload",
     "E281 nothing to adopt: the baseline renders no AWS Config organisation aggregator here (the organisation's AWS "
     "Config organisation aggregator runs in the security account only)"),
    ("{part: config-aggregator, regions: [us-east-1]}", "security", "E283 AWS Config organisation aggregator is global: it has no Regions"),
])
def test_aggregator_entries_are_checked_where_they_are_written(tmp_path, entries, role, expected):
    assert _problems(tmp_path, _adopting(entries, role)) == [expected]


def test_problem_locations_point_at_the_entry(tmp_path):
    path = _write(tmp_path, _adopting("security-hub-aggregator"), "located.yaml")
    [problem] = check_profile(path)[0]
    line = path.read_text(encoding="utf-8").splitlines().index("    adopt: [security-hub-aggregator]") + 1
    assert (problem.code, problem.location.line, problem.location.column, problem.path) == ("E397", line, 13, "accounts[2].adopt[0]")


def test_a_single_account_has_no_organisation_aggregator_and_one_region_no_finding_aggregator(tmp_path):
    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
    start, end = text.index("\nadopt:"), text.index("\niam:")
    single = text[:start] + "\nadopt: [config-aggregator]\n" + text[end:]
    assert _problems(tmp_path, single) == ["E281 nothing to adopt: the baseline renders no AWS Config organisation "
                                           "aggregator here (a single account has no AWS Config organisation aggregator)"]
    one = (text[:start] + f"\nadopt: [{{part: security-hub-aggregator, name: {HUB_ID}}}]\n" + text[end:])
    one = one.replace("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1]", 1)
    assert "regions: [ap-northeast-1]\n" in one
    assert _problems(tmp_path, one) == ["E281 nothing to adopt: the baseline renders no Security Hub finding aggregator here "
                                        "(one Region, no central configuration: nothing to link to the home Region)"]


def test_control_tower_mode_has_no_organisation_aggregator_to_adopt(tmp_path):
    text = (EXAMPLES / "acme-control-tower.yaml").read_text(encoding="utf-8")
    text = text.replace("    role: security\n", "    role: security\n    adopt: [config-aggregator]\n", 1)
    assert "adopt: [config-aggregator]" in text
    assert _problems(tmp_path, text) == [
        "E281 nothing to adopt: the baseline renders no AWS Config organisation aggregator here (organization.control_tower "
        "is on: Control Tower's aggregator in its audit account aggregates the organisation)"]


def test_the_review_lists_the_adopted_aggregators_and_dropping_the_named_one_says_it_is_replaced(tmp_path):
    plain = _files(_write(tmp_path / "plain", ORG))
    adopted = _files(_write(tmp_path / "adopted", ORG.replace(SECURITY, SECURITY + ADOPT, 1)))
    lines = build_review(plain, adopted).imports
    assert lines[0] == (
        f"accounts/security: Config configuration aggregator: adopted (imported, not created; `{DETECTION}"
        "aws_config_configuration_aggregator.organization`); settings brought to the profile by the same apply: "
        "organization_aggregation_source.all_regions true (the profile's values: the review cannot see the current ones "
        "in AWS; the plan shows those that differ as changes); the import block is safe to remove after that first apply "
        "(before it, Terraform would create the resource again)")
    # (its linking mode is an expression of the Regions, known at plan time: the line lists no literal setting)
    assert lines[1] == (f"accounts/security: Security Hub finding aggregator: adopted (imported, not created; "
                        f"`{DETECTION}aws_securityhub_finding_aggregator.this`); its settings are brought to the profile by "
                        "the same apply; the import block is safe to remove after that first apply (before it, Terraform "
                        "would create the resource again)")
    assert len(lines) == 2
    back = build_review(adopted, plain).imports
    assert back[0] == (
        "accounts/security: Config configuration aggregator: import block removed with the adopt entry that named it "
        "`OrgConfigAggregator`: the baseline's name comes back, and a new name replaces the resource "
        f"(`{DETECTION}aws_config_configuration_aggregator.organization`); keep the entry to keep the name (weaker)")
    assert back[1] == ("accounts/security: Security Hub finding aggregator: import block removed: nothing changes in AWS "
                       f"(`{DETECTION}aws_securityhub_finding_aggregator.this`; Terraform keeps managing it once an apply "
                       "imported it)")


def test_the_security_root_plans_both_imports_and_destroys_nothing(tmp_path, terraform_env, terraform_bin):
    tree = tmp_path / "tree"
    api.render(_write(tmp_path, ORG.replace(SECURITY, SECURITY + ADOPT, 1)), tree)
    root = tree / "accounts" / "security"
    assert (root / "imports.tf").read_text(encoding="utf-8").count("\nimport {") == 2
    local_state(root)
    terraform(terraform_bin, root, terraform_env, "init", "-input=false", "-no-color")
    run = run_root(terraform_bin, tree, root, terraform_env)
    assert run.failed is None, run.failed
    assert run.imported == 2 and run.planned[2] == 0, (run.imported, run.planned)
    assert run.replan_exit == 0, run.replan_output[-3000:]


def test_the_documented_accounts_adopt_example_is_valid_in_an_organisations_security_account(tmp_path):
    import yaml

    from baselinegen.profile.schema import profile_schema

    example = profile_schema()["accounts"]["schema"]["schema"]["adopt"]["meta"]["example"]
    text = ORG.replace(SECURITY, SECURITY + "    adopt: " + yaml.safe_dump(example, default_flow_style=True, width=1000), 1)
    assert {"part": "security-hub-aggregator", "name": HUB_ID} in example
    assert _problems(tmp_path, text, warnings=True) == []
