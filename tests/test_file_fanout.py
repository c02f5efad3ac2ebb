"""The same file change in many account roots is listed once (file_fanout.py): render's and check's lines, check's
and diff's file diffs, from three accounts on, with the number of accounts and the first names; a diff that differs
in anything but the account's own name and id keeps its own entry; the json format keeps every file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from baselinegen.file_fanout import Listed, account_ids, as_any_account, diff_body, listed, named
from baselinegen.review import format_review
from baselinegen.review.model import FileDiff, Review

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from synth import profile_text, synthetic_profile  # noqa: E402

SHAPE = dict(accounts=6, regions=2, job_functions=6, users=8)  # management, log-archive, security, identity, app-0000/1
SIX = "6 accounts: app-0000, app-0001, identity, log-archive, management, …"
TAG_DIFF = ('@@ -14,7 +14,7 @@\n \n   default_tags {\n     tags = {\n-      "CostCenter" = "1234"\n+      "CostCenter" = "5678"\n'
            '       "ManagedBy"  = "baselinegen"\n       "Owner"      = "platform-security"\n     }')


def test_three_account_roots_with_the_same_change_are_one_line_at_the_place_of_the_first():
    paths = ["README.md", "accounts/a/main.tf", "accounts/a/x.tf", "accounts/b/main.tf", "accounts/c/main.tf", "modules/m/main.tf"]
    assert listed(paths, str) == [Listed("README.md"), Listed("accounts/a/main.tf", "main.tf", ("a", "b", "c")),
                                  Listed("accounts/a/x.tf"), Listed("modules/m/main.tf")]
    assert [one.path(one.item) for one in listed(paths, str)] == [
        "README.md", "accounts/<account>/main.tf", "accounts/a/x.tf", "modules/m/main.tf"]


def test_two_account_roots_or_differing_changes_keep_a_line_each():
    paths = ["accounts/a/main.tf", "accounts/b/main.tf", "accounts/c/main.tf"]
    assert listed(paths[:2], str) == [Listed(p) for p in paths[:2]]
    kinds = {"accounts/a/main.tf": "update", "accounts/b/main.tf": "update", "accounts/c/main.tf": "create"}
    assert listed(paths, str, lambda path, account: kinds[path]) == [Listed(p) for p in paths]


def test_accounts_are_counted_and_the_first_five_named():
    assert named(("a", "b", "c")) == "3 accounts: a, b, c"
    assert named(tuple(f"app-{i:04}" for i in range(5000))) == "5,000 accounts: app-0000, app-0001, app-0002, app-0003, app-0004, …"


def test_only_the_accounts_own_name_and_id_become_placeholders():
    text = 'app-1 app-10 my-app-1 app-1/x "111111111111" 1111111111112 222222222222'
    assert as_any_account(text, "app-1", "111111111111") == (
        '<account> app-10 my-app-1 <account>/x "<account id>" 1111111111112 222222222222')
    assert as_any_account("a.b", "a.b", None) == "<account>" and as_any_account("axb", "a.b", None) == "axb"


_PIECES = st.text(alphabet="ab1-_.é9 /\"", max_size=8)


@settings(max_examples=300, deadline=None)
@given(account=st.text(alphabet="ab1-_.é", min_size=1, max_size=4), account_id=st.sampled_from([None, "1", "19", "111111111111"]),
       pieces=st.lists(_PIECES, max_size=6))
def test_the_placeholders_are_put_exactly_where_a_whole_word_pattern_finds_them(account, account_id, pieces):
    """The fast path (a name of word characters) and the pattern (any other name) both give what the definition does."""
    text = account.join(pieces) + (f" {account_id}" if account_id else "")
    expected = re.sub(rf"(?<![\w-]){re.escape(account)}(?![\w-])", "<account>", text)
    if account_id:
        expected = re.sub(rf"(?<!\d){account_id}(?!\d)", "<account id>", expected)
    assert as_any_account(text, account, account_id) == expected


def test_account_ids_come_from_each_roots_provider():
    texts = [("accounts/a/providers.tf", 'allowed_account_ids = ["111111111111"]'),
             ("accounts/b/main.tf", 'allowed_account_ids = ["222222222222"]'),
             ("bootstrap/providers.tf", 'allowed_account_ids = ["333333333333"]')]
    assert account_ids(texts) == {"a": "111111111111"}


def test_a_diff_body_is_the_diff_without_its_file_names():
    assert diff_body("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n") == "@@ -1 +1 @@\n-a\n+b\n"
    assert diff_body("@@ -1 +1 @@\n-a\n") == "@@ -1 +1 @@\n-a\n"


def _diff(account: str, body: str) -> FileDiff:
    return FileDiff(f"accounts/{account}/main.tf", "modified", f"--- a/accounts/{account}/main.tf\n+++ b/accounts/{account}/main.tf\n{body}\n")


def test_the_review_lists_diffs_alike_but_for_the_account_once_and_a_different_one_apart():
    ids = (("a", "111111111111"), ("b", "222222222222"), ("c", "333333333333"), ("d", "444444444444"))
    files = tuple(_diff(name, f'@@ -1 +1 @@\n-x = "{name}:{number}"\n+y = "{name}:{number}"') for name, number in ids[:3])
    files += (_diff("d", '@@ -1 +1 @@\n-x = "d:444444444444"\n+y = "other"'),)
    review = Review(summary=(), destroyed=(), moved=(), files=files, empty=False, account_ids=ids)
    text = format_review(review, "text")
    assert text[text.index("Files"):] == (
        "Files (4):\n"
        "  modified  accounts/<account>/main.tf (+1 -1), the same in 3 accounts: a, b, c\n"
        "  modified  accounts/d/main.tf (+1 -1)\n\n"
        + files[0].diff + "... and the same diff in 2 accounts: b, c (each with its own name and id)\n\n" + files[3].diff)
    assert [f["path"] for f in json.loads(format_review(review, "json"))["files"]] == [f.path for f in files]
    assert "account_ids" not in json.loads(format_review(review, "json"))
    markdown = format_review(review, "markdown")
    assert "<summary><code>accounts/&lt;account&gt;/main.tf</code> — modified (+1 −1), the same in 3 accounts: a, b, c</summary>" in markdown
    assert "```\n\n... and the same diff in 2 accounts: b, c (each with its own name and id)\n\n</details>" in markdown
    assert markdown.count("<details>") == 2


def test_without_the_ids_a_diff_that_holds_its_account_id_keeps_its_own_entry():
    files = tuple(_diff(name, f'@@ -1 +1 @@\n-x = "{number}"\n+y = "{number}"') for name, number in (("a", "1" * 12), ("b", "2" * 12), ("c", "3" * 12)))
    text = format_review(Review(summary=(), destroyed=(), moved=(), files=files, empty=False), "text")
    assert "accounts/<account>" not in text and text.count("\n  modified  accounts/") == 3


def cli(*args, cwd: Path, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baselinegen", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "BASELINEGEN_CACHE_DIR": str(cache)})


@pytest.fixture(scope="module")
def tag_changed(tmp_path_factory) -> Path:
    """The synthetic organisation rendered, then its profile with another default tag (every root's provider)."""
    folder = tmp_path_factory.mktemp("fanout-files")
    profile = folder / "repo" / "profile.yaml"
    profile.parent.mkdir()
    profile.write_text(profile_text(synthetic_profile(**SHAPE)), encoding="utf-8")
    assert cli("render", profile, "-o", folder / "repo", cwd=folder, cache=folder / "cache").returncode == 0
    profile.write_text(profile_text(synthetic_profile(**SHAPE, cost_center="5678")), encoding="utf-8")
    return folder


def test_render_says_the_same_action_in_every_account_root_once(tag_changed):
    result = cli("render", "repo/profile.yaml", "-o", "repo", "--dry-run", cwd=tag_changed, cache=tag_changed / "cache")
    assert result.stdout.splitlines() == [
        f"update    accounts/<account>/providers.tf  (in {SIX})",
        "update    bootstrap/providers.tf",
        "repo: 7 of 128 file(s) would be written, 0 deleted (dry run: nothing was written)"]


def test_check_counts_every_file_and_shows_the_same_diff_once(tag_changed):
    result = cli("check", "repo/profile.yaml", "-o", "repo", cwd=tag_changed, cache=tag_changed / "cache")
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[:3] == ["repo: not up to date (7 file(s)):",
                         f"  out of date    update    accounts/<account>/providers.tf  (in {SIX})",
                         "  out of date    update    bootstrap/providers.tf"]
    assert result.stdout.count("--- ") == 2
    shown = result.stdout[result.stdout.index("--- accounts/"):result.stdout.index("--- bootstrap/")]
    assert shown == ("--- accounts/app-0000/providers.tf (on disk)\n+++ accounts/app-0000/providers.tf (baselinegen)\n"
                     + TAG_DIFF + "\n... and the same diff in 5 accounts: app-0001, identity, log-archive, management, security\n")


def test_diff_lists_the_same_file_diff_once_and_its_json_every_file(tag_changed):
    text = cli("diff", "repo/profile.yaml", "-o", "repo", cwd=tag_changed, cache=tag_changed / "cache").stdout
    assert text[text.index("Files"):text.index("\n\n", text.index("Files"))].splitlines() == [
        "Files (7):", f"  modified  accounts/<account>/providers.tf (+1 -1), the same in {SIX}", "  modified  bootstrap/providers.tf (+1 -1)"]
    assert text.count("\n--- a/") == 2
    data = json.loads(cli("diff", "repo/profile.yaml", "-o", "repo", "--format", "json", cwd=tag_changed, cache=tag_changed / "cache").stdout)
    assert sorted(f["path"] for f in data["files"]) == sorted(
        [f"accounts/{a}/providers.tf" for a in ("app-0000", "app-0001", "identity", "log-archive", "management", "security")]
        + ["bootstrap/providers.tf"])
