"""Organisation enrolment of the accounts that already exist (issue 20): the administrator's ``members.tf`` associates
every other account of the profile with Amazon Inspector in each Region both run and activates the profile's scans
there; GuardDuty's organisation configuration enrols every account, existing ones included (ALL); AWS Config's
organisation aggregator reads every account. No manual checklist item remains for them."""

from __future__ import annotations

from pathlib import Path

import yaml

from baselinegen import api
from baselinegen.components.detection.component import COMPONENT
from baselinegen.validate.hclcheck import _parse, unquote

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
OTHERS = {"100000000001", "200000000002", "400000000004", "500000000005"}  # every account but security and staging
NAMES = {"100000000001": "management", "200000000002": "log-archive", "400000000004": "identity",
         "500000000005": "payments-prod", "060000000006": "payments-staging"}


def _detection(path: Path) -> dict[str, str]:
    outs = {out.module.name: out for out in COMPONENT.render_organization(api.load_profile(path).profile)}
    return {f.path.rsplit("/", 1)[1]: f.content for f in outs["detection"].files}, outs["detection"]


def _locals(text: str) -> dict:
    return {k: v for entry in _parse(text).get("locals", []) for k, v in entry.items()}


def _resources(text: str) -> dict:
    return {(t[1:-1], n[1:-1]): body for entry in _parse(text).get("resource", []) for t, inner in entry.items()
            for n, body in inner.items()}


def test_inspector_associates_every_other_account_in_each_region_it_runs():
    files, out = _detection(EXAMPLES / "acme-org.yaml")
    found = _locals(files["members.tf"])
    members = {unquote(k): (unquote(v["region"]), unquote(v["account_id"])) for k, v in found["inspector_members"].items()}
    expected = {(r, a) for r in ("ap-northeast-1", "us-east-1") for a in OTHERS} | {("ap-northeast-1", "060000000006")}
    assert set(members.values()) == expected and all(k == f"{r}/{NAMES[a]}" for k, (r, a) in members.items())
    accounts = {unquote(k): sorted(unquote(a) for a in v) for k, v in found["inspector_member_accounts"].items()}
    assert accounts == {"ap-northeast-1": sorted(OTHERS | {"060000000006"}), "us-east-1": sorted(OTHERS)}
    resources = _resources(files["members.tf"])
    association, enabler = resources[("aws_inspector2_member_association", "this")], resources[("aws_inspector2_enabler", "members")]
    assert (association["for_each"], association["region"], association["account_id"]) == (
        "${local.inspector_members}", "${each.value.region}", "${each.value.account_id}")
    assert (enabler["for_each"], enabler["account_ids"], [unquote(t) for t in enabler["resource_types"]]) == (
        "${local.inspector_member_accounts}", "${each.value}", ["EC2", "ECR", "LAMBDA"])
    assert enabler["depends_on"] == ["${aws_inspector2_member_association.this}"]
    assert list(out.checklist) == []  # Security Hub's members are enrolled in Terraform too (aws_securityhub_member, issue 23)
    row = next(c for c in out.controls if c.what == "Amazon Inspector")
    assert "the profile's 5 other accounts associated as members, new accounts enabled automatically" in row.how


def test_guardduty_enrols_existing_accounts_and_config_aggregates_every_account():
    files, _ = _detection(EXAMPLES / "acme-org.yaml")
    org = _resources(files["organization.tf"])
    assert unquote(org[("aws_guardduty_organization_configuration", "this")]["auto_enable_organization_members"]) == "ALL"
    features = _locals(files["organization.tf"])["guardduty_organization_features"]
    assert {unquote(v) for v in features.values()} <= {"ALL", "NONE"} and "ALL" in {unquote(v) for v in features.values()}
    source = org[("aws_config_configuration_aggregator", "organization")]["organization_aggregation_source"]
    assert (source[0] if isinstance(source, list) else source)["all_regions"] is True


def test_without_inspector_or_other_accounts_there_is_no_members_file(tmp_path):
    data = yaml.safe_load((EXAMPLES / "acme-org.yaml").read_text())
    data["detection"]["inspector"] = {"resource_types": []}
    path = tmp_path / "no-inspector.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert "members.tf" not in _detection(path)[0]
