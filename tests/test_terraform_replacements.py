"""Replacements against Terraform's own plan: examples/acme.yaml and examples/acme-org.yaml rendered and applied with
the stand-in provider (which plans a replacement where the package's replace-on-change table says the real provider
does), then a changed profile rendered over a copy of the applied folder and every root planned. For each change,
the review's "Terraform will replace" list is exactly what Terraform replaces, its destroy list exactly what
Terraform destroys, and rewording every description replaces nothing in either example. An account rename is planned
as W430 tells the user to do it: the state object moves to the new root's folder before the plan; then neither the
review nor Terraform destroys anything, in the account's root or in the management and security roots."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from baselinegen.review import build_review
from conftest import EXAMPLES
from support.terraform_runs import WORKERS, local_state, roots, run_trees, terraform
from test_account_rename_review import ACCOUNT_RENAMED
from test_review_replacements import ALARM_RENAMED, GROUP_RENAMED, _changed, _files, reworded

ACME = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
ORG = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")
KEY_RENAMED = [("    - name: logs\n", "    - name: audit\n      renamed_from: [logs]\n"),
               *[("kms_key: logs", "kms_key: audit")] * ACME.count("kms_key: logs")]
ORG_GROUP_RENAMED = [("    - name: Operators\n", "    - name: Operations\n      renamed_from: [Operators]\n"),
                     ("groups: [Operators]", "groups: [Operations]")]
CHANGES = {  # name: (example, the profile text after the change)
    "acme: descriptions reworded": ("acme", reworded(ACME)),
    "acme: group renamed": ("acme", _changed(GROUP_RENAMED)),
    "acme: key renamed": ("acme", _changed(KEY_RENAMED)),
    "acme: alarm renamed": ("acme", _changed(ALARM_RENAMED)),
    "acme: region added": ("acme", ACME.replace("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1, us-east-1, eu-west-1]", 1)),
    "acme: region removed": ("acme", ACME.replace("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1]", 1)),
    "acme-org: descriptions reworded": ("acme-org", reworded(ORG)),
    "acme-org: group renamed": ("acme-org", ORG.replace(*ORG_GROUP_RENAMED[0], 1).replace(*ORG_GROUP_RENAMED[1])),
    "acme-org: account renamed": ("acme-org", ORG.replace(*ACCOUNT_RENAMED, 1)),
    "acme-org: alarm renamed": ("acme-org", ORG.replace(*ALARM_RENAMED[0], 1)),
    "acme-org: region removed": ("acme-org", ORG.replace("regions: [ap-northeast-1, us-east-1]", "regions: [ap-northeast-1]", 1)),
}
# The state moves of W430, done before the plan as the warning says: old root folder -> new root folder.
STATE_MOVES = {"acme-org: account renamed": {"accounts/payments-staging": "accounts/payments-test"}}
# What Terraform replaces for each change (resource instances), so that no comparison is vacuous.
REPLACED = {"acme: descriptions reworded": 0, "acme: group renamed": 7, "acme: key renamed": 0, "acme: alarm renamed": 2,
            "acme: region added": 0, "acme: region removed": 0, "acme-org: descriptions reworded": 0,
            "acme-org: group renamed": 28, "acme-org: account renamed": 0, "acme-org: alarm renamed": 2,
            "acme-org: region removed": 0}


def plan_roots(applied, old: dict[str, str], new: dict[str, str], workdir, environment: dict, terraform_bin: str,
               state_moves: dict[str, str] | None = None) -> dict:
    """Terraform's plan of ``new`` over a copy of the applied tree of ``old``, every root: addresses by action, each
    prefixed with its root folder and ``:`` as the review writes them (none for the output root). ``state_moves``: the
    state objects the user moves first (W430), old root folder -> new root folder."""
    shutil.copytree(applied, workdir, symlinks=True)
    for path in set(old) - set(new):
        (workdir / path).unlink()
    for path, content in new.items():
        (workdir / path).parent.mkdir(parents=True, exist_ok=True)
        (workdir / path).write_text(content, encoding="utf-8")
    for source, target in (state_moves or {}).items():
        (workdir / source / "terraform.tfstate").rename(workdir / target / "terraform.tfstate")
    by_action: dict[str, list[str]] = {"create": [], "delete": [], "update": [], "replace": []}
    for root in roots(workdir):
        folder = root.relative_to(workdir).as_posix()
        if folder == "bootstrap" or folder.endswith("/bootstrap"):
            continue  # the state bucket: no profile change here reaches it
        prefix = "" if folder == "." else f"{folder}:"
        local_state(root)  # a new root (a renamed account's) keeps its state in the folder too
        init = terraform(terraform_bin, root, environment, "init", "-input=false", "-no-color")
        planned = terraform(terraform_bin, root, environment, "plan", "-input=false", "-no-color", "-json")
        if init.returncode != 0 or planned.returncode != 0:
            return {"error": f"{folder}: " + init.stderr + init.stdout + planned.stderr + planned.stdout}
        for line in planned.stdout.splitlines():
            message = json.loads(line)
            if message.get("type") == "planned_change" and message["change"]["action"] in by_action:
                by_action[message["change"]["action"]].append(prefix + message["change"]["resource"]["addr"])
    return {action: sorted(addresses) for action, addresses in by_action.items()}


@pytest.fixture(scope="module")
def planned(terraform_env, terraform_bin, tmp_path_factory) -> dict:
    """Both examples applied once; for each change, the review and Terraform's plan (planned in parallel)."""
    base = tmp_path_factory.mktemp("replacements")
    texts = {"acme": ACME, "acme-org": ORG}
    olds = {name: _files(text, base / f"profile-{name}") for name, text in texts.items()}
    trees = {}
    for name, files in olds.items():
        tree = base / f"applied-{name}"
        for path, content in files.items():
            (tree / path).parent.mkdir(parents=True, exist_ok=True)
            (tree / path).write_text(content, encoding="utf-8")
        trees[name] = tree
    runs = run_trees(terraform_bin, trees, terraform_env)
    assert {name: [run.failed for run in found if run.failed] for name, found in runs.items()} == {"acme": [], "acme-org": []}
    news = {change: _files(text, base / f"new-{i}") for i, (change, (_, text)) in enumerate(CHANGES.items())}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        plans = {change: pool.submit(plan_roots, trees[example], olds[example], news[change], base / f"plan-{i}",
                                     terraform_env, terraform_bin, STATE_MOVES.get(change))
                 for i, (change, (example, _)) in enumerate(CHANGES.items())}
        return {change: (build_review(olds[CHANGES[change][0]], news[change]), plans[change].result()) for change in CHANGES}


@pytest.mark.parametrize("change", list(CHANGES))
def test_terraform_replaces_exactly_what_the_review_lists(planned, change):
    review, plan = planned[change]
    assert "error" not in plan, plan.get("error", "")[-4000:]
    assert plan["replace"] == sorted({r.address for r in review.replaced})
    assert len(plan["replace"]) == REPLACED[change]


@pytest.mark.parametrize("change", list(CHANGES))
def test_terraform_destroys_exactly_what_the_review_lists(planned, change):
    review, plan = planned[change]
    assert "error" not in plan, plan.get("error", "")[-4000:]
    assert plan["delete"] == list(review.destroyed)


@pytest.mark.parametrize("change", ["acme: descriptions reworded", "acme-org: descriptions reworded"])
def test_rewording_descriptions_updates_in_place_and_replaces_nothing(planned, change):
    review, plan = planned[change]
    assert (plan["replace"], plan["delete"], plan["create"]) == ([], [], []) and plan["update"]


def test_an_account_rename_moves_its_root_and_terraform_plans_no_destroy_anywhere(planned):
    review, plan = planned["acme-org: account renamed"]
    assert "error" not in plan, plan.get("error", "")[-4000:]
    assert review.moved[0] == ("accounts/payments-staging/", "accounts/payments-test/")
    assert (plan["delete"], plan["replace"], list(review.destroyed), list(review.replaced)) == ([], [], [], [])
    assert not [a for a in plan["create"] if a.startswith("accounts/payments-test:")]  # the moved state has them all
