"""Declarative EC2 policies walked against what the baseline runs (issue 21): VPC block public access in
block_bidirectional mode on a workload account the baseline patches warns (W453: instances reach Systems Manager only
through VPC endpoints or exclusions), block_ingress (the presets) does not, an account the baseline does not patch
does not; the values AWS accepts for VPC block public access are checked offline (E311)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.components.governance.component import _view
from baselinegen.components.governance.needs import ec2_conflicts
from baselinegen.components.governance.org_policies import preset_body
from baselinegen.errors import ProfileError
from baselinegen.policy_presets import PRESETS
from conftest import EXAMPLES


def _vpc(mode: str, exclusions: str = "enabled") -> dict:
    return {"ec2_attributes": {"vpc_block_public_access": {"internet_gateway_block": {
        "mode": {"@@assign": mode}, "exclusions_allowed": {"@@assign": exclusions}}}}}


def _path(tmp_path: Path, policy: dict, change=lambda d: None) -> Path:
    document = yaml.safe_load((EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8"))
    document["governance"]["policies"].append({"name": "vpc", "type": "declarative-ec2", "file": "vpc.json", "attach": ["Workloads"]})
    change(document)
    (tmp_path / "vpc.json").write_text(json.dumps(policy), encoding="utf-8")
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def org():
    profile = api.load_profile(EXAMPLES / "acme-org.yaml").profile
    return profile.raw, _view(profile.raw)


def test_blocking_gateways_both_ways_where_the_baseline_patches_is_a_located_warning(tmp_path):
    warnings = [(w.path, w.message, w.code) for w in api.load_profile(_path(tmp_path, _vpc("block_bidirectional"))).warnings
                if w.code == "W453"]
    assert warnings == [("governance.policies[3].file", "policy 'vpc' in account payments-prod: VPC block public access in "
                         "block_bidirectional mode: the instances the baseline patches reach Systems Manager (ssm, ssmmessages, "
                         "ec2messages) and their package repositories only through VPC endpoints or from excluded VPCs and subnets",
                         "W453")]


def test_without_exclusions_the_warning_names_vpc_endpoints_only(org):
    data, view = org
    workload = next(a for a in view.organization.accounts if a.role == "workload")
    assert ec2_conflicts(_vpc("block_bidirectional", "disabled"), view, workload).endswith("only through VPC endpoints")


def test_ingress_only_blocking_and_accounts_the_baseline_does_not_patch_are_left_alone(org):
    data, view = org
    for account in view.organization.accounts:
        assert ec2_conflicts(_vpc("block_ingress"), view, account) is None
        if account.role != "workload":
            assert ec2_conflicts(_vpc("block_bidirectional"), view, account) is None


def test_without_patching_blocking_both_ways_warns_nowhere(tmp_path):
    path = _path(tmp_path, _vpc("block_bidirectional"), lambda d: d.setdefault("patching", {}).update(enabled=False))
    assert [w for w in api.load_profile(path).warnings if w.code == "W453"] == []


@pytest.mark.parametrize("name", sorted(p.name for p in PRESETS.values() if p.type == "declarative-ec2"))
def test_no_declarative_preset_takes_anything_from_the_baseline(org, name):
    data, view = org
    for account in view.organization.accounts:
        assert ec2_conflicts(preset_body(data, name), view, account) is None, account.name


def test_a_vpc_block_public_access_mode_aws_does_not_accept_is_refused_with_the_accepted_ones(tmp_path):
    with pytest.raises(ProfileError) as caught:
        api.load_profile(_path(tmp_path, _vpc("block-bidirectional")))
    assert [(p.path, p.message, p.code) for p in caught.value.problems if p.severity == "error"] == [
        ("governance.policies[3].file", 'vpc.json: ec2_attributes.vpc_block_public_access.internet_gateway_block.mode: '
                                        '{"@@assign": one of off, block_ingress, block_bidirectional}, not '
                                        '{"@@assign": "block-bidirectional"}', "E311")]


def test_a_region_restriction_on_the_ci_entry_account_that_leaves_out_the_state_region_is_refused(tmp_path):
    """The plan role is exempt from no guardrail: it reads and locks the state in state.region before any plan."""
    document = yaml.safe_load((EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8"))
    document["ci"]["account"] = "security"
    next(a for a in document["accounts"] if a["name"] == "security")["regions"] = ["us-east-1"]
    document["governance"]["policies"].append({"name": "virginia", "type": "scp", "preset": "restrict-regions",
                                               "regions": ["us-east-1"], "attach": ["security"]})
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        api.load_profile(path)
    assert [(p.path, p.message, p.code) for p in caught.value.problems if p.code == "E316"] == [
        ("governance.policies[3].preset", "policy 'virginia' denies what the baseline does in account security: the CI plan "
                                          "role acme-baseline-plan: s3:GetObject on the Terraform state in ap-northeast-1 "
                                          "(statement DenyOutsideOrganizationRegions)", "E316")]
