"""The tag policy preset baseline-tags (issue 21): the baseline's own tag keys spelled one way, the protected tag's one
value, nothing enforced; valid and within size, rendered and attached like any policy. No backup preset ships
(policy_presets/__init__.py says why)."""

from __future__ import annotations

from pathlib import Path

import yaml

from baselinegen import api
from baselinegen.components.governance.org_policies import preset_body
from baselinegen.policy_presets import PRESETS
from baselinegen.policy_presets.quotas import QUOTAS, jsonencode_size
from baselinegen.policy_presets.grammar import minified
from conftest import EXAMPLES


def _data(change=lambda d: None) -> dict:
    document = yaml.safe_load((EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8"))
    change(document)
    return document


def test_the_preset_holds_each_baseline_key_capitalised_and_the_protected_value_only():
    data = _data(lambda d: d["organization"].update(tags={"CostCenter": "1234", "owner": "platform"}))
    assert preset_body(data, "baseline-tags") == {"tags": {
        "managedby": {"tag_key": {"@@assign": "ManagedBy"}},
        "costcenter": {"tag_key": {"@@assign": "CostCenter"}},
        "owner": {"tag_key": {"@@assign": "owner"}},
        "baselinegen:protected": {"tag_key": {"@@assign": "baselinegen:protected"}, "tag_value": {"@@assign": ["true"]}}}}


def test_the_preset_enforces_nothing_and_fits_the_tag_policy_size():
    body = preset_body(_data(), "baseline-tags")
    assert "enforced_for" not in minified(body)
    assert jsonencode_size(minified(body)) <= QUOTAS["tag"].max_characters
    assert PRESETS["baseline-tags"].type == "tag" and "blocks nothing" in PRESETS["baseline-tags"].does


def test_no_backup_preset_ships():
    assert [p.name for p in PRESETS.values() if p.type == "backup"] == []


def test_a_profile_attaches_the_tag_preset_and_the_root_enables_tag_policies(tmp_path: Path):
    document = _data(lambda d: d["governance"]["policies"].append(
        {"name": "tags", "type": "tag", "preset": "baseline-tags", "attach": ["root"]}))
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    files = {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}
    policies = files["modules/governance/organization_policies.tf"]
    assert 'type        = "TAG_POLICY"' in policies and '"baselinegen:protected" = {' in policies
    assert '"TAG_POLICY"]' in files["modules/governance/main.tf"]
