"""Renaming an account (accounts[].renamed_from, W430): its root folder moves with its state, so the review pairs the
old root with the new one (same account id) and lists a move, not ~97 destroys; the management and security roots
get moved blocks for the resources they key by the account's name (placement, Security Hub and Inspector members).
Terraform's own plan agrees: tests/test_terraform_replacements.py ("acme-org: account renamed")."""

from __future__ import annotations

import json

import pytest

from baselinegen import api
from baselinegen.review import build_review, format_review
from baselinegen.review.account_renames import renamed_accounts, with_new_name
from conftest import EXAMPLES

ORG = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")
ACCOUNT_RENAMED = ("  - name: payments-staging\n", "  - name: payments-test\n    renamed_from: [payments-staging]\n")
# payments-staging leaves the profile and another account (another id) arrives: not a rename
ACCOUNT_REPLACED = ("  - name: payments-staging\n    id: \"060000000006\"\n", "  - name: payments-test\n    id: \"070000000007\"\n")
SECURITY = "accounts/security:module.detection."
MOVES = [
    ("accounts/payments-staging/", "accounts/payments-test/"),
    ('accounts/management:module.governance.aws_organizations_account.member["payments-staging"]',
     'accounts/management:module.governance.aws_organizations_account.member["payments-test"]'),
    (SECURITY + 'aws_inspector2_member_association.this["ap-northeast-1/payments-staging"]',
     SECURITY + 'aws_inspector2_member_association.this["ap-northeast-1/payments-test"]'),
    (SECURITY + 'aws_securityhub_member.this["ap-northeast-1/payments-staging"]',
     SECURITY + 'aws_securityhub_member.this["ap-northeast-1/payments-test"]'),
    (SECURITY + 'aws_securityhub_member.this["us-east-1/payments-staging"]',
     SECURITY + 'aws_securityhub_member.this["us-east-1/payments-test"]'),
]


def org_files(text: str, folder) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "acme-org.yaml").write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(folder / "acme-org.yaml").profile).files}


def changed(change: tuple[str, str]) -> str:
    assert change[0] in ORG, "the profile change must apply"
    return ORG.replace(*change, 1)


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    base = tmp_path_factory.mktemp("account-rename")
    return {"old": org_files(ORG, base / "old"), "renamed": org_files(changed(ACCOUNT_RENAMED), base / "renamed"),
            "replaced": org_files(changed(ACCOUNT_REPLACED), base / "replaced")}


@pytest.fixture(scope="module")
def renamed(trees):
    return build_review(trees["old"], trees["renamed"])


def test_an_account_rename_is_a_move_of_its_root_and_destroys_or_replaces_nothing(renamed):
    assert renamed.destroyed == ()
    assert renamed.replaced == ()
    assert list(renamed.moved) == MOVES


def test_the_summary_says_the_account_was_renamed_not_removed_and_added(renamed):
    texts = [c.text for c in renamed.summary]
    assert texts[0] == ("account `payments-staging` renamed to `payments-test`: its configuration moves from "
                        "accounts/payments-staging/ to accounts/payments-test/ with its state (100 resources keep their "
                        "place, none is destroyed or created again) once the state object is copied as W430 says, "
                        "before the first plan of accounts/payments-test/")
    assert texts[1:] == [
        "account `security`: Security Hub member payments-staging renamed to payments-test: still a member (moved block)",
        "account `security`: Inspector member payments-staging renamed to payments-test: still a member (moved block)",
        "account 060000000006 (payments-staging) renamed to payments-test: still placed by Terraform (moved block)"]


def test_the_shared_roots_get_moved_blocks_for_the_keys_named_after_the_account(trees):
    governance = trees["renamed"]["modules/governance/migrations.tf"]
    assert "# accounts: payments-staging -> payments-test" in governance
    assert ('moved {\n  from = aws_organizations_account.member["payments-staging"]\n'
            '  to   = aws_organizations_account.member["payments-test"]\n}') in governance
    detection = trees["renamed"]["modules/detection/migrations.tf"]
    assert detection.count("moved {") == 3
    assert 'from = aws_securityhub_member.this["us-east-1/payments-staging"]' in detection
    assert "modules/governance/migrations.tf" not in trees["old"]


def test_the_json_format_lists_the_root_move_first(renamed):
    data = json.loads(format_review(renamed, "json"))
    assert data["moved"][0] == ["accounts/payments-staging/", "accounts/payments-test/"]
    assert data["destroyed"] == [] and data["replaced"] == []


def test_another_account_in_place_of_a_removed_one_is_not_a_rename(trees):
    review = build_review(trees["old"], trees["replaced"])
    assert not [m for m in review.moved if m[0].endswith("/")]
    assert len([a for a in review.destroyed if a.startswith("accounts/payments-staging:")]) == 100
    assert 'accounts/management:module.governance.aws_organizations_account.member["payments-staging"]' in review.destroyed


def test_renamed_accounts_pairs_names_by_account_id_only():
    assert renamed_accounts({"a": "1", "b": "2"}, {"c": "1", "b": "2"}) == {"a": "c"}
    assert renamed_accounts({"a": "1"}, {"c": "2"}) == {}
    assert renamed_accounts({"a": "1"}, {"a": "1", "c": "1"}) == {}


def test_the_management_account_renamed_pairs_its_root_though_bootstrap_reaches_the_same_account(trees, tmp_path):
    text = ORG.replace("  - name: management\n", "  - name: org-management\n    renamed_from: [management]\n", 1)
    text = text.replace("state:\n  bucket: acme-org-terraform-state\n  region: ap-northeast-1\n  account: management",
                        "state:\n  bucket: acme-org-terraform-state\n  region: ap-northeast-1\n  account: org-management")
    review = build_review(trees["old"], org_files(text, tmp_path / "management"))
    assert review.moved[0] == ("accounts/management/", "accounts/org-management/")
    assert review.destroyed == () and review.replaced == ()


def test_what_follows_the_account_name_alone_is_not_a_change_of_the_renamed_root():
    body = {"assume_role": [{"session_name": "baselinegen-payments-staging"}], "region": "ap-northeast-1"}
    assert with_new_name(body, "accounts/payments-staging", "accounts/payments-test") == {
        "assume_role": [{"session_name": "baselinegen-payments-test"}], "region": "ap-northeast-1"}
