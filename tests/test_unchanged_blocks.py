"""The replacement check leaves out the blocks nothing they are made of changed in (review/unchanged_blocks.py): the
review is the same as when every instance is resolved; a change that reaches a block only through a local, a
variable, a module's output, another resource's argument or a replaced resource's computed attribute is still found;
the instances a change does not reach are not resolved."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.review import build, build_review, replacements

from conftest import EXAMPLES, REPO, spy, write_acme

sys.path.insert(0, str(REPO / "bench"))
from synth import profile_text, synthetic_profile  # noqa: E402

SHAPE = dict(accounts=6, regions=2, job_functions=6, users=8)


def _files(path: Path) -> dict[str, str]:
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


def _synth(folder: Path, name: str, **changes) -> dict[str, str]:
    path = folder / f"{name}.yaml"
    path.write_text(profile_text(synthetic_profile(**{**SHAPE, **changes})), encoding="utf-8")
    return _files(path)


def _in_full(monkeypatch) -> None:
    """From now on, build_review resolves every instance."""
    real = replacements.replaced
    monkeypatch.setattr(build, "replaced", lambda old, new, moves: real(old, new, moves, skip_unchanged=False))


def _same_review_both_ways(before: dict[str, str], after: dict[str, str], monkeypatch):
    skipping = build_review(before, after)
    _in_full(monkeypatch)
    assert build_review(before, after) == skipping
    return skipping


@pytest.mark.parametrize("changes, replaces", [
    ([("  name: acme\n", "  name: acme-corp\n")], True),  # in the names of policies, roles, topics, buckets
    ([("- name: InfraAdmins", "- name: PlatformAdmins"), ("groups: [InfraAdmins]", "groups: [PlatformAdmins]")], False),  # destroyed and created
    ([("minimum_length: 14", "minimum_length: 16")], False),  # in place
])
def test_an_example_changed_gives_the_review_of_every_instance_resolved(tmp_path, monkeypatch, changes, replaces):
    review = _same_review_both_ways(_files(EXAMPLES / "acme.yaml"), _files(write_acme(tmp_path / "acme.yaml", *changes)), monkeypatch)
    assert bool(review.replaced) is replaces


@pytest.mark.parametrize("changes", [dict(users=9), dict(cost_center="5678"), dict(job_functions=5), dict(accounts=7)])
def test_an_organisation_changed_gives_the_review_of_every_instance_resolved(tmp_path, monkeypatch, changes):
    _same_review_both_ways(_synth(tmp_path, "before"), _synth(tmp_path, "after", **changes), monkeypatch)


def test_a_new_user_resolves_no_account_assignment(tmp_path, monkeypatch):
    before, after = _synth(tmp_path, "before"), _synth(tmp_path, "after", users=SHAPE["users"] + 1)
    resolved = spy(monkeypatch, replacements.Resolver, "argument", lambda self, block, key, path: block.type)
    build_review(before, after)
    assert "aws_ssoadmin_account_assignment" not in resolved
    _in_full(monkeypatch)
    build_review(before, after)
    assert "aws_ssoadmin_account_assignment" in resolved, "resolved when every instance is"


ROOT = """module "m" {
  source = "./modules/m"
  prefix = "%s"
}

resource "aws_iam_role" "from_output" {
  name               = module.m.role_name
  assume_role_policy = "{}"
}
"""
LOCALS = """locals {
  role = "%s"
}
"""
MODULE = """variable "prefix" {
  type = string
}

output "role_name" {
  value = "${var.prefix}-role"
}

resource "aws_iam_policy" "p" {
  name   = "${var.prefix}-policy"
  policy = "{}"
}

resource "aws_iam_role" "r" {
  name               = local.role
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = aws_iam_policy.p.arn
}
"""


def _tree(prefix: str, role: str) -> dict[str, str]:
    return {"main.tf": ROOT % prefix, "modules/m/locals.tf": LOCALS % role, "modules/m/main.tf": MODULE}


def test_a_local_in_another_file_reaches_the_blocks_that_name_it_and_those_that_name_them(monkeypatch):
    review = _same_review_both_ways(_tree("a", "x"), _tree("a", "y"), monkeypatch)
    assert [(r.address, r.argument, r.old, r.new) for r in review.replaced] == [
        ("module.m.aws_iam_role.r", "name", "x", "y"),
        ("module.m.aws_iam_role_policy_attachment.a", "role", "x", "y")]


def test_a_call_argument_reaches_a_variable_an_output_and_a_replaced_resources_computed_attribute(monkeypatch):
    review = _same_review_both_ways(_tree("a", "x"), _tree("b", "x"), monkeypatch)
    assert [(r.address, r.argument, r.old, r.new) for r in review.replaced] == [
        ("aws_iam_role.from_output", "name", "a-role", "b-role"),
        ("module.m.aws_iam_policy.p", "name", "a-policy", "b-policy"),
        ("module.m.aws_iam_role_policy_attachment.a", "policy_arn", "arn of module.m.aws_iam_policy.p", "(known after apply)")]


def test_blocks_a_change_does_not_reach_are_not_resolved(monkeypatch):
    resolved = spy(monkeypatch, replacements.Resolver, "argument", lambda self, block, key, path: block.address)
    build_review(_tree("a", "x"), _tree("a", "y"))
    assert sorted(set(resolved)) == ["module.m.aws_iam_role.r", "module.m.aws_iam_role_policy_attachment.a"]
