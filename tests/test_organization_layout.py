"""The organisation layout of examples/acme-org.yaml: one root per account that calls only its role's modules,
assumes the deployment role into exactly that account, and the automation that runs the roots in order."""

from __future__ import annotations

import re
import subprocess

import hcl2
import pytest
import yaml

from baselinegen import api
from baselinegen.components.base import ComponentOutput, ModuleCall
from baselinegen.errors import RenderInvariantError
from baselinegen.organization import account_roots
from baselinegen.validate.hclcheck import label

from conftest import EXAMPLES, plain_hcl, tree

ORG_EXAMPLE = EXAMPLES / "acme-org.yaml"
ACCOUNTS = {  # name: (id, role, Regions), as examples/acme-org.yaml lists them
    "management": ("100000000001", "management", ["ap-northeast-1", "us-east-1"]),
    "log-archive": ("200000000002", "log-archive", ["ap-northeast-1", "us-east-1"]),
    "security": ("300000000003", "security", ["ap-northeast-1", "us-east-1"]),
    "identity": ("400000000004", "workload", ["ap-northeast-1", "us-east-1"]),
    "payments-prod": ("500000000005", "workload", ["ap-northeast-1", "us-east-1"]),
    "payments-staging": ("060000000006", "workload", ["ap-northeast-1"]),
}
EVERY = ["job_roles", "kms"]
REGIONAL = ["config", "guards"]
MODULES = {  # what each account's root calls: its role's modules and nothing else, in registry order (ci: every account)
    "management": EVERY + ["cloudtrail", "monitoring"] + REGIONAL + ["account_detection", "governance", "ci"],
    "log-archive": EVERY + ["log_archive"] + REGIONAL + ["account_detection", "ci"],
    "security": EVERY + REGIONAL + ["detection", "ci"],
    "identity": ["job_roles", "iam", "kms"] + REGIONAL + ["account_detection", "patching", "ci"],
    "payments-prod": EVERY + REGIONAL + ["account_detection", "patching", "ci"],
    "payments-staging": EVERY + REGIONAL + ["account_detection", "patching", "ci"],
}
APPLY_ORDER = ["log-archive", "management", "security", "identity", "payments-prod", "payments-staging"]


def _module_calls(root) -> dict[str, dict]:
    main = hcl2.loads((root / "main.tf").read_text())
    return {label(name): plain_hcl(body) for block in main.get("module", []) for name, body in block.items()}


def test_every_account_has_one_root_configuration_and_nothing_at_the_top(rendered_org):
    files = tree(rendered_org)
    assert sorted({p.split("/")[1] for p in files if p.startswith("accounts/")}) == sorted(ACCOUNTS)
    for name in ACCOUNTS:
        assert sorted(p.rsplit("/", 1)[1] for p in files if p.startswith(f"accounts/{name}/")) == sorted(
            ["backend.tf", "main.tf", "outputs.tf", "providers.tf", "variables.tf", "versions.tf"]  # variables.tf: ci.github
            + (["imports.tf"] if name == "management" else []))
    assert [p for p in files if p.endswith(".tf") and "/" not in p] == []  # no root configuration at the top


def test_each_account_calls_exactly_the_modules_of_its_role(rendered_org):
    assert {name: list(_module_calls(rendered_org / "accounts" / name)) for name in ACCOUNTS} == MODULES
    assert sorted(p.name for p in (rendered_org / "modules").iterdir()) == sorted({m for ms in MODULES.values() for m in ms})


def test_each_root_calls_only_modules_that_exist_with_sources_relative_to_it(rendered_org):
    for name in ACCOUNTS:
        for module, body in _module_calls(rendered_org / "accounts" / name).items():
            assert body["source"] == f"../../modules/{module}"
            assert (rendered_org / "modules" / module / "main.tf").is_file()


def test_each_root_lists_its_own_accounts_regions(rendered_org):
    for name, (_, _, regions) in ACCOUNTS.items():
        main = hcl2.loads((rendered_org / "accounts" / name / "main.tf").read_text())
        assert plain_hcl(main["locals"][0]["regions"]) == regions


def test_without_ci_github_the_provider_assumes_the_deployment_role_in_exactly_its_account(tmp_path):
    """(With ci.github, tests/test_ci_roles.py: the role var.baseline_role names.)"""
    without_ci = tmp_path / "acme-org.yaml"
    without_ci.write_text(ORG_EXAMPLE.read_text().split("\nci:\n")[0] + "\n")
    files = {f.path: f.content for f in api.render_tree(api.load_profile(without_ci).profile).files}
    for name, (account_id, role, _) in ACCOUNTS.items():
        assert f"accounts/{name}/variables.tf" not in files
        text = files[f"accounts/{name}/providers.tf"]
        provider = plain_hcl(hcl2.loads(text)["provider"][0]['"aws"'])
        assert provider["region"] == "ap-northeast-1"
        assert provider["allowed_account_ids"] == [account_id]
        assert provider["assume_role"] == [{"role_arn": f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
                                            "session_name": f"baselinegen-{name}"}]
        assert provider["default_tags"][0]["tags"] == {"CostCenter": "1234", "ManagedBy": "baselinegen", "Owner": "platform-security"}
        assert f"# Account {name} ({role}): Terraform assumes OrganizationAccountAccessRole in it" in text


def test_without_state_each_account_has_its_own_starter_backend_example_with_its_own_state_key(tmp_path):
    text = ORG_EXAMPLE.read_text(encoding="utf-8")
    stateless = tmp_path / "acme-org.yaml"
    stateless.write_text(text[:text.index("\nstate:")] + "\n", encoding="utf-8")
    result = api.render_tree(api.load_profile(stateless).profile)
    backends = {f.path: f for f in result.files if f.path.endswith("backend.tf")}
    assert sorted(backends) == sorted(f"accounts/{name}/backend.tf" for name in ACCOUNTS)  # and no bootstrap/
    for path, file in backends.items():
        name = path.split("/")[1]
        assert file.mode == "starter"
        assert f'key          = "security-baseline/accounts/{name}/terraform.tfstate"' in file.content
        assert f"# Configure where Terraform keeps the state of account {name} ({ACCOUNTS[name][0]})" in file.content


def test_atlantis_has_one_project_per_account_applied_in_waves(rendered_org):
    atlantis = yaml.safe_load((rendered_org / "atlantis.yaml").read_text())
    assert (atlantis["version"], atlantis["parallel_plan"], atlantis["automerge"]) == (3, True, False)
    projects = atlantis["projects"]
    assert [p["name"] for p in projects] == APPLY_ORDER
    assert [p["execution_order_group"] for p in projects] == [0, 1, 2, 3, 3, 3]
    assert [p.get("depends_on") for p in projects] == [
        None, ["log-archive"], ["management"], ["security"], ["security"], ["security"]]
    for project in projects:
        assert project["dir"] == f"accounts/{project['name']}"
        modules = list(_module_calls(rendered_org / project["dir"]))
        assert project["autoplan"] == {"enabled": True, "when_modified": [
            "*.tf", ".terraform.lock.hcl", *(f"../../modules/{m}/*.tf" for m in modules)]}


def test_the_workflow_validates_and_plans_every_account_root_as_a_matrix(rendered_org):
    workflow = yaml.safe_load((rendered_org / ".github/workflows/terraform.yml").read_text())
    jobs = workflow["jobs"]
    assert list(jobs) == ["accounts", "fmt", "validate", "checkov", "baselinegen-check", "plan", "apply-log-archive",
                          "apply-management", "apply-security", "apply-workload", "review"]  # apply: ci.github
    listing = jobs["accounts"]["steps"][1]["run"]
    found = subprocess.run(["bash", "-c", listing.replace('>> "$GITHUB_OUTPUT"', "")], cwd=rendered_org,
                           capture_output=True, text=True, check=True).stdout
    assert found == 'accounts=["identity","log-archive","management","payments-prod","payments-staging","security"]\n'
    for job in ("validate", "plan"):
        assert jobs[job]["strategy"]["matrix"] == {"account": "${{ fromJSON(needs.accounts.outputs.accounts) }}"}
        assert jobs[job]["defaults"] == {"run": {"working-directory": "accounts/${{ matrix.account }}"}}
    assert [s.get("run") for s in jobs["validate"]["steps"][2:]] == ["terraform init -backend=false", "terraform validate -no-color"]
    assert jobs["plan"]["needs"] == ["accounts", "validate"]
    assert jobs["fmt"]["steps"][2]["run"] == "terraform fmt -check -recursive -diff"


def test_the_readme_lists_the_accounts_their_modules_and_the_apply_waves(rendered_org):
    readme = (rendered_org / "README.md").read_text()
    for name, (account_id, role, regions) in ACCOUNTS.items():
        modules = ", ".join(f"`{m}`" for m in _module_calls(rendered_org / "accounts" / name))
        roles = role + (", identity" if name == "identity" else "")
        wave = {"log-archive": 1, "management": 2, "security": 3, "workload": 4}[role]
        row = f"| [`{name}`](accounts/{name}/main.tf) | `{account_id}` | {roles} | `{'`, `'.join(regions)}` | {modules} | {wave} |"
        assert row in readme
    assert "cd accounts/<name>" in readme and "allowed_account_ids" in readme


def test_a_single_account_profile_renders_no_accounts_folder_and_no_atlantis_file(rendered_example):
    files = tree(rendered_example)
    assert not any(p.startswith("accounts/") for p in files) and "atlantis.yaml" not in files
    assert "main.tf" in files


def test_a_module_input_naming_a_module_the_account_does_not_call_is_an_internal_error():
    profile = api.load_profile(ORG_EXAMPLE).profile
    topic = ComponentOutput(module=ModuleCall("topic", "./modules/topic"), placement=frozenset({"management"}))
    alarms = ComponentOutput(module=ModuleCall("alarms", "./modules/alarms", (), (("topic_arn", "module.topic.arn"),)),
                             placement=frozenset({"management", "security"}))
    with pytest.raises(RenderInvariantError) as info:
        account_roots(profile, [(topic, "Topic"), (alarms, "Alarms")])
    assert str(info.value) == ("accounts/security/main.tf: module 'alarms' input topic_arn = module.topic.arn refers to "
                               "module topic, which account 'security' (security) does not call")


def test_the_identity_account_gets_what_workloads_get_and_what_is_placed_in_identity():
    profile = api.load_profile(ORG_EXAMPLE).profile
    workloads = ComponentOutput(module=ModuleCall("w", "./modules/w"), placement=frozenset({"workload"}))
    people = ComponentOutput(module=ModuleCall("people", "./modules/people"), placement=frozenset({"identity"}))
    roots = {r.account.name: [m["name"] for m in r.modules] for r in account_roots(profile, [(workloads, "W"), (people, "P")])}
    assert roots == {"log-archive": [], "management": [], "security": [], "identity": ["w", "people"],
                     "payments-prod": ["w"], "payments-staging": ["w"]}


def test_no_account_root_reads_another_accounts_state(rendered_org):
    for path, content in tree(rendered_org).items():
        if path.endswith(".tf"):
            assert not re.search(rb'terraform_remote_state|data "aws_s3_object"', content), path
