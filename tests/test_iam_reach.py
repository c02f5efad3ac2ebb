"""Where people may go (``iam.groups[].reach``): roles only in the accounts a job function reaches, the assume-role
policy naming exactly those roles, the per-account module input, the review by effect, Terraform with the stand-in.

examples/acme-org.yaml with the reach examples/acme-identity-center.yaml has: PaymentsApps ``reach: [payments-staging]``
(developers in staging) and Operators every account but log-archive (nobody but the administrators where the audit
logs are kept). acme-org.yaml itself keeps the default (other tests remove and rename its accounts).
Unit-path targets (``organization.units``, issue 21) are checked on raw data with the resolver functions and through
the whole pipeline (``reach: [Workloads/NonProd]`` and ``[Workloads]`` on acme-org.yaml's units).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.components.iam.reach import reach_problems, reach_targets
from baselinegen.profile.loader import parse_yaml_text
from baselinegen.review import build_review
from baselinegen.validate.hclcheck import resource_bodies, unquote
from conftest import plain_hcl
from support.terraform_runs import local_state, terraform, validate

EXAMPLE_ORG = Path(__file__).resolve().parent.parent / "examples" / "acme-org.yaml"
OPERATORS = "      description: Day-to-day operations.\n"
OPERATORS_REACH = "      reach: [management, security, identity, payments-prod, payments-staging]\n"
PAYMENTS = "      app_tag: payments\n"
ORG = EXAMPLE_ORG.read_text(encoding="utf-8").replace(OPERATORS, OPERATORS + OPERATORS_REACH, 1).replace(
    PAYMENTS, PAYMENTS + "      reach: [payments-staging]        # developers work in staging; production changes go through the pipeline\n", 1)
PAYMENTS_REACH = "      reach: [payments-staging]        # developers work in staging; production changes go through the pipeline\n"
IDS = {"management": "100000000001", "log-archive": "200000000002", "security": "300000000003", "identity": "400000000004",
       "payments-prod": "500000000005", "payments-staging": "060000000006"}


def _render(folder: Path, text: str) -> dict[str, str]:
    path = folder / "acme-org.yaml"
    path.write_text(text, encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    path = tmp_path_factory.mktemp("reach-profile") / "acme-org.yaml"
    path.write_text(ORG, encoding="utf-8")
    return api.load_profile(path).profile


@pytest.fixture(scope="module")
def parsed(profile, parse_iam_organization):
    return parse_iam_organization(profile)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return _render(tmp_path_factory.mktemp("reach"), ORG)


@pytest.fixture(scope="module")
def unlimited(tmp_path_factory):
    """acme-org.yaml without any reach: every role in every account, as before reach existed."""
    return _render(tmp_path_factory.mktemp("everywhere"), ORG.replace(PAYMENTS_REACH, "").replace(OPERATORS_REACH, ""))


def test_a_group_with_a_reach_has_its_role_counted_in_by_the_accounts_input(parsed):
    roles = resource_bodies(parsed, "modules/job_roles", "resource", "aws_iam_role")
    assert roles["payments_apps"]["count"] == '${contains(var.reached_job_functions, "PaymentsApps") ? 1 : 0}'
    assert roles["operators"]["count"] == '${contains(var.reached_job_functions, "Operators") ? 1 : 0}'
    assert [rid for rid, body in roles.items() if "count" in body] == ["payments_apps", "operators"]
    attachments = resource_bodies(parsed, "modules/job_roles", "resource", "aws_iam_role_policy_attachment")
    assert unquote(attachments["payments_apps"]["role"]) == "${aws_iam_role.payments_apps[0].name}"
    assert unquote(attachments["administrators"]["role"]) == "${aws_iam_role.administrators.name}"


def test_each_account_root_passes_exactly_the_limited_job_functions_that_reach_it(tree):
    expected = {"management": "[\"Operators\"]", "log-archive": "[]", "security": "[\"Operators\"]",
                "identity": "[\"Operators\"]", "payments-prod": "[\"Operators\"]",
                "payments-staging": "[\"PaymentsApps\", \"Operators\"]"}
    found = {}
    for name in IDS:
        line = next(l for l in tree[f"accounts/{name}/main.tf"].splitlines() if "reached_job_functions" in l)
        found[name] = line.split("=", 1)[1].strip()
    assert found == expected


def test_the_assume_role_policy_names_only_the_roles_in_reached_accounts(parsed):
    documents = resource_bodies(parsed, "modules/iam", "data", "aws_iam_policy_document")
    resources = {group: plain_hcl(documents[f"{gid}_assume_role"])["statement"][0]["resources"]
                 for group, gid in (("PaymentsApps", "payments_apps"), ("Operators", "operators"), ("Administrators", "administrators"))}
    assert resources == {
        "PaymentsApps": ["arn:aws:iam::060000000006:role/baseline/acme-PaymentsApps"],
        "Operators": sorted(f"arn:aws:iam::{i}:role/baseline/acme-Operators" for n, i in IDS.items() if n != "log-archive"),
        "Administrators": sorted(f"arn:aws:iam::{i}:role/baseline/acme-Administrators" for i in IDS.values()),
    }


def test_without_reach_the_job_roles_module_has_no_input_and_no_count(unlimited):
    main = unlimited["modules/job_roles/main.tf"]
    assert "  count = " not in main and "reached_job_functions" not in unlimited["modules/job_roles/variables.tf"]
    assert all("reached_job_functions" not in unlimited[f"accounts/{name}/main.tf"] for name in IDS)


def test_adding_reach_reads_as_stronger_per_group_and_account_and_removing_it_as_weaker(tree, unlimited):
    # one line per account, read from the identity account's assume-role policies, for every job function at once; the
    # roles leaving the accounts' job_roles modules restate it and say nothing more
    lost = [f"job function PaymentsApps can no longer assume its role in account {IDS[n]} ({n}) (stronger)"
            for n in ("management", "security", "identity", "payments-prod")]
    narrowed = [c.text for c in build_review(unlimited, tree).summary]
    assert sorted(narrowed) == sorted(["job functions Operators, PaymentsApps can no longer assume their role in account "
                                       "200000000002 (log-archive) (stronger)"] + lost)
    widened = [c.text for c in build_review(tree, unlimited).summary]
    assert sorted(widened) == sorted(line.replace("can no longer", "can now").replace("(stronger)", "(weaker)")
                                     for line in narrowed)


def test_moving_a_reach_from_one_account_to_another_is_one_line_each_way(tree, tmp_path):
    moved = _render(tmp_path, ORG.replace("reach: [payments-staging]", "reach: [payments-prod]"))
    assert sorted(c.text for c in build_review(tree, moved).summary) == [
        "job function PaymentsApps can no longer assume its role in account 060000000006 (payments-staging) (stronger)",
        "job function PaymentsApps can now assume its role in account 500000000005 (payments-prod) (weaker)"]


def test_the_controls_report_says_which_groups_are_limited(tmp_path):
    path = tmp_path / "acme-org.yaml"
    path.write_text(ORG, encoding="utf-8")
    report = api.controls(path, "cis-3.0")
    central = [r for r in report.results if r.title.startswith("IAM users are managed centrally")]
    assert [(r.verdict.status, r.verdict.detail) for r in central] == [(
        "covered", "people are IAM users of the `identity` account only and assume job-function roles elsewhere; "
                   "PaymentsApps, Operators only in the accounts iam.groups[].reach names")]


def test_unit_paths_are_reach_targets_and_a_unit_without_accounts_reaches_nothing():
    text = """\
organization:
  units:
    - name: Workloads
      units: [{name: Prod}, {name: NonProd}]
    - name: Sandbox
accounts:
  - {name: management, role: management}
  - {name: pay-staging, unit: Workloads/NonProd}
iam:
  groups:
    - {name: Admins, duty: administrator}
    - {name: Devs, duty: app-developer, reach: [Workloads/NonProd]}
    - {name: Ops, duty: operator, reach: [Sandbox]}
    - {name: Auditors, duty: read-only, reach: [Workloads/Prd]}
"""
    doc, failures = parse_yaml_text(text, "units.yaml")
    assert failures == []
    data = doc.data
    assert reach_targets(data) == ["root", "Workloads", "Workloads/Prod", "Workloads/NonProd", "Sandbox", "management", "pay-staging"]
    found = [f"{p.location.line}:{p.location.column}: {p.path}: {p.message} [{p.code}]" for p in reach_problems(data, doc)]
    assert found == [
        "13:42: iam.groups[2].reach: group 'Ops' reaches no account: Sandbox holds no account yet; place an account there or name accounts [E323]",
        "14:49: iam.groups[3].reach[0]: reach target 'Workloads/Prd' is neither root, a unit path of organization.units nor an "
        "account name (did you mean 'Workloads/Prod'?); known: root, Workloads, Workloads/Prod, Workloads/NonProd, Sandbox, "
        "management, pay-staging [E320]",
    ]


def test_terraform_creates_the_limited_roles_only_where_they_reach(tree, tmp_path, terraform_bin, terraform_env):
    for name, path in ((n, p) for n, p in tree.items() if p and n.startswith(("modules/", "accounts/log-archive/", "accounts/payments-staging/"))):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(path, encoding="utf-8")
    created = {}
    for account in ("log-archive", "payments-staging"):
        root = tmp_path / "accounts" / account
        local_state(root)
        result = validate(terraform_bin, root, terraform_env)
        assert (result["valid"], result["diagnostics"]) == (True, [])
        applied = terraform(terraform_bin, root, terraform_env, "apply", "-input=false", "-no-color", "-auto-approve")
        assert applied.returncode == 0, applied.stderr + applied.stdout
        state = json.loads((root / "terraform.tfstate").read_text())
        created[account] = sorted(f"{r['name']}[{i.get('index_key', '')}]" for r in state["resources"]
                                  if r.get("module") == "module.job_roles" and r["type"] == "aws_iam_role" for i in r["instances"])
    everywhere = ["administrators[]", "iam_admins[]", "infra_admins[]", "security_admins[]"]
    assert created == {"log-archive": everywhere, "payments-staging": sorted(everywhere + ["operators[0]", "payments_apps[0]"])}


def test_a_unit_path_reach_gives_the_role_to_exactly_the_accounts_in_that_unit(tmp_path):
    """acme-org.yaml places payments-staging in Workloads/NonProd and payments-prod in Workloads/Prod."""
    text = EXAMPLE_ORG.read_text(encoding="utf-8").replace(PAYMENTS, PAYMENTS + "      reach: [Workloads/NonProd]\n", 1)
    tree = _render(tmp_path, text)
    found = {name: next(l for l in tree[f"accounts/{name}/main.tf"].splitlines()
                        if "reached_job_functions" in l).split("=", 1)[1].strip() for name in IDS}
    assert found == {name: ('["PaymentsApps"]' if name == "payments-staging" else "[]") for name in IDS}
    whole = _render(tmp_path, text.replace("reach: [Workloads/NonProd]", "reach: [Workloads]"))
    found = {name: next(l for l in whole[f"accounts/{name}/main.tf"].splitlines()
                        if "reached_job_functions" in l).split("=", 1)[1].strip() for name in IDS}
    assert found == {name: ('["PaymentsApps"]' if name.startswith("payments-") else "[]") for name in IDS}


def test_a_reach_line_is_one_rule_over_the_assume_role_policy_and_the_accounts_roles(tree, tmp_path):
    """review/reach.py merges both readings of a reach change: the identity account's assume-role policy and the role in
    the account's job_roles module are the addresses of one line, and nothing else restates it."""
    moved = _render(tmp_path, ORG.replace("reach: [payments-staging]", "reach: [payments-prod]"))
    summary = build_review(tree, moved).summary
    assert [(c.area, c.action, c.addresses) for c in summary] == [
        ("iam", "added", ("accounts/identity:module.iam.aws_iam_policy.payments_apps_assume_role",
                          "accounts/payments-prod:module.job_roles.aws_iam_role.payments_apps")),
        ("iam", "removed", ("accounts/identity:module.iam.aws_iam_policy.payments_apps_assume_role",
                            "accounts/payments-staging:module.job_roles.aws_iam_role.payments_apps"))]
