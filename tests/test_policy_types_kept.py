"""governance.keep_policy_types: the policy types other tools enabled stay enabled on apply (the imported organisation's
enabled_policy_types is authoritative), with located refusals and warnings, the Terraform it renders, and the
review's word for a type dropped (issue 21)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.errors import ProfileError
from baselinegen.review import build_review
from conftest import EXAMPLES


def _path(tmp_path: Path, change) -> Path:
    document = yaml.safe_load((EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _warnings(path: Path, codes) -> list[str]:
    return [f"{w.path}: {w.message} [{w.code}]" for w in api.load_profile(path).warnings if w.code in codes]


def _errors(path: Path) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        api.load_profile(path)
    return [f"{p.location.line}: {p.path}: {p.message} [{p.code}]" for p in caught.value.problems if p.severity == "error"]


def _main(path: Path) -> str:
    files = {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}
    return files["modules/governance/main.tf"]


def test_kept_types_are_enabled_on_the_root_with_the_ones_the_profile_uses(tmp_path):
    main = _main(_path(tmp_path, lambda d: d["governance"].update(keep_policy_types=["CHATBOT_POLICY", "BACKUP_POLICY"])))
    assert ('  enabled_policy_types = ["BACKUP_POLICY", "CHATBOT_POLICY", "DECLARATIVE_POLICY_EC2", "RESOURCE_CONTROL_POLICY", '
            '"SERVICE_CONTROL_POLICY", "TAG_POLICY"]') in main
    assert "# policies need (governance.keep_policy_types: BACKUP_POLICY, CHATBOT_POLICY);" in main


def test_without_kept_types_only_the_used_ones_are_enabled_and_no_comment_is_written(tmp_path):
    main = _main(_path(tmp_path, lambda d: d["governance"].pop("keep_policy_types")))
    assert '  enabled_policy_types = ["DECLARATIVE_POLICY_EC2", "RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY", "TAG_POLICY"]' in main
    assert "other tools' policies" not in main


def test_a_short_name_or_a_typo_is_refused_at_its_entry_with_the_aws_name(tmp_path):
    path = _path(tmp_path, lambda d: d["governance"].update(keep_policy_types=["tag", "BACKUP_POLICYS", "TAG_POLICY", "TAG_POLICY"]))
    errors = [e.split(": ", 1)[1] for e in _errors(path)]
    assert errors[:3] == [
        "governance.keep_policy_types[0]: 'tag' is not a policy type of AWS Organizations (did you mean 'TAG_POLICY'?); types: "
        "AISERVICES_OPT_OUT_POLICY, BACKUP_POLICY, CHATBOT_POLICY, DECLARATIVE_POLICY_EC2, INSPECTOR_POLICY, "
        "RESOURCE_CONTROL_POLICY, SECURITYHUB_POLICY, SERVICE_CONTROL_POLICY, TAG_POLICY [E317]",
        "governance.keep_policy_types[1]: 'BACKUP_POLICYS' is not a policy type of AWS Organizations (did you mean "
        "'BACKUP_POLICY'?); types: AISERVICES_OPT_OUT_POLICY, BACKUP_POLICY, CHATBOT_POLICY, DECLARATIVE_POLICY_EC2, "
        "INSPECTOR_POLICY, RESOURCE_CONTROL_POLICY, SECURITYHUB_POLICY, SERVICE_CONTROL_POLICY, TAG_POLICY [E317]",
        "governance.keep_policy_types[3]: 'TAG_POLICY' is listed twice [E317]"]


def test_a_type_the_baseline_enables_anyway_is_a_warning_saying_why(tmp_path):
    path = _path(tmp_path, lambda d: d["governance"].update(keep_policy_types=["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]))
    assert _warnings(path, {"W451"}) == [
        "governance.keep_policy_types[0]: 'SERVICE_CONTROL_POLICY' is enabled anyway (service control policies stay enabled "
        "always); remove it here [W451]",
        "governance.keep_policy_types[1]: 'RESOURCE_CONTROL_POLICY' is enabled anyway (governance.policies uses it); remove it here [W451]"]


def test_a_kept_tool_whose_policies_need_a_type_about_to_be_disabled_is_warned_at_its_entry(tmp_path):
    def change(d):
        d["organization"]["keep_service_access"] = list(d["organization"].get("keep_service_access") or []) + ["backup.amazonaws.com"]
        d["governance"].pop("keep_policy_types")
    assert _warnings(_path(tmp_path, change), {"W452"}) == [
        f"organization.keep_service_access[{len(yaml.safe_load((EXAMPLES / 'acme-org.yaml').read_text())['organization'].get('keep_service_access') or [])}]: "
        "'backup.amazonaws.com' is kept, but AWS Backup's organisation backup policies need BACKUP_POLICY, which the first "
        "apply disables (detaching every such policy) unless governance.keep_policy_types lists it [W452]"]

    def kept(d):
        change(d)
        d["governance"]["keep_policy_types"] = ["BACKUP_POLICY"]
    assert _warnings(_path(tmp_path, kept), {"W452"}) == []


def test_dropping_a_kept_type_is_a_weaker_line_that_says_what_aws_detaches(tmp_path):
    (tmp_path / "a").mkdir()
    old = {f.path: f.content for f in api.render_tree(api.load_profile(_path(tmp_path / "a", lambda d: None)).profile).files}
    new = {f.path: f.content for f in api.render_tree(api.load_profile(
        _path(tmp_path, lambda d: d["governance"].pop("keep_policy_types"))).profile).files}
    assert [c.text for c in build_review(old, new).summary] == [
        "organisation: policy type `BACKUP_POLICY` disabled on the root — AWS Organizations detaches every policy of that type "
        "from the root, every OU and every account (weaker)"]


def test_a_kept_tool_is_warned_about_even_without_a_governance_section(tmp_path):
    def change(d):
        d.pop("governance")
        d["organization"]["keep_service_access"] = ["tagpolicies.tag.amazonaws.com"]
    assert _warnings(_path(tmp_path, change), {"W452"}) == [
        "organization.keep_service_access[0]: 'tagpolicies.tag.amazonaws.com' is kept, but tag policies and their "
        "compliance reports need TAG_POLICY, which the first apply disables (detaching every such policy) unless "
        "governance.keep_policy_types lists it [W452]"]
