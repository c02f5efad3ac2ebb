"""Alike account roots are reviewed once (review/alike.py): the review of a synthetic organisation whose workload
roots differ only by their names and ids is the review of every root, for changes of every kind."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

import baselinegen.review.build as review
from baselinegen import api
from baselinegen.review import build_review
from baselinegen.review.alike import Alike, Unlike
from baselinegen.review.model import Change, Replacement

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from synth import profile_text, synthetic_profile  # noqa: E402

SHAPE = dict(accounts=16, regions=2, job_functions=6, users=8)  # twelve workload accounts in three units


def _files(folder: Path, name: str, profile: dict) -> dict[str, str]:
    path = folder / name / "synth.yaml"  # one file name: every generated file names the profile it came from
    path.parent.mkdir()
    path.write_text(profile_text(profile), encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


def _edited(edit) -> dict:
    profile = copy.deepcopy(synthetic_profile(**SHAPE))
    edit(profile)
    return profile


def _set(path: tuple, value):
    def edit(profile):
        where = profile
        for key in path[:-1]:
            where = where[key]
        where[path[-1]] = value
    return edit


CHANGES = {
    "a default tag changed (the providers of every root)": _set(("organization", "tags", "CostCenter"), "5678"),
    "the patch delay changed (a module every workload calls)": _set(("patching", "production_delay_days"), 5),
    "the state bucket changed (every root's backend)": _set(("state", "bucket"), "synth-state-2"),
    "a Region added (every root's Regions)": lambda p: (p["organization"]["regions"].append("us-west-2"),
                                                        [a.pop("regions", None) for a in p["accounts"]]),
    "the password policy changed (the job roles of every account)":
        lambda p: p["iam"].setdefault("password_policy", {}).update(minimum_length=20),
    "a workload account removed": lambda p: p["accounts"].pop(),
    "the custom alarm's threshold changed (the security account only)":
        lambda p: p["monitoring"]["alarms"]["custom"][0].update(threshold=5),
}


@pytest.fixture(scope="module")
def organisation(tmp_path_factory) -> dict[str, str]:
    return _files(tmp_path_factory.mktemp("alike"), "synth", synthetic_profile(**SHAPE))


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_review_of_the_representatives_is_the_review_of_every_root(organisation, tmp_path, change):
    new = _files(tmp_path, "changed", _edited(CHANGES[change]))
    found = build_review(organisation, new)
    assert found == build_review(organisation, new, every_root=True)
    assert found.summary


@pytest.mark.parametrize("change", ["the patch delay changed (a module every workload calls)",
                                    "the password policy changed (the job roles of every account)"])
def test_a_change_to_a_module_every_workload_calls_indexes_one_root_of_each_group(organisation, tmp_path, change):
    new = _files(tmp_path, "changed", _edited(CHANGES[change]))
    old_tree, new_tree, alike = review._indexed(organisation, new, review._changed_folders(organisation, new))
    workloads = {p.split("/")[1] for p in new if p.startswith("accounts/app-")}
    indexed = {m.partition(":")[0][len("accounts/"):] for m in new_tree.modules if m.startswith("accounts/app-")}
    assert len(alike.skipped) >= 8 and {root[len("accounts/"):] for root in alike.skipped} == workloads - indexed
    assert len(indexed) <= 4  # one per unit (and per set of adopted parts)


VALUES = {"app-0000": "app-0001", "700000000000": "700000000001"}


def _alike() -> Alike:
    return Alike(members={"accounts/app-0000": [("accounts/app-0001", VALUES)]})


def test_a_line_about_a_representative_is_said_for_each_member_with_its_name_and_id():
    line = Change("iam", "changed", "role `arn:aws:iam::700000000000:role/x` in app-0000", ("accounts/app-0000:module.iam.aws_iam_role.x",))
    other = Change("iam", "changed", "something else", ("accounts/identity:aws_iam_role.y",))
    assert _alike().expand_changes([(line, 3), (other, 4)]) == [
        (line, 3),
        (Change("iam", "changed", "role `arn:aws:iam::700000000001:role/x` in app-0001", ("accounts/app-0001:module.iam.aws_iam_role.x",)), 3),
        (other, 4)]


def test_a_line_about_a_representative_and_another_root_at_once_means_every_root_is_reviewed():
    line = Change("iam", "changed", "x", ("accounts/app-0000:aws_iam_role.x", "accounts/identity:aws_iam_role.y"))
    with pytest.raises(Unlike):
        _alike().expand_changes([(line, 0)])
    with pytest.raises(Unlike):
        _alike().expand_lines([Change("iam", "changed", "role `app-0000-x` is recreated", ("accounts/app-0000:aws_iam_role.x",))])


def test_destroyed_moved_and_replaced_addresses_get_the_members_and_stay_sorted():
    alike = _alike()
    assert alike.expand_addresses(("accounts/app-0000:aws_s3_bucket.b", "accounts/identity:aws_s3_bucket.c")) == (
        "accounts/app-0000:aws_s3_bucket.b", "accounts/app-0001:aws_s3_bucket.b", "accounts/identity:aws_s3_bucket.c")
    assert alike.expand_moves((("accounts/app-0000:a.b", "accounts/app-0000:a.c"),)) == (
        ("accounts/app-0000:a.b", "accounts/app-0000:a.c"), ("accounts/app-0001:a.b", "accounts/app-0001:a.c"))
    replaced = (Replacement("accounts/app-0000:aws_iam_role.r", "name", "old-700000000000", "new"),)
    assert alike.expand_replaced(replaced) == replaced + (
        Replacement("accounts/app-0001:aws_iam_role.r", "name", "old-700000000001", "new"),)
    line = Change("iam", "changed", "role `r` is recreated", ("accounts/app-0000:aws_iam_role.r", "accounts/identity:aws_iam_role.r"))
    assert alike.expand_lines([line]) == (Change("iam", "changed", "role `r` is recreated", (
        "accounts/app-0000:aws_iam_role.r", "accounts/app-0001:aws_iam_role.r", "accounts/identity:aws_iam_role.r")),)


def test_an_unlike_line_reviews_every_root_and_gives_the_same_review(organisation, tmp_path, monkeypatch):
    new = _files(tmp_path, "changed", _edited(CHANGES["the patch delay changed (a module every workload calls)"]))
    expected = build_review(organisation, new, every_root=True)

    def unlike(self, changes):
        raise Unlike("a line that names its account")

    monkeypatch.setattr(Alike, "expand_changes", unlike)
    assert build_review(organisation, new) == expected


def test_roots_that_changed_themselves_are_not_grouped(organisation, tmp_path):
    # a Region added changes every root's own locals: lines about a reach or an enrolment may weigh a root against others
    new = _files(tmp_path, "changed", _edited(CHANGES["a Region added (every root's Regions)"]))
    _, _, alike = review._indexed(organisation, new, review._changed_folders(organisation, new))
    assert alike.skipped == set()
