"""The review on small hand-built trees: moved blocks, instance keys, parse failures, parsing each text once."""

from __future__ import annotations

import textwrap
from functools import partial

import pytest

from baselinegen import api
from baselinegen.review import build_review, destroyed_between, format_review
from baselinegen.review.destroys import apply_moves
from baselinegen.review.instances import KeyEvaluator
from baselinegen.validate import hclcheck, parse_ahead

from conftest import EXAMPLES, spy

ROOT = 'module "iam" {\n  source = "./modules/iam"\n}\n'


def hcl(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


GROUP_X = hcl('''
    resource "aws_iam_group" "x" {
      name = "X"
      path = "/baseline/"
    }
''')
GROUP_Y = GROUP_X.replace('"x"', '"y"').replace('"X"', '"Y"')
MOVED = hcl('''
    moved {
      from = aws_iam_group.x
      to   = aws_iam_group.y
    }
''')


def test_a_moved_block_prevents_the_destroy_and_reads_as_a_rename():
    old = {"main.tf": ROOT, "modules/iam/main.tf": GROUP_X}
    new = {"main.tf": ROOT, "modules/iam/main.tf": GROUP_Y, "modules/iam/migrations.tf": MOVED}
    review = build_review(old, new)
    assert review.destroyed == ()
    assert review.moved == (("module.iam.aws_iam_group.x", "module.iam.aws_iam_group.y"),)
    assert [c.text for c in review.summary] == ["group `X` renamed to `Y`"]
    assert [(f.path, f.status) for f in review.files] == [("modules/iam/main.tf", "modified"), ("modules/iam/migrations.tf", "added")]
    assert ("\nMoved (Terraform updates these in place instead of destroying them):\n"
            "  - module.iam.aws_iam_group.x → module.iam.aws_iam_group.y\n") in format_review(review, "text")
    assert ("\n### Moved (updated in place, not destroyed)\n\n"
            "- `module.iam.aws_iam_group.x` → `module.iam.aws_iam_group.y`\n") in format_review(review, "markdown")
    assert "Terraform will destroy" not in format_review(review, "markdown")


def test_without_the_moved_block_the_group_is_destroyed():
    old = {"main.tf": ROOT, "modules/iam/main.tf": GROUP_X}
    new = {"main.tf": ROOT, "modules/iam/main.tf": GROUP_Y}
    review = build_review(old, new)
    assert review.destroyed == ("module.iam.aws_iam_group.x",)
    assert review.moved == ()
    assert [c.text for c in review.summary] == ["group `X` removed (no members)", "group `Y` added (no members)"]


def test_a_moved_block_that_no_longer_applies_is_not_listed():
    tree = {"main.tf": ROOT, "modules/iam/main.tf": GROUP_Y, "modules/iam/migrations.tf": MOVED}
    changed = dict(tree, **{"modules/iam/main.tf": GROUP_Y.replace('"Y"', '"Z"')})
    review = build_review(tree, changed)
    assert review.moved == () and review.destroyed == ()
    assert [c.text for c in review.summary] == ["group `Y` renamed to `Z`"]


def test_a_whole_resource_move_carries_every_instance():
    attachments = hcl('''
        resource "aws_iam_group_policy_attachment" "x" {
          for_each = {
            "ReadOnlyAccess" = "arn:aws:iam::aws:policy/ReadOnlyAccess"
            "SecurityAudit"  = "arn:aws:iam::aws:policy/SecurityAudit"
          }

          group      = "X"
          policy_arn = each.value
        }
    ''')
    moved = "moved {\n  from = aws_iam_group_policy_attachment.x\n  to   = aws_iam_group_policy_attachment.y\n}\n"
    old = {"main.tf": ROOT, "modules/iam/main.tf": attachments}
    new = {"main.tf": ROOT, "modules/iam/main.tf": attachments.replace('"x"', '"y"'), "modules/iam/migrations.tf": moved}
    assert build_review(old, new).destroyed == ()
    new_without_one = dict(new, **{"modules/iam/main.tf": new["modules/iam/main.tf"].replace(
        '    "SecurityAudit"  = "arn:aws:iam::aws:policy/SecurityAudit"\n', "")})
    assert build_review(old, new_without_one).destroyed == ('module.iam.aws_iam_group_policy_attachment.x["SecurityAudit"]',)


def test_data_sources_are_never_destroyed():
    old = {"main.tf": 'data "aws_caller_identity" "current" {}\n'}
    review = build_review(old, {"main.tf": "# nothing left\n"})
    assert review.destroyed == () and review.summary == ()


def test_moves_follow_chains_instances_and_whole_modules():
    moves = [("aws_iam_group.a", "aws_iam_group.b"), ("aws_iam_group.b", "aws_iam_group.c"), ("module.old", "module.new")]
    assert apply_moves("aws_iam_group.a", moves) == "aws_iam_group.c"
    assert apply_moves('aws_iam_group.a["k"]', moves) == 'aws_iam_group.c["k"]'
    assert apply_moves("aws_iam_group.ab", moves) == "aws_iam_group.ab"
    assert apply_moves("module.old.aws_kms_key.logs", moves) == "module.new.aws_kms_key.logs"


@pytest.mark.parametrize("for_each, locals_, keys", [
    ({'"a"': 1, '"b"': 2}, {}, ("a", "b")),
    ('${toset(["y", "x"])}', {}, ("x", "y")),
    ("${var.regions}", {}, ("eu-west-1", "us-east-1")),
    ('${setsubtract(var.regions, ["eu-west-1"])}', {}, ("us-east-1",)),
    ("${setsubtract(var.regions, [local.home])}", {"home": '"us-east-1"'}, ("eu-west-1",)),
    ("${local.m}", {"m": {'"k1"': {}, '"k2"': {}}}, ("k1", "k2")),
    ('${{for pair in setproduct(var.regions, keys(local.m)) : "${pair[0]}/${pair[1]}" => {}}}', {"m": {'"k"': {}}},
     ("eu-west-1/k", "us-east-1/k")),
    ("${local.unknown_shape}", {"unknown_shape": "${something(else)}"}, None),
])
def test_for_each_keys_known_statically(for_each, locals_, keys):
    instances = KeyEvaluator(locals_, ("eu-west-1", "us-east-1"), lambda ref: None).instances({"for_each": for_each})
    assert (instances.keys if instances.kind == "keys" else None) == keys


def test_a_home_region_only_filter_is_applied_to_the_keys():
    locals_ = {"rules": {'"global"': {"home_region_only": True}, '"everywhere"': {"home_region_only": False}}}
    expression = ('${merge([for region in var.regions : {for name, rule in local.rules : "${region}/${name}" => '
                  'merge(rule, {name = name}) if region == "eu-west-1" || !rule.home_region_only}] ...)}')
    instances = KeyEvaluator(locals_, ("eu-west-1", "us-east-1"), lambda ref: None).instances({"for_each": expression})
    assert instances.keys == ("eu-west-1/everywhere", "eu-west-1/global", "us-east-1/everywhere")


def test_counts_are_instance_indexes():
    evaluator = KeyEvaluator({"home": '"eu-west-1"'}, ("eu-west-1",), lambda ref: None)
    assert evaluator.instances({"count": 2}).keys == (0, 1)
    assert evaluator.instances({"count": "${length(setsubtract(var.regions, [local.home])) > 0 ? 1 : 0}"}).keys == ()


def test_a_file_that_does_not_parse_is_a_note_not_an_error():
    old = {"main.tf": 'resource "aws_iam_group" "x" {\n  name = \n}\n'}
    new = {"main.tf": 'resource "aws_iam_group" "x" {\n  name = "X"\n}\n'}
    review = build_review(old, new)
    assert len(review.notes) == 1 and review.notes[0].startswith("current tree: main.tf: does not parse (")
    assert [c.text for c in review.summary] == ["group `X` added (no members)"]


def test_identical_texts_are_parsed_once(monkeypatch, empty_parse_cache):
    monkeypatch.setattr(parse_ahead, "ENABLED", False)
    parsed_texts = spy(monkeypatch, hclcheck, "_safe_parse")
    shared = 'resource "aws_iam_group" "shared" {\n  name = "S"\n}\n'
    old = {"main.tf": shared, "modules/a/main.tf": shared, "modules/b/main.tf": GROUP_X}
    new = {"main.tf": shared, "modules/a/main.tf": shared, "modules/b/main.tf": GROUP_Y}
    build_review(old, new)
    assert sorted(parsed_texts) == sorted([shared, GROUP_X, GROUP_Y])
    build_review(old, new)
    assert len(parsed_texts) == 3, "a second review parses nothing again"


ORG = (EXAMPLES / "acme-org.yaml").read_text()


def _rendered(tmp_path, text: str) -> dict[str, str]:
    """The render of this profile text, path -> content."""
    path = tmp_path / "acme-org.yaml"
    path.write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}
ORG_CHANGES = {
    "an account removed": ("  - name: payments-staging\n", "  - name: payments-staging-gone\n"),
    "a Region removed from an account": ("    description: The payments application, production.\n",
                                         "    description: The payments application, production.\n    regions: [ap-northeast-1]\n"),
    "a module's input changed everywhere": ("  regions: [ap-northeast-1, us-east-1]\n", "  regions: [ap-northeast-1]\n"),
    "a user removed": ("    - name: sota.yamamoto\n      groups: [Operators]\n", ""),
    # renaming an account renames what names it too (Security Hub's payments policy applies to it, E342 otherwise)
    "an account renamed with renamed_from": (("  - name: payments-prod\n", "  - name: payments-live\n    renamed_from: [payments-prod]\n"),
                                             ("        apply_to: [payments-prod]\n", "        apply_to: [payments-live]\n"),
                                             ("account: payments-prod, ", "account: payments-live, ")),
}


def _org_changed(change: tuple) -> str:
    """ORG with one change applied: (old text, new text), or a tuple of such pairs."""
    text = ORG
    for old_text, new_text in change if isinstance(change[0], tuple) else (change,):
        assert old_text in text
        text = text.replace(old_text, new_text, 1)
    return text


@pytest.mark.parametrize("change", list(ORG_CHANGES))
def test_the_destroy_list_from_the_changed_roots_is_the_whole_reviews(tmp_path, change):
    rendered = partial(_rendered, tmp_path)
    old = rendered(ORG)
    new = rendered(_org_changed(ORG_CHANGES[change]))
    whole = build_review(old, new).destroyed
    assert destroyed_between(old, new) == whole
    if change == "an account renamed with renamed_from":
        assert whole == ()  # its root is paired with the new one and moved blocks keep what the shared roots key by name
    else:
        assert whole, "each change destroys something"
    assert destroyed_between(old, old) == ()


KEEPING_CHANGES = {
    "a retention changed (attributes only)": ("      retention_days: 365\n", "      retention_days: 400\n", False),
    "the password policy changed (attributes only)": ("    minimum_length: 14\n", "    minimum_length: 16\n", False),
    "a user added (new blocks, nothing removed)": ("    - name: sota.yamamoto\n      groups: [Operators]\n",
                                                   "    - name: sota.yamamoto\n      groups: [Operators]\n"
                                                   "    - name: rin.mori\n      groups: [Operators]\n", False),
    # the Regions an account passes its modules changed: their keys are worked out in full (here: only added)
    "a Region added to an account": ("    regions: [ap-northeast-1]          # staging runs in Tokyo only\n",
                                     "    regions: [ap-northeast-1, us-east-1]\n", True),
}


@pytest.mark.parametrize("change", list(KEEPING_CHANGES))
def test_a_change_that_keeps_every_address_destroys_nothing_and_needs_no_tree_when_only_blocks_changed(
        tmp_path, change, monkeypatch):
    rendered = partial(_rendered, tmp_path)
    old_text, new_text, indexes_trees = KEEPING_CHANGES[change]
    assert old_text in ORG
    old, new = rendered(ORG), rendered(ORG.replace(old_text, new_text, 1))
    assert old != new
    import baselinegen.review.build as review

    indexed = spy(monkeypatch, review, "index_tree")
    assert destroyed_between(old, new) == ()
    assert bool(indexed) == indexes_trees
    assert build_review(old, new).destroyed == ()


@pytest.mark.parametrize("change", list(ORG_CHANGES) + list(KEEPING_CHANGES))
def test_the_review_of_the_changed_roots_is_the_review_of_every_root(tmp_path, change):
    rendered = partial(_rendered, tmp_path)
    old, new = rendered(ORG), rendered(_org_changed(ORG_CHANGES.get(change) or KEEPING_CHANGES[change][:2]))
    review = build_review(old, new)
    assert review == build_review(old, new, every_root=True)
    assert review.summary, "each change says something"


def test_a_renamed_account_is_one_line_naming_both_names_and_the_state_move(tmp_path):
    rendered = partial(_rendered, tmp_path)
    review = build_review(rendered(ORG), rendered(_org_changed(ORG_CHANGES["an account renamed with renamed_from"])))
    roots = [(c.area, c.action, c.addresses) for c in review.summary if c.area in ("accounts", "root")]
    assert roots == [("root", "changed", ("accounts/payments-live/",))]
    assert [c.text for c in review.summary if c.area == "root"][0].startswith(
        "account `payments-prod` renamed to `payments-live`: its configuration moves from accounts/payments-prod/ to "
        "accounts/payments-live/ with its state (")
    assert [c.text for c in review.summary if "configuration policy" in c.text] == [
        "account `security`: Security Hub configuration policy `acme-payments`: account payments-prod renamed to payments-live: still associated "
        "(moved block)"]
    assert not [c.text for c in review.summary if "module `" in c.text or "region `" in c.text]


STEADY_CHANGES = {  # what only the provider blocks of the account roots hold, and the roots where it is more
    "a default tag changed": (('    CostCenter: "1234"\n', '    CostCenter: "5678"\n'), ()),
    # the management root's tag policy (the baseline-tags preset) names every default tag
    "a default tag added": (('    CostCenter: "1234"\n', '    CostCenter: "1234"\n    DataClass: internal\n'), ("management",)),
}


@pytest.mark.parametrize("change", list(STEADY_CHANGES))
def test_steady_roots_that_changed_only_in_their_providers_are_reviewed_without_their_modules_and_say_the_same(tmp_path, change):
    import baselinegen.review.build as review

    rendered = partial(_rendered, tmp_path)
    edit, not_steady = STEADY_CHANGES[change]
    old, new = rendered(ORG), rendered(_org_changed(edit))
    _, new_tree, _ = review._indexed(old, new, review._changed_folders(old, new))
    roots = sorted({p.split("/")[1] for p in old if p.startswith("accounts/")} - set(not_steady))
    assert sorted(new_tree.steady) == [f"accounts/{name}:" for name in roots] + ["bootstrap:"]  # the bootstrap root too
    assert {prefix.partition(":")[0] for prefix in new_tree.modules if ":module." in prefix} == {f"accounts/{n}" for n in not_steady}
    found = build_review(old, new)
    assert found == build_review(old, new, every_root=True)
    assert found.summary and found.replaced == () and found.destroyed == ()


def test_a_root_whose_module_or_locals_changed_is_not_steady_and_one_that_did_not_change_is(tmp_path):
    import baselinegen.review.build as review

    rendered = partial(_rendered, tmp_path)
    old = rendered(ORG)
    expected = {  # payments-staging lists its own Regions (the organisation's do not reach it); bootstrap changes with neither
        ORG_CHANGES["a module's input changed everywhere"]: ["accounts/payments-staging:", "bootstrap:"],
        KEEPING_CHANGES["the password policy changed (attributes only)"][:2]: ["bootstrap:"],  # job_roles: every account
    }
    for change, steady in expected.items():
        new = rendered(_org_changed(change))
        _, new_tree, _ = review._indexed(old, new, review._changed_folders(old, new))
        assert sorted(new_tree.steady) == steady
