"""A renamed account (accounts[].renamed_from, W430) is not adopted again: the review's Imports section says that the
placement keeps its place through the moved block (not "adopted" under the new key and "removed" under the old one),
and the import blocks of the account's own root, which move with the root, say nothing."""

from __future__ import annotations

import pytest

from baselinegen import api
from baselinegen.review import build_review, format_review
from conftest import EXAMPLES

BROWNFIELD = (EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8")
RENAMED = ("  - name: payments-staging\n", "  - name: payments-test\n    renamed_from: [payments-staging]\n")
PLACEMENT = "module.governance.aws_organizations_account.member"
LINE = (f'accounts/management: Organizations account payments-staging renamed to payments-test: keeps its place, '
        f'through the moved block (`{PLACEMENT}["payments-staging"]` → `{PLACEMENT}["payments-test"]`): nothing is '
        "created or destroyed; its import block follows the new name and imports the resource only if no apply has "
        "imported it yet")


def _files(text: str, folder) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profile.yaml").write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(folder / "profile.yaml").profile).files}


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    base = tmp_path_factory.mktemp("rename-imports")
    assert RENAMED[0] in BROWNFIELD
    return _files(BROWNFIELD, base / "old"), _files(BROWNFIELD.replace(*RENAMED, 1), base / "new")


def test_a_renamed_accounts_placement_is_said_to_keep_its_place_through_the_moved_block(trees):
    review = build_review(*trees)
    assert review.imports == (LINE,)
    assert not [line for line in review.imports if "adopted" in line or "import block removed" in line]


def test_the_renamed_accounts_own_import_blocks_move_with_its_root_and_say_nothing(trees):
    old, new = trees
    assert "aws_iam_account_password_policy" in old["accounts/payments-staging/imports.tf"]
    assert old["accounts/payments-staging/imports.tf"] == new["accounts/payments-test/imports.tf"]
    assert not [line for line in build_review(old, new).imports if "password policy" in line]


def test_the_imports_section_of_each_format_carries_the_line(trees):
    review = build_review(*trees)
    assert f"Imports (1):\n  - {LINE}" in format_review(review, "text")
    assert f"### Imports (1)\n\n- {LINE}" in format_review(review, "markdown")


def test_an_account_replaced_by_another_is_still_one_import_removed_and_one_added(trees, tmp_path):
    other = BROWNFIELD.replace("  - name: payments-staging\n    id: \"060000000006\"\n",
                               "  - name: payments-test\n    id: \"070000000007\"\n", 1)
    assert other != BROWNFIELD
    lines = build_review(trees[0], _files(other, tmp_path / "other")).imports
    assert any(line.startswith("accounts/management: Organizations account: adopted") and '["payments-test"]' in line
               for line in lines)
    assert any(line.startswith("accounts/management: Organizations account: import block removed")
               and '["payments-staging"]' in line for line in lines)
    assert LINE not in lines
