"""The review printed: text for a terminal, markdown for a pull-request comment (cut to fit), json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.review import Review, build_review, format_review
from baselinegen.review.formats import COMMENT_LIMIT

ACME = Path(__file__).resolve().parent.parent / "examples" / "acme.yaml"


@pytest.fixture(scope="module")
def acme() -> dict[str, str]:
    return {f.path: f.content for f in api.render_tree(api.load_profile(ACME).profile).files}


@pytest.fixture(scope="module")
def alarm_removed(acme) -> Review:
    new = dict(acme)
    alarms = "modules/monitoring/alarms.tf"
    start = acme[alarms].index('    "root-usage" = {')
    end = acme[alarms].index('    "iam-policy-changes" = {')
    new[alarms] = acme[alarms][:start] + acme[alarms][end:]
    new["modules/kms/main.tf"] = acme["modules/kms/main.tf"].replace("enable_key_rotation     = true", "enable_key_rotation     = false")
    new["NOTES.md"] = "a file the new render adds\n"
    del new["modules/patching/README.md"]
    return build_review(acme, new)


def test_text_has_the_summary_then_the_destroys_then_the_diffs(alarm_removed):
    text = format_review(alarm_removed, "text")
    assert text.startswith("Security summary (2):\n"
                           "  - KMS key `logs`: rotation turned off (weaker)\n"
                           "  - alarm `root-usage` removed (weaker)\n"
                           "\nTerraform will destroy (2):\n"
                           '  - CloudWatch Logs metric filter: module.monitoring.aws_cloudwatch_log_metric_filter.this["root-usage"]\n'
                           '  - CloudWatch alarm: module.monitoring.aws_cloudwatch_metric_alarm.this["root-usage"]\n'
                           "\nFiles (4):\n"
                           "  added     NOTES.md (+1 -0)\n"
                           "  modified  modules/kms/main.tf (+1 -1)\n"
                           "  modified  modules/monitoring/alarms.tf (+0 -7)\n"
                           "  removed   modules/patching/README.md (+0 -46)\n")
    assert "\n--- /dev/null\n+++ b/NOTES.md\n@@ -0,0 +1 @@\n+a file the new render adds\n" in text
    assert "\n--- a/modules/patching/README.md\n+++ /dev/null\n" in text


def test_files_added_and_removed_have_their_status(alarm_removed):
    assert [(f.path, f.status) for f in alarm_removed.files] == [
        ("NOTES.md", "added"), ("modules/kms/main.tf", "modified"),
        ("modules/monitoring/alarms.tf", "modified"), ("modules/patching/README.md", "removed")]


def test_markdown_flags_the_destroys_and_folds_each_diff(alarm_removed):
    md = format_review(alarm_removed, "markdown")
    assert md.startswith("## baselinegen: what this regeneration changes\n\n### Security summary (2)\n\n"
                         "- KMS key `logs`: rotation turned off (weaker)\n")
    assert ("\n### ⚠️ Terraform will destroy (2)\n\n"
            '- CloudWatch Logs metric filter: `module.monitoring.aws_cloudwatch_log_metric_filter.this["root-usage"]`\n') in md
    assert "<details>\n<summary><code>modules/kms/main.tf</code> — modified (+1 −1)</summary>\n\n```diff\n--- a/modules/kms/main.tf\n" in md
    assert md.count("<details>") == md.count("</details>") == 4
    assert "Cut to fit" not in md


def test_markdown_escapes_outside_code_spans_and_fences_around_backticks():
    old = {"main.tf": 'resource "aws_iam_group" "x" {\n  name = "X"\n}\n', "doc.md": "x\n"}
    new = {"main.tf": 'resource "aws_iam_group" "x" {\n  name = "X"\n  path = "/a*b*/"\n}\n', "doc.md": "```\ncode\n```\n"}
    md = format_review(build_review(old, new), "markdown")
    assert "- group `X` changed: path set to /a\\*b\\*/\n" in md
    assert "````diff\n" in md and "\n````\n" in md


def test_markdown_is_cut_at_the_comment_limit_with_a_note(acme):
    new = dict(acme)
    new["modules/kms/main.tf"] = acme["modules/kms/main.tf"].replace("enable_key_rotation     = true", "enable_key_rotation     = false")
    new["HUGE.md"] = "".join(f"line {i} of a very long generated document\n" for i in range(4000))
    new["modules/iam/README.md"] = acme["modules/iam/README.md"] + "one more line\n"
    review = build_review(acme, new)
    md = format_review(review, "markdown")
    assert len(md) <= COMMENT_LIMIT
    assert "- KMS key `logs`: rotation turned off (weaker)\n" in md  # the summary is whole
    assert "<summary><code>modules/kms/main.tf</code>" not in md  # files after the huge one are left out too
    assert md.endswith(
        "\n---\n✂️ **Cut to fit a pull-request comment (65,536 characters).** Left out: the diffs of 3 files "
        "(`HUGE.md`, `modules/iam/README.md`, `modules/kms/main.tf`). "
        "See everything with `baselinegen diff PROFILE -o DIR --format text`.\n")
    assert "HUGE.md" in format_review(review, "text")


def test_the_summary_is_cut_last_and_only_when_nothing_else_is_left(acme):
    variant = Path(__file__).resolve().parent / "fixtures" / "variant.yaml"
    review = build_review(acme, {f.path: f.content for f in api.render_tree(api.load_profile(variant).profile).files})
    assert len(format_review(review, "markdown", limit=COMMENT_LIMIT)) <= COMMENT_LIMIT
    # 12,000: the verdict blocks and the 68-line replace list (never cut) take about 9,300, room for some summary lines
    md = format_review(review, "markdown", limit=12000, command="baselinegen diff -o acme-baseline --format text")
    assert len(md) <= 12000
    assert f"\n- {review.summary[0].text}\n" in md  # region `eu-central-1` added (...): the first line stays
    assert md.index("### Benchmark (1)\n\n- benchmark CIS AWS") < md.index("### Security summary")  # never cut
    kept = md.split("### Security summary")[1].split("\n### ⚠️")[0].count("\n- ")
    assert 0 < kept < len(review.summary)
    assert "<details>" not in md and "- CloudWatch alarm:" not in md
    cut = len(review.destroyed) + len(review.imports) + len(review.moved)
    assert (f"Left out: {len(review.summary) - kept} summary lines; {cut} lines of the destroy, import and moved "
            f"lists; the diffs of {len(review.files)} files (") in md
    assert md.endswith("See everything with `baselinegen diff -o acme-baseline --format text`.\n")


def test_json_round_trips_with_sorted_keys(alarm_removed):
    text = format_review(alarm_removed, "json")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert sorted(data) == ["benchmark", "destroyed", "deviations", "empty", "files", "imports", "moved", "notes", "replaced",
                            "summary", "warnings"]
    assert data["summary"][1] == {"action": "removed", "addresses": [
        "module.monitoring.aws_cloudwatch_log_metric_filter.this", "module.monitoring.aws_cloudwatch_metric_alarm.this"],
        "area": "monitoring", "text": "alarm `root-usage` removed (weaker)"}
    assert Review.from_dict(data) == alarm_removed


def test_no_changes(acme):
    review = build_review(acme, dict(acme))
    assert review.empty and review.summary == () and review.files == () and review.destroyed == ()
    assert format_review(review, "text") == "No changes.\n"
    assert format_review(review, "markdown") == "## baselinegen: what this regeneration changes\n\nNo changes.\n"
    assert json.loads(format_review(review, "json")) == {
        "benchmark": [], "destroyed": [], "deviations": [], "empty": True, "files": [], "imports": [], "moved": [], "notes": [],
        "replaced": [], "summary": [], "warnings": []}


def test_documentation_only_changes_have_no_summary_lines(acme):
    new = dict(acme, **{"README.md": acme["README.md"] + "\nA note.\n"})
    review = build_review(acme, new)
    assert not review.empty and review.summary == ()
    assert format_review(review, "text").startswith(
        "Security summary: no resource changes (documentation or formatting only).\n\nFiles (1):\n  modified  README.md (+2 -0)\n")


def test_an_unknown_format_is_refused(alarm_removed):
    with pytest.raises(ValueError, match="unknown review format 'yaml': use text, markdown or json"):
        format_review(alarm_removed, "yaml")
