"""governance.adopt_root_access: centralised root access enabled outside Terraform is imported (by the organisation's
id, as the provider documents) instead of enabled, with a located refusal without root_access (issue 21). Terraform
validate and plan with the import: tests/test_governance_terraform.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from baselinegen import api
from baselinegen.errors import ProfileError
from conftest import EXAMPLES


def _path(tmp_path: Path, change) -> Path:
    document = yaml.safe_load((EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _files(path: Path) -> dict[str, str]:
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


def test_adopted_root_access_is_imported_by_the_organisation_id_into_the_management_root(tmp_path):
    files = _files(_path(tmp_path, lambda d: d["governance"].update(adopt_root_access=True)))
    imports = files["accounts/management/imports.tf"]
    assert 'import {\n  to = module.governance.aws_iam_organizations_features.this\n  id = "o-a1b2c3d4e5"\n}' in imports
    assert "governance.adopt_root_access" in files["modules/governance/main.tf"]
    assert 'enabled_features = ["RootCredentialsManagement", "RootSessions"]' in files["modules/governance/main.tf"]
    assert not any("aws_iam_organizations_features" in text for path, text in files.items()
                   if path.endswith("imports.tf") and path != "accounts/management/imports.tf")


def test_without_adopt_root_access_nothing_is_imported(tmp_path):
    files = _files(_path(tmp_path, lambda d: None))
    assert "aws_iam_organizations_features" not in files["accounts/management/imports.tf"]
    assert "adopt_root_access" not in files["modules/governance/main.tf"]


def test_adopting_root_access_without_root_access_is_refused_where_it_is_written(tmp_path):
    def change(d):
        d["governance"].pop("root_access")
        d["governance"]["adopt_root_access"] = True
    with pytest.raises(ProfileError) as caught:
        api.load_profile(_path(tmp_path, change))
    assert [(p.path, p.message, p.code) for p in caught.value.problems if p.severity == "error"] == [
        ("governance.adopt_root_access", "adopting centralised root access needs governance.root_access: centralized (what "
                                         "the apply then keeps enabled); add it, or remove adopt_root_access", "E318")]
    assert caught.value.problems[0].location.line > 1


def test_the_review_lists_the_adoption_as_an_import(tmp_path):
    from baselinegen.review import build_review
    (tmp_path / "a").mkdir()
    old = _files(_path(tmp_path / "a", lambda d: d["governance"].pop("root_access")))
    new = _files(_path(tmp_path, lambda d: d["governance"].update(adopt_root_access=True)))
    review = build_review(old, new)
    assert [line for line in review.imports if "aws_iam_organizations_features" in line] == [
        "accounts/management: Centralised root access: adopted (imported, not created; "
        "`module.governance.aws_iam_organizations_features.this`); settings brought to the profile by the same apply: "
        "enabled_features [RootCredentialsManagement, RootSessions] (the profile's values: the review cannot see the "
        "current ones in AWS; the plan shows those that differ as changes); the import block is safe to remove after that first apply (before it, Terraform would create the resource again)"]


def test_the_summary_says_adopted_root_access_changes_nothing_in_aws(tmp_path):
    from baselinegen.review import build_review
    (tmp_path / "a").mkdir()
    old = _files(_path(tmp_path / "a", lambda d: d["governance"].pop("root_access")))
    adopted = _files(_path(tmp_path, lambda d: d["governance"].update(adopt_root_access=True)))
    lines = [c.text for c in build_review(old, adopted).summary if "centralised root access" in c.text]
    assert lines == ["organisation: centralised root access, already on, now kept on by Terraform "
                     "(governance.adopt_root_access: imported, nothing changes in AWS)"]
    (tmp_path / "b").mkdir()
    enabled = _files(_path(tmp_path / "b", lambda d: None))
    assert [c.text for c in build_review(old, enabled).summary if "centralised root access" in c.text] == [
        "organisation: centralised root access on — member accounts' root credentials managed, and root sessions opened, "
        "only from the management account (stronger)"]
