"""The same change in many account roots is one summary line (review/fanout.py): "every account: …", or "same change
in N accounts `a`, `b`, …: …" from three accounts on; lines that differ only by their account's name or id are merged
with <account> / <account id> in their place. The json format keeps every address."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.review import build_review, format_review
from baselinegen.review.fanout import fan_out
from baselinegen.review.model import Change

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from synth import profile_text, synthetic_profile  # noqa: E402

SHAPE = dict(accounts=6, regions=2, job_functions=6, users=8)  # management, log-archive, security, identity, app-0000/1
ROOTS = ("app-0000", "app-0001", "identity", "log-archive", "management", "security")


def _files(folder: Path, name: str, profile: dict) -> dict[str, str]:
    path = folder / f"{name}.yaml"
    path.write_text(profile_text(profile), encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


@pytest.fixture(scope="module")
def organisation(tmp_path_factory) -> dict[str, str]:
    return _files(tmp_path_factory.mktemp("fanout"), "synth", synthetic_profile(**SHAPE))


def _changed(tmp_path: Path, **edits) -> dict[str, str]:
    profile = synthetic_profile(**SHAPE, cost_center=edits.pop("cost_center", "1234"))
    if "state_bucket" in edits:
        profile["state"]["bucket"] = edits.pop("state_bucket")
    if "production_delay_days" in edits:
        profile["patching"]["production_delay_days"] = edits.pop("production_delay_days")
    assert not edits
    return _files(tmp_path, "changed", profile)


def _summary_text(review) -> list[str]:
    text = format_review(review, "text")
    return text[text.index("Security summary"):text.index("\n\n")].splitlines()


def test_a_default_tag_changed_in_every_account_is_one_line_for_every_account(organisation, tmp_path):
    review = build_review(organisation, _changed(tmp_path, cost_center="5678"))
    assert _summary_text(review) == [
        "Security summary (1):",
        "  - every account: provider `aws`: changed: default_tags.tags.CostCenter 1234 → 5678"]
    markdown = format_review(review, "markdown")
    assert markdown[markdown.index("### Security summary"):markdown.index("### Files")] == (
        "### Security summary (1)\n\n- every account: provider `aws`: changed: default\\_tags.tags.CostCenter 1234 → 5678\n\n")
    (line,) = json.loads(format_review(review, "json"))["summary"]
    assert line["addresses"] == [f"accounts/{a}:" for a in ROOTS] + ["bootstrap:"]  # every root, each once


def test_a_change_in_three_accounts_says_same_change_in_3_accounts_once(organisation, tmp_path):
    """The workloads and the identity account are patched: a later production day changes their three roots alike."""
    review = build_review(organisation, _changed(tmp_path, production_delay_days=3))
    named = "same change in 3 accounts `app-0000`, `app-0001`, `identity`"
    assert _summary_text(review) == [
        "Security summary (3):",
        f"  - {named}: patch baseline `production/amazon-linux-2023`: approval delay 9 days → 10 days (weaker)",
        f"  - {named}: patch baseline `production/windows`: approval delay 9 days → 10 days (weaker)",
        f"  - {named}: patch group `production`: schedule offset 2 days → 3 days"]
    lines = json.loads(format_review(review, "json"))["summary"]
    assert [sorted({a.split(":")[0] for a in line["addresses"]}) for line in lines] == [
        ["accounts/app-0000", "accounts/app-0001", "accounts/identity"]] * 3


def test_a_state_bucket_move_is_one_line_with_the_account_in_place_of_each_name(organisation, tmp_path):
    """Each account root's state key names its account: six lines that differ only by it are one."""
    review = build_review(organisation, _changed(tmp_path, state_bucket="synth-state-2"))
    state = [c for c in review.summary if c.area == "state"]
    assert [c.text for c in state] == [
        "every account: state moves from s3://synth-terraform-state/accounts/<account>/terraform.tfstate (ap-northeast-1) "
        "to s3://synth-state-2/accounts/<account>/terraform.tfstate (ap-northeast-1): a state migration you carry out, "
        "`terraform init -migrate-state` (answer yes) in `accounts/<account>` before the next plan; until then "
        "Terraform refuses to plan there",
        "state moves from s3://synth-terraform-state/bootstrap/terraform.tfstate (ap-northeast-1) to "
        "s3://synth-state-2/bootstrap/terraform.tfstate (ap-northeast-1): a state migration you carry out, "
        "`terraform init -migrate-state` (answer yes) in `bootstrap` before the next plan; until then Terraform "
        "refuses to plan there"]
    assert state[0].addresses == tuple(f"accounts/{a}/backend.tf" for a in ROOTS)
    markdown = format_review(review, "markdown")
    assert "- every account: state moves from s3://synth-terraform-state/accounts/&lt;account&gt;/terraform.tfstate" in markdown


# --------------------------------------------------------------------------------------------------------------
# fan_out on its own: which lines merge, how they read
# --------------------------------------------------------------------------------------------------------------
EVERY = {f"app-{n:02d}" for n in range(10)} | {"management"}
IDS = {f"app-{n:02d}": f"7000000000{n:02d}" for n in range(10)}


def _role_line(n: int) -> Change:
    name = f"app-{n:02d}"
    return Change("job_roles", "changed", f"role `deploy` trust: arn:aws:iam::{IDS[name]}:root → the CI role of {name}",
                  (f"accounts/{name}:module.job_roles.aws_iam_role.deploy",))


def test_lines_that_differ_only_by_their_account_merge_from_three_accounts_on_naming_the_first_five():
    merged = fan_out([_role_line(n) for n in range(7)], EVERY, IDS)
    assert [c.text for c in merged] == [
        "same change in 7 accounts `app-00`, `app-01`, `app-02`, `app-03`, `app-04`, …: role `deploy` trust: "
        "arn:aws:iam::<account id>:root → the CI role of <account>"]
    assert merged[0].addresses == tuple(f"accounts/app-{n:02d}:module.job_roles.aws_iam_role.deploy" for n in range(7))


def test_two_accounts_keep_a_line_each_and_every_account_is_said_so():
    assert [c.text for c in fan_out([_role_line(0), _role_line(1)], EVERY, IDS)] == [
        "account `app-00`: role `deploy` trust: arn:aws:iam::700000000000:root → the CI role of app-00",
        "account `app-01`: role `deploy` trust: arn:aws:iam::700000000001:root → the CI role of app-01"]
    every = fan_out([_role_line(n) for n in range(10)], {f"app-{n:02d}" for n in range(10)}, IDS)
    assert [c.text for c in every] == ["every account: role `deploy` trust: arn:aws:iam::<account id>:root → the CI role of <account>"]


def test_a_line_in_several_accounts_already_merged_by_its_text_names_them_the_same_way():
    line = Change("kms", "changed", "KMS key `logs`: deletion window 30 days → 20 days (weaker)",
                  tuple(f"accounts/app-{n:02d}:module.kms.aws_kms_key.logs" for n in (3, 1, 2)))
    two = Change("kms", "changed", "KMS key `data`: rotation off (weaker)",
                 ("accounts/app-01:module.kms.aws_kms_key.data", "accounts/app-02:module.kms.aws_kms_key.data"))
    assert [c.text for c in fan_out([line, two], EVERY, IDS)] == [
        "same change in 3 accounts `app-03`, `app-01`, `app-02`: KMS key `logs`: deletion window 30 days → 20 days (weaker)",
        "accounts `app-01`, `app-02`: KMS key `data`: rotation off (weaker)"]


def test_lines_about_accounts_themselves_and_lines_outside_account_roots_stay_as_they_are():
    added = [Change("accounts", "added", f"account {IDS[f'app-{n:02d}']} (app-{n:02d}) added: Region ap-northeast-1",
                    (f"accounts/app-{n:02d}:",)) for n in range(4)]
    bootstrap = Change("root", "changed", "bucket `state`: versioning off (weaker)", ("bootstrap:aws_s3_bucket_versioning.state",))
    assert fan_out(added + [bootstrap], EVERY, IDS) == tuple(added) + (bootstrap,)


def test_an_account_name_inside_a_longer_name_is_not_the_account():
    """Account ``app`` is not the ``app`` of ``app-01``: that one stays in the merged line."""
    lines = [Change("iam", "changed", f"role of {name} trusts app-01", (f"accounts/{name}:module.iam.aws_iam_role.x",))
             for name in ("app", "web", "api")]
    merged = fan_out(lines, {"app", "web", "api", "db"}, {})
    assert [c.text for c in merged] == ["same change in 3 accounts `app`, `web`, `api`: role of <account> trusts app-01"]
    unnamed = [Change("state", "changed", f"state of {name}-store moves", (f"accounts/{name}/backend.tf",)) for name in ("app", "web", "api")]
    assert fan_out(unnamed, {"app", "web", "api", "db"}, {}, name=False) == tuple(unnamed)  # no name of its own: kept
