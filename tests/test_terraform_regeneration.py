"""Regeneration against Terraform's own plan: examples/acme.yaml rendered and applied (by the session's Terraform
runs), then a changed profile rendered into a copy of that applied folder and planned. The resources Terraform
will destroy are exactly `baselinegen diff`'s "Terraform will destroy" list; renames destroy nothing."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from baselinegen import api
from baselinegen.review import build_review
from conftest import EXAMPLES
from support.terraform_runs import WORKERS, terraform

ACME = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
CHANGES = {  # name: (old, new) replacements, each applied once to examples/acme.yaml
    "region added": [("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1, us-east-1, eu-west-1]")],
    "region removed": [("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1]")],
    "group added": [("      description: Day-to-day operations.\n",
                     "      description: Day-to-day operations.\n    - name: Auditors\n      duty: read-only\n"),
                    ("      groups: [Operators]", "      groups: [Operators, Auditors]")],
    "group and its user removed": [("    - name: Operators\n      duty: operator\n      description: Day-to-day operations.\n", ""),
                                   ("    - name: sota.yamamoto\n      groups: [Operators]\n", "")],
    "user added": [("    - name: payments-deploy\n", "    - name: nao.kimura\n      groups: [Operators]\n    - name: payments-deploy\n")],
    "config rule added": [("    extra:\n", "    extra:\n      - name: s3-bucket-versioning-enabled\n")],
    "config rule removed": [("    preset: cis ", "    exclude: [restricted-ssh]\n    preset: cis ")],
    "alarm removed": [("    benchmark: cis-1.4 ", "    exclude: [root-usage]\n    benchmark: cis-1.4 ")],
    "guardduty off": [("  guardduty:\n", "  guardduty:\n    enabled: false\n")],
    "group renamed": [("- name: InfraAdmins", "- name: PlatformAdmins\n      renamed_from: [InfraAdmins]"),
                      ("groups: [InfraAdmins]", "groups: [PlatformAdmins]")],
    "key renamed": [("    - name: logs\n", "    - name: audit\n      renamed_from: [logs]\n"),
                    *[("kms_key: logs", "kms_key: audit")] * ACME.count("kms_key: logs")],
}
RENAMES = ("group renamed", "key renamed")
# What Terraform plans for each change (resources created, destroyed), so that no comparison is vacuous. A Region brings
# the Inspector and Access Analyzer findings rules and their targets too; GuardDuty off keeps the forwarding role,
# which those rules also use.
PLANNED = {"region added": (60, 0), "region removed": (0, 61), "group added": (4, 0), "group and its user removed": (0, 7),
           "user added": (1, 0), "config rule added": (2, 0), "config rule removed": (0, 2), "alarm removed": (0, 2),
           "guardduty off": (0, 18), "group renamed": (0, 0), "key renamed": (1, 0)}


def _files(text: str, folder) -> dict[str, str]:
    folder.mkdir()
    path = folder / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


def _changed(name: str) -> str:
    text = ACME
    for old, new in CHANGES[name]:
        assert old in text, f"{name}: the profile change must apply"
        text = text.replace(old, new, 1)
    return text


def plan_after(applied, old: dict[str, str], new: dict[str, str], workdir, environment: dict, terraform_bin: str) -> dict:
    """Terraform's plan of ``new`` rendered over a copy of the applied folder of ``old``: addresses by action."""
    shutil.copytree(applied, workdir, symlinks=True)
    for path in set(old) - set(new):
        (workdir / path).unlink()
    for path, content in new.items():
        (workdir / path).parent.mkdir(parents=True, exist_ok=True)
        (workdir / path).write_text(content, encoding="utf-8")
    init = terraform(terraform_bin, workdir, environment, "init", "-input=false", "-no-color")
    planned = terraform(terraform_bin, workdir, environment, "plan", "-input=false", "-no-color", "-json")
    if init.returncode != 0 or planned.returncode != 0:
        return {"error": init.stderr + init.stdout + planned.stderr + planned.stdout}
    # -json: one message a line; a planned_change names the address, its action and where it was moved from.
    by_action: dict[str, list[str]] = {"create": [], "delete": [], "update": [], "moved": [], "replace": []}
    for line in planned.stdout.splitlines():
        message = json.loads(line)
        if message.get("type") != "planned_change":
            continue
        change = message["change"]
        address = change["resource"]["addr"]
        if change.get("previous_resource"):
            by_action["moved"].append(address)
        # a replacement (the provider's requires_replace) is its own action ("replace"): the review's replace list
        if change["action"] in by_action:
            by_action[change["action"]].append(address)
    return {action: sorted(addresses) for action, addresses in by_action.items()}


@pytest.fixture(scope="module")
def regenerations(terraform_runs, rendered_trees, terraform_env, terraform_bin, tmp_path_factory) -> dict:
    """For each change: the review of baselinegen diff and Terraform's plan (changes planned in parallel)."""
    assert [run.failed for run in terraform_runs["acme"]] == [None, None], "examples/acme.yaml (and its bootstrap/) must apply first"
    base = tmp_path_factory.mktemp("regeneration")
    old = _files(ACME, base / "old")
    news = {name: _files(_changed(name), base / f"new-{index}") for index, name in enumerate(CHANGES)}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        plans = {name: pool.submit(plan_after, rendered_trees["acme"], old, new, base / f"plan-{index}", terraform_env,
                                   terraform_bin) for index, (name, new) in enumerate(news.items())}
        return {name: (build_review(old, news[name]), plans[name].result()) for name in CHANGES}


@pytest.mark.parametrize("name", list(CHANGES))
def test_terraform_destroys_exactly_what_the_review_lists(regenerations, name):
    review, plan = regenerations[name]
    assert "error" not in plan, plan.get("error", "")[-4000:]
    assert plan["delete"] == list(review.destroyed)
    assert (len(plan["create"]), len(plan["delete"])) == PLANNED[name]


def _block_address(address: str) -> str:
    return address.split("[", 1)[0]


# The additions whose summary lines name addresses ("region added" names none). Not "key renamed": its summary says
# `aws_kms_alias.former_alias` added and the key's alias removed, where Terraform moves aws_kms_alias.logs to
# former_alias["logs"] (the review's normalized() does not relocate a resource moved to one keyed instance).
ADDITIONS = ("group added", "user added", "config rule added")


@pytest.mark.parametrize("name", ADDITIONS)
def test_every_resource_of_an_added_summary_line_is_one_terraform_creates(regenerations, name):
    review, plan = regenerations[name]
    added = {address for change in review.summary if change.action == "added" for address in change.addresses}
    assert added and added <= {_block_address(address) for address in plan["create"]}


@pytest.mark.parametrize("name", RENAMES)
def test_a_rename_destroys_nothing_and_moves_what_the_review_moves(regenerations, name):
    review, plan = regenerations[name]
    assert (plan["delete"], review.destroyed) == ([], ())
    assert plan["moved"] and review.moved
