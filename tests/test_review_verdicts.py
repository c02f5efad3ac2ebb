"""The review's first blocks: the benchmark controls whose verdict a change moves and the profile warnings it adds
or resolves, read from the generated README of both trees; first in every format, never cut from markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.review import Review, build_review, format_review

ACME = (Path(__file__).resolve().parent.parent / "examples" / "acme.yaml").read_text(encoding="utf-8")
WEAKER = ("minimum_length: 14", "minimum_length: 12\n    require_symbols: false")
CIS_18 = ("CIS 1.8 Password policy requires a minimum length of 14 or more: covered → partial (weaker) — "
          "iam.password_policy.minimum_length is 12; CIS asks for 14 or more")
W401_LENGTH = "W401 added: `iam.password_policy.minimum_length`: 12 is below the CIS minimum of 14 characters (weaker)"
W401_SYMBOLS = ("W401 added: `iam.password_policy.require_symbols`: turned off; CIS and this baseline's password policy "
                "require every character class (weaker)")


def _render(tmp_path: Path, name: str, text: str) -> dict[str, str]:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    folder = tmp_path_factory.mktemp("verdicts")
    return _render(folder, "acme", ACME), _render(folder, "weaker", ACME.replace(*WEAKER, 1))


def test_the_generated_readme_lists_the_profile_warnings(trees):
    acme, weaker = trees
    assert "| W439 | `iam.users[7]` | programmatic user 'payments-deploy' is unnecessary" in acme["README.md"]
    assert ("| W401 | `iam.password_policy.minimum_length` | 12 is below the CIS minimum of 14 characters |\n"
            in weaker["README.md"])


def test_a_weaker_password_policy_moves_cis_1_8_and_adds_two_warnings(trees):
    review = build_review(*trees)
    assert review.benchmark == (CIS_18,)
    assert review.warnings == (W401_LENGTH, W401_SYMBOLS)


def test_the_verdict_blocks_come_first_in_text(trees):
    text = format_review(build_review(*trees), "text")
    assert text.startswith(f"Benchmark (1):\n  - {CIS_18}\n\nProfile warnings (2):\n  - {W401_LENGTH}\n  - {W401_SYMBOLS}\n\n"
                           "Security summary (4):\n  - password policy: minimum length 14 → 12 (weaker)\n")


def test_the_verdict_blocks_come_first_in_markdown(trees):
    markdown = format_review(build_review(*trees), "markdown")
    assert markdown.startswith(
        "## baselinegen: what this regeneration changes\n\n"
        "### Benchmark (1)\n\n"
        "- CIS 1.8 Password policy requires a minimum length of 14 or more: covered → partial (weaker) — "
        "iam.password\\_policy.minimum\\_length is 12; CIS asks for 14 or more\n\n"
        "### Profile warnings (2)\n\n"
        "- W401 added: `iam.password_policy.minimum_length`: 12 is below the CIS minimum of 14 characters (weaker)\n"
        "- W401 added: `iam.password_policy.require_symbols`: turned off; CIS and this baseline's password policy require "
        "every character class (weaker)\n\n"
        "### Security summary (4)\n\n")


def test_markdown_cuts_the_summary_but_never_the_verdict_blocks(trees):
    review = build_review(*trees)
    markdown = format_review(review, "markdown", limit=1600)
    assert "### Benchmark (1)\n\n- CIS 1.8 Password policy" in markdown
    assert "- W401 added: `iam.password_policy.require_symbols`" in markdown
    assert "Left out: 4 summary lines" in markdown


def test_json_carries_both_blocks_and_reads_back(trees):
    review = build_review(*trees)
    data = json.loads(format_review(review, "json"))
    assert data["benchmark"] == [CIS_18]
    assert data["warnings"] == [W401_LENGTH, W401_SYMBOLS]
    assert Review.from_dict(data) == review


def test_the_way_back_resolves_the_warnings_and_covers_the_control_again(trees):
    acme, weaker = trees
    review = build_review(weaker, acme)
    assert review.benchmark == ("CIS 1.8 Password policy requires a minimum length of 14 or more: partial → covered (stronger)",)
    assert review.warnings == (
        "W401 resolved: `iam.password_policy.minimum_length`: 12 is below the CIS minimum of 14 characters (stronger)",
        "W401 resolved: `iam.password_policy.require_symbols`: turned off; CIS and this baseline's password policy require "
        "every character class (stronger)")


def test_a_tree_rendered_before_the_warnings_table_gets_no_warnings_block(trees):
    acme, weaker = trees
    start = acme["README.md"].index("## Profile warnings")
    older = dict(acme, **{"README.md": acme["README.md"][:start] + acme["README.md"][acme["README.md"].index("## Accepted findings"):]})
    review = build_review(older, weaker)
    assert review.warnings == () and review.benchmark == (CIS_18,)


def test_another_benchmark_is_one_line_not_every_control(tmp_path, trees):
    acme, _ = trees
    review = build_review(acme, _render(tmp_path, "cis3", ACME.replace("benchmark: cis-1.4 ", "benchmark: cis-3.0 ", 1)))
    assert review.benchmark == ("benchmark CIS AWS Foundations Benchmark v1.4.0 → CIS AWS Foundations Benchmark v3.0.0: "
                                "every verdict is in `baselinegen controls`",)


def test_only_the_readme_changing_still_reports_the_warnings(trees):
    acme, weaker = trees
    review = build_review(acme, dict(acme, **{"README.md": weaker["README.md"]}))
    assert review.summary == () and review.benchmark == (CIS_18,) and len(review.warnings) == 2
