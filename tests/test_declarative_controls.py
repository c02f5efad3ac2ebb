"""The controls report judges the CIS "EC2 metadata service only allows IMDSv2" item (v3.0.0 5.6, v5.0.0 5.7, v6.0.0
and v7.0.0 6.7) from the declarative EC2 policies of governance.policies, account by account: a declarative policy
reaches the management account too (components/governance/declarative_controls.py), and sets a default for new
instances only, so the item stays partial; the review's Benchmark block moves when such a policy comes or goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.components.governance.declarative_controls import http_tokens
from baselinegen.policy_presets import PRESETS
from baselinegen.review import build_review

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ACME_ORG = EXAMPLES / "acme-org.yaml"
POLICY = "module.governance.aws_organizations_policy.{} (management)"
RULE = "module.config.aws_config_config_rule.this (every account): Config rule `ec2-imdsv2-check`"
LEFT = "instances launched before, or launched asking for IMDSv1, keep it (the Config rule reports them)"
MANUAL = "require IMDSv2 (http_tokens = required) on every EC2 instance and launch template"
ORG_ADVICE = "; preset ec2-imdsv2 (governance.policies) makes it every account's default"
IDS = {"cis-3.0": "5.6", "cis-5.0": "5.7", "cis-6.0": "6.7", "cis-7.0": "6.7"}


def _profile(folder: Path, policies, files: dict[str, dict] | None = None, benchmark: str | None = None) -> Path:
    """acme-org.yaml with governance.policies' declarative EC2 entries replaced by ``policies``."""
    data = yaml.safe_load(ACME_ORG.read_text(encoding="utf-8"))
    governance = data["governance"]
    governance["policies"] = [p for p in governance["policies"] if p["type"] != "declarative-ec2"] + list(policies)
    if benchmark:
        data["monitoring"]["alarms"]["benchmark"] = benchmark
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in (files or {}).items():
        (folder / name).write_text(json.dumps(body), encoding="utf-8")
    path = folder / "acme-org.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _imds(path: Path, benchmark: str = "cis-5.0") -> tuple:
    result = next(r for r in api.controls(path, benchmark=benchmark).results if r.id == IDS[benchmark])
    v = result.verdict
    return v.status, v.key, v.detail, v.evidence


def _ec2(name: str, preset: str, *attach: str) -> dict:
    return {"name": name, "type": "declarative-ec2", "preset": preset, "attach": list(attach)}


def test_the_example_policy_on_workloads_leaves_the_other_accounts_named_and_the_management_account_among_them():
    assert _imds(ACME_ORG) == (
        "partial", "governance.policies",
        f"no IMDSv2-only default in 4 accounts (management, log-archive, security, ...): attach preset ec2-imdsv2 to them "
        f"in governance.policies; {LEFT}", (POLICY.format("ec2_defaults"), RULE))


@pytest.mark.parametrize("benchmark", sorted(IDS))
def test_a_policy_on_the_root_reaches_every_account_the_management_account_included_in_every_benchmark(tmp_path, benchmark):
    path = _profile(tmp_path, [_ec2("imds", "ec2-imdsv2", "root")])
    assert _imds(path, benchmark) == (
        "partial", "", f"new instances default to IMDSv2 only in every account and Region (declarative policy imds); {LEFT}",
        (POLICY.format("imds"), RULE))


def test_every_unit_but_not_the_management_account_leaves_exactly_the_management_account(tmp_path):
    path = _profile(tmp_path, [_ec2("imds", "ec2-secure-defaults", "Security", "Infrastructure", "Workloads")])
    assert _imds(path) == (
        "partial", "governance.policies",
        f"no IMDSv2-only default in management: attach preset ec2-imdsv2 to them in governance.policies; {LEFT}",
        (POLICY.format("imds"), RULE))


def test_naming_the_management_account_with_the_units_covers_it_like_the_root(tmp_path):
    path = _profile(tmp_path, [_ec2("imds", "ec2-imdsv2", "Security", "Infrastructure", "Workloads"),
                               _ec2("imds-management", "ec2-secure-defaults", "management")])
    assert _imds(path)[:3] == (
        "partial", "", f"new instances default to IMDSv2 only in every account and Region (declarative policy imds, "
                       f"imds-management); {LEFT}")
    assert _imds(path)[3] == (POLICY.format("imds"), POLICY.format("imds_management"), RULE)


def test_a_policy_file_that_sets_the_default_counts_and_one_that_sets_it_otherwise_is_named(tmp_path):
    optional = {"ec2_attributes": {"instance_metadata_defaults": {"http_tokens": {"@@assign": "optional"}}}}
    path = _profile(tmp_path, [{"name": "imds", "type": "declarative-ec2", "file": "imds.json", "attach": ["root"]},
                               {"name": "legacy-imds", "type": "declarative-ec2", "file": "legacy.json", "attach": ["payments-prod"]}],
                    {"imds.json": PRESETS["ec2-imdsv2"].body, "legacy.json": optional})
    assert _imds(path) == (
        "partial", "governance.policies",
        f"a declarative policy sets http_tokens otherwise in payments-prod (legacy-imds); {LEFT}",
        (POLICY.format("imds"), RULE))


def test_declarative_policies_that_set_no_imds_default_leave_the_item_manual(tmp_path):
    path = _profile(tmp_path, [_ec2("images", "ec2-block-public-images", "root"), _ec2("snapshots", "ec2-block-public-snapshots", "root")])
    assert _imds(path) == ("manual", "", MANUAL + ORG_ADVICE, (RULE,))


def test_a_single_account_is_told_only_what_a_person_must_do():
    result = next(r for r in api.controls(EXAMPLES / "acme.yaml", benchmark="cis-5.0").results if r.id == "5.7")
    assert (result.verdict.status, result.verdict.detail) == ("manual", MANUAL)


def test_only_the_presets_that_set_the_metadata_default_require_imdsv2():
    setting = sorted(name for name, p in PRESETS.items() if p.type == "declarative-ec2" and http_tokens(p.body) == "required")
    assert setting == ["ec2-imdsv2", "ec2-secure-defaults"]
    assert http_tokens({"ec2_attributes": {"instance_metadata_defaults": {"http_tokens": "required"}}}) is None  # no @@assign


def _files(path: Path) -> dict[str, str]:
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


def test_the_review_benchmark_block_moves_when_the_policy_is_attached_and_detached(tmp_path):
    without = _files(_profile(tmp_path / "without", [], benchmark="cis-5.0"))
    with_root = _files(_profile(tmp_path / "root", [_ec2("imds", "ec2-imdsv2", "root")], benchmark="cis-5.0"))
    on_prod = _files(_profile(tmp_path / "prod", [_ec2("imds", "ec2-imdsv2", "Workloads/Prod")], benchmark="cis-5.0"))
    title = "CIS 5.7 EC2 metadata service only allows IMDSv2"
    assert build_review(without, with_root).benchmark == (
        f"{title}: manual → partial (stronger) — new instances default to IMDSv2 only in every account and Region (declarative policy "
        f"imds); {LEFT}",)
    assert build_review(with_root, without).benchmark == (f"{title}: partial → manual (weaker)",)
    assert build_review(with_root, on_prod).benchmark == ()  # partial both sides: the gap is in the controls report
