"""governance.root_access: centralized (the features, trusted access for IAM, the controls' root items left to the
management account, the checklist), and the review's lines for organisation policies per target and for an account's
move between units (issue 21)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.components.governance.component import COMPONENT
from baselinegen.components.governance.invariants import governance_problems
from baselinegen.review import build_review
from baselinegen.validate import hclcheck
from conftest import EXAMPLES

ORG_EXAMPLE = EXAMPLES / "acme-org.yaml"


def _load(tmp_path: Path, change):
    document = yaml.safe_load(ORG_EXAMPLE.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return api.load_profile(path).profile


def _files(profile):
    return [f for out in COMPONENT.render_organization(profile) for f in out.files]


@pytest.fixture(scope="module")
def example():
    profile = api.load_profile(ORG_EXAMPLE).profile
    return profile, {f.path: f.content for f in api.render_tree(profile).files}


def test_centralised_root_access_enables_both_features_after_trusted_access_for_iam(example):
    profile, files = example
    main = files["modules/governance/main.tf"]
    assert ('resource "aws_iam_organizations_features" "this" {\n'
            '  enabled_features = ["RootCredentialsManagement", "RootSessions"]\n\n'
            '  depends_on = [aws_organizations_organization.this]\n}\n') in main
    assert '    "iam.amazonaws.com",\n' in main


def test_without_root_access_nothing_is_rendered_and_iam_is_not_trusted(tmp_path):
    profile = _load(tmp_path, lambda d: d["governance"].pop("root_access"))
    main = next(f.content for f in _files(profile) if f.path == "modules/governance/main.tf")
    assert "aws_iam_organizations_features" not in main and "iam.amazonaws.com" not in main


def test_the_invariants_refuse_root_access_with_one_feature(example):
    profile, _ = example
    files = [type(f)(f.path, f.content.replace('["RootCredentialsManagement", "RootSessions"]', '["RootSessions"]'), f.mode)
             for f in _files(profile)]
    parsed, failures = hclcheck.parse_files(files)
    assert failures == []
    assert governance_problems(parsed, profile, COMPONENT.settings(profile)) == [
        "modules/governance: centralised root access enables ['RootSessions'], the profile needs RootCredentialsManagement and RootSessions"]


def test_the_controls_leave_the_root_credential_items_to_the_management_account(example):
    report = api.controls(ORG_EXAMPLE)
    by_id = {r.id: r.verdict for r in report.results}
    for cid in ("1.4", "1.5", "1.6"):
        assert "the management account only — member accounts have no root credentials" in by_id[cid].detail
        assert by_id[cid].evidence[0] == "module.governance.aws_iam_organizations_features.this (management)"


def _summary(example, tmp_path, change) -> list[str]:
    new = {f.path: f.content for f in api.render_tree(_load(tmp_path, change)).files}
    return [c.text for c in build_review(example[1], new).summary]


def test_the_review_says_root_access_turned_off_is_weaker(example, tmp_path):
    assert _summary(example, tmp_path, lambda d: d["governance"].pop("root_access")) == [
        "organisation: trusted access for `iam.amazonaws.com` removed — AWS Organizations disables that service's integration "
        "in every account (weaker)",
        "organisation: centralised root access off — member accounts' root users may get credentials again, and their MFA "
        "is each account's to keep (weaker)"]


def test_the_review_says_per_target_what_a_policy_change_allows_or_denies(example, tmp_path):
    def change(d):
        d["governance"]["policies"][0]["attach"] = ["Workloads", "Security"]
        d["governance"]["policies"].append({"name": "tokyo", "type": "scp", "preset": "restrict-regions",
                                            "regions": ["ap-northeast-1"], "attach": ["Workloads/NonProd"]})
    assert _summary(example, tmp_path, change) == [
        "organisation: RCP acme-data-perimeter attached to Workloads (stronger)",
        "organisation: RCP acme-data-perimeter attached to Security (stronger)",
        "organisation: RCP acme-data-perimeter detached from root (weaker)",
        "organisation: SCP acme-tokyo created, attached to Workloads/NonProd (stronger)"]


def test_the_review_says_which_regions_a_restriction_now_allows_and_what_a_move_leaves(tmp_path):
    def base(d):
        d["governance"]["policies"].append({"name": "tokyo", "type": "scp", "preset": "restrict-regions",
                                            "regions": ["ap-northeast-1"], "attach": ["Workloads/NonProd"]})
    old = {f.path: f.content for f in api.render_tree(_load(tmp_path / "a" if (tmp_path / "a").mkdir() is None else None, base)).files}

    def changed(d):
        base(d)
        d["governance"]["policies"][-1].update(regions=["ap-northeast-1", "us-east-1"])
        next(a for a in d["accounts"] if a["name"] == "payments-staging")["unit"] = "Workloads/Prod"
    new = {f.path: f.content for f in api.render_tree(_load(tmp_path, changed)).files}
    assert [c.text for c in build_review(old, new).summary] == [
        "organisation: SCP acme-tokyo on Workloads/NonProd: us-east-1 now allowed (weaker)",
        "account 060000000006 (payments-staging) moved Workloads/NonProd → Workloads/Prod; no longer under SCP acme-tokyo (weaker)"]
