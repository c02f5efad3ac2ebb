"""The ``state`` section: every root's backend.tf (S3, KMS, S3-native locking), the bootstrap/ root that creates the
bucket, its validation with locations, the first-apply runbook of the generated README, and the review's lines."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.review import build_review

from conftest import EXAMPLES, plain_hcl, write_acme
from support.profile_problems import problems
from support.terraform_runs import run_root
from support.checkov_run import run_checkov



def _without_ci(text: str) -> str:
    """An example's text without its ci section (the last one): the tests add the ci they are about."""
    return text[:text.index("\nci:\n")] + "\n"


ORG_TEXT = _without_ci((EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8"))
CI = "ci:\n  account: security\n  github: {repository: acme/landing-zone, branch: main, environment: production}\n"


def _files(path: Path) -> dict[str, str]:
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}


def _org(tmp_path: Path, *replacements: tuple[str, str], extra: str = "") -> Path:
    text = ORG_TEXT
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "acme-org.yaml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def _stateless(tmp_path: Path, source: Path, keep_adopt: bool = False) -> Path:
    text = source.read_text(encoding="utf-8")
    if not keep_adopt and "\nadopt:" in text:  # adopting needs Terraform 1.6 (import ids read at plan time)
        start = text.index("\nadopt:")
        text = text[:start] + text[text.index("\n\n", start):]
    path = tmp_path / (("adopting-" if keep_adopt else "") + source.name)
    path.write_text(text[:text.index("\nstate:")] + "\n", encoding="utf-8")
    return path


def _backend_block(text: str) -> str:
    return text[text.index("terraform {"):]


def _parsed(text: str) -> dict:
    import hcl2

    return plain_hcl(hcl2.loads(text))


# backend.tf ----------------------------------------------------------------------------------------------------------

def test_the_single_account_backend_is_generated_from_state_with_the_key_of_the_bootstrap_alias(rendered_example):
    assert _backend_block((rendered_example / "backend.tf").read_text()) == textwrap.dedent("""\
        terraform {
          backend "s3" {
            bucket       = "acme-terraform-state"
            key          = "baseline/terraform.tfstate"
            region       = "ap-northeast-1"
            encrypt      = true
            kms_key_id   = "alias/acme-terraform-state"
            use_lockfile = true
          }
        }
        """)


def test_each_account_root_keeps_its_state_under_its_own_key_with_the_alias_arn_of_the_state_account(rendered_org):
    for name in ("identity", "log-archive", "management", "payments-prod", "payments-staging", "security"):
        assert _backend_block((rendered_org / "accounts" / name / "backend.tf").read_text()) == textwrap.dedent(f"""\
            terraform {{
              backend "s3" {{
                bucket       = "acme-org-terraform-state"
                key          = "accounts/{name}/terraform.tfstate"
                region       = "ap-northeast-1"
                encrypt      = true
                kms_key_id   = "arn:aws:kms:ap-northeast-1:100000000001:alias/acme-terraform-state"
                use_lockfile = true
              }}
            }}
            """)
    assert 'key          = "bootstrap/terraform.tfstate"' in (rendered_org / "bootstrap/backend.tf").read_text()


def test_a_given_key_is_the_backends_key_and_the_buckets_and_no_key_is_created(tmp_path):
    key = "arn:aws:kms:ap-northeast-1:100000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    files = _files(_org(tmp_path, ("  account: management\n", f"  account: management\n  kms_key: {key}\n")))
    assert f'kms_key_id   = "{key}"' in files["accounts/security/backend.tf"]
    main = files["bootstrap/main.tf"]
    assert f'kms_master_key_id = "{key}"' in main
    assert 'resource "aws_kms_key"' not in main and 'data "aws_iam_policy_document" "state_key"' not in main


def test_backend_files_are_managed_with_state_and_terraform_10_is_required(rendered_example, rendered_org):
    for root in (rendered_example, rendered_example / "bootstrap", rendered_org / "accounts/security", rendered_org / "bootstrap"):
        assert 'required_version = ">= 1.10.0, < 2.0.0"' in (root / "versions.tf").read_text()


def test_without_state_backend_tf_is_the_starter_example_terraform_15_suffices_and_w435_says_why(tmp_path):
    path = _stateless(tmp_path, EXAMPLES / "acme.yaml")
    result = api.render_tree(api.load_profile(path).profile)
    modes = {f.path: f.mode for f in result.files}
    files = {f.path: f.content for f in result.files}
    assert modes["backend.tf"] == "starter" and files["backend.tf"].startswith("# Written once by baselinegen")
    assert not any(p.startswith("bootstrap/") for p in files)
    assert 'required_version = ">= 1.5.0, < 2.0.0"' in files["versions.tf"]
    adopting = _stateless(tmp_path, EXAMPLES / "acme.yaml", keep_adopt=True)  # an import id read at plan time needs 1.6
    assert 'required_version = ">= 1.6.0, < 2.0.0"' in {f.path: f.content for f in api.render_tree(api.load_profile(adopting).profile).files}["versions.tf"]
    assert [str(p).split(": ", 1)[1] for p in api.load_profile(path).warnings if p.code == "W435"] == [
        "state: warning: no state section: Terraform keeps every root's state in terraform.tfstate on the machine that "
        "runs it, so nobody else (CI included) can plan or apply; add state: {bucket: <name>} (bootstrap/ creates the "
        "bucket) [W435]"]


def test_a_changed_bucket_reaches_every_account_root_through_the_remembered_roots(tmp_path, empty_cache):
    first = _files(_org(tmp_path))
    second = _files(_org(tmp_path, ("bucket: acme-org-terraform-state", "bucket: acme-org-tf-state")))
    for name in ("management", "payments-prod"):
        path = f"accounts/{name}/backend.tf"
        assert '"acme-org-terraform-state"' in first[path] and '"acme-org-tf-state"' in second[path]


# bootstrap/ ----------------------------------------------------------------------------------------------------------

def _single_without_ci(tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "acme.yaml"
    path.write_text(_without_ci((EXAMPLES / "acme.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    return _files(path)


def test_bootstrap_creates_a_hardened_bucket_and_a_rotated_key(tmp_path):
    main = _parsed(_single_without_ci(tmp_path)["bootstrap/main.tf"])
    resources = {(t, n): body for entry in main["resource"] for t, inner in entry.items() for n, body in inner.items()}
    assert sorted(resources) == sorted([
        ("aws_kms_key", "state"), ("aws_kms_alias", "state"), ("aws_s3_bucket", "state"),
        ("aws_s3_bucket_public_access_block", "state"), ("aws_s3_bucket_ownership_controls", "state"),
        ("aws_s3_bucket_versioning", "state"), ("aws_s3_bucket_policy", "state"),
        ("aws_s3_bucket_server_side_encryption_configuration", "state"), ("aws_s3_bucket_lifecycle_configuration", "state")])
    assert (resources[("aws_kms_key", "state")]["enable_key_rotation"], resources[("aws_kms_alias", "state")]["name"]) == (
        True, "alias/acme-terraform-state")
    assert resources[("aws_s3_bucket", "state")]["lifecycle"] == [{"prevent_destroy": True}]
    block = resources[("aws_s3_bucket_public_access_block", "state")]
    assert [block[k] for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")] == [True] * 4
    rule = resources[("aws_s3_bucket_server_side_encryption_configuration", "state")]["rule"][0]
    assert (rule["bucket_key_enabled"], rule["apply_server_side_encryption_by_default"][0]) == (
        True, {"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.state.arn}"})
    expiry = resources[("aws_s3_bucket_lifecycle_configuration", "state")]["rule"][0]["noncurrent_version_expiration"]
    assert expiry == [{"noncurrent_days": 90}]
    assert resources[("aws_s3_bucket_ownership_controls", "state")]["rule"][0]["object_ownership"] == "BucketOwnerEnforced"
    statements = [s["sid"] for d in main["data"] for n, body in d.get("aws_iam_policy_document", {}).items()
                  if n == "state_bucket" for s in body["statement"]]
    assert statements == ["DenyInsecureTransport"]  # without ci.github nobody else is granted anything


def test_with_ci_the_bucket_and_key_policies_grant_the_entry_accounts_roles_by_principal_arn(tmp_path):
    files = _files(_org(tmp_path, extra=CI))
    documents = {n: body for d in _parsed(files["bootstrap/main.tf"])["data"]
                 for n, body in d.get("aws_iam_policy_document", {}).items()}
    plan, apply = ("arn:aws:iam::300000000003:role/acme-baseline-plan", "arn:aws:iam::300000000003:role/acme-baseline-apply")
    found = {s["sid"]: (s["actions"], s["resources"], s["principals"][0]["identifiers"], [c["values"] for c in s["condition"]])
             for s in documents["state_bucket"]["statement"] if s["sid"] != "DenyInsecureTransport"}
    root = ["arn:aws:iam::300000000003:root"]
    bucket = "arn:aws:s3:::acme-org-terraform-state"
    assert found == {
        "CiListStateBucket": (["s3:ListBucket"], [bucket], root, [[plan, apply]]),
        "CiReadState": (["s3:GetObject"], [bucket + "/*"], root, [[plan, apply]]),
        "CiWriteLockFiles": (["s3:DeleteObject", "s3:PutObject"], [bucket + "/*.tflock"], root, [[plan, apply]]),
        "CiApplyWritesState": (["s3:PutObject"], [bucket + "/*.tfstate"], root, [[apply]]),
    }
    key = {s["sid"]: s for s in documents["state_key"]["statement"]}
    assert key["CiUseThroughS3"]["actions"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert [(c["test"], c["variable"], c["values"]) for c in key["CiUseThroughS3"]["condition"]] == [
        ("ArnEquals", "aws:PrincipalArn", [plan, apply]), ("StringEquals", "kms:ViaService", ["s3.ap-northeast-1.amazonaws.com"])]


def test_bootstrap_runs_in_the_state_account_assuming_the_deployment_role_unless_it_is_the_management_account(tmp_path, rendered_org, rendered_example):
    management = _parsed((rendered_org / "bootstrap/providers.tf").read_text())["provider"][0]["aws"]
    assert (management["region"], management["allowed_account_ids"], "assume_role" in management) == (
        "ap-northeast-1", ["100000000001"], False)
    files = _files(_org(tmp_path, ("  account: management\n", "  account: log-archive\n")))
    member = _parsed(files["bootstrap/providers.tf"])["provider"][0]["aws"]
    assert (member["allowed_account_ids"], member["assume_role"]) == (["200000000002"], [
        {"role_arn": "arn:aws:iam::200000000002:role/OrganizationAccountAccessRole", "session_name": "baselinegen-bootstrap"}])
    single = _parsed((rendered_example / "bootstrap/providers.tf").read_text())["provider"][0]["aws"]
    assert "allowed_account_ids" not in single and "assume_role" not in single


def test_the_bootstrap_root_with_ci_validates_plans_and_applies_through_the_stand_in_provider(tmp_path, terraform_env, terraform_bin):
    out = tmp_path / "out"
    api.render(_org(tmp_path, extra=CI), out)
    run = run_root(terraform_bin, out, out / "bootstrap", terraform_env)
    assert run.failed is None, run.failed
    assert (run.validate["valid"], run.validate["warning_count"], run.planned, run.replan_exit) == (True, 0, (9, 0, 0), 0)


def test_the_bootstrap_root_with_ci_is_checkov_clean(tmp_path, checkov_bin):
    out = tmp_path / "out"
    api.render(_org(tmp_path, extra=CI), out)
    report = run_checkov(checkov_bin, str(out / "bootstrap"))
    assert report["results"]["failed_checks"] == []
    assert sorted((c["check_id"], c["resource"]) for c in report["results"]["skipped_checks"]) == sorted(
        [(c, "aws_s3_bucket.state") for c in ("CKV_AWS_18", "CKV_AWS_144", "CKV2_AWS_62")]
        + [(c, "aws_iam_policy_document.state_key") for c in ("CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356")])


# validation ----------------------------------------------------------------------------------------------------------

def test_a_state_bucket_named_like_a_baseline_bucket_in_another_partition_with_a_key_elsewhere_is_located(tmp_path):
    assert problems(tmp_path, """
        version: 1
        organization: {name: acme, home_region: eu-west-1, regions: [eu-west-1]}
        state:
          bucket: acme-cloudtrail-123456789012
          region: cn-north-1
          kms_key: arn:aws:kms:eu-west-2:123456789012:alias/x
    """) == [
        "4:11: state.bucket: 'acme-cloudtrail-123456789012' is the name of the baseline's bucket logging.cloudtrail.bucket.name "
        "('acme-cloudtrail-<account>'); the state needs a bucket of its own: choose another name [E261]",
        "5:11: state.region: 'cn-north-1' is in the aws-cn partition, the home Region eu-west-1 in aws: the baseline's "
        "credentials cannot reach it; choose a Region of the home Region's partition [E262]",
        "6:12: state.kms_key: the key is in eu-west-2 (aws), the state bucket in cn-north-1 (aws-cn): S3 encrypts only "
        "with a key of the bucket's own Region; name a key in cn-north-1 [E263]"]


def test_a_state_bucket_named_like_a_given_config_bucket_or_against_s3_rules_is_refused(tmp_path):
    assert problems(tmp_path, """
        version: 1
        organization: {name: acme, home_region: eu-west-1, regions: [eu-west-1]}
        config: {bucket: {name: shared-logs}}
        state: {bucket: shared-logs}
    """) == ["4:17: state.bucket: 'shared-logs' is the name of the baseline's bucket config.bucket.name ('shared-logs'); "
             "the state needs a bucket of its own: choose another name [E261]"]
    assert problems(tmp_path, """
        version: 1
        organization: {name: acme, home_region: eu-west-1, regions: [eu-west-1]}
        state: {bucket: Acme_State}
    """) == ["3:17: state.bucket: S3 refuses the bucket name 'Acme_State': it has characters a bucket name cannot have: "
             "'A', '_', 'S'; allowed: lowercase letters, digits, dots and hyphens; it must begin and end with a lowercase "
             "letter or digit [E120]"]


def test_a_renamed_account_with_state_in_s3_is_told_to_copy_its_state_object(tmp_path):
    path = _org(tmp_path, ("  - name: payments-prod\n", "  - name: payments-live\n    renamed_from: [payments-prod]\n"),
                ("        apply_to: [payments-prod]\n", "        apply_to: [payments-live]\n"),  # what names the account too
                ("account: payments-prod, ", "account: payments-live, "))
    [warning] = [p for p in api.load_profile(path).warnings if p.code == "W430"]
    assert ("`aws s3 cp s3://acme-org-terraform-state/accounts/payments-prod/terraform.tfstate "
            "s3://acme-org-terraform-state/accounts/payments-live/terraform.tfstate`") in warning.message
    assert "before the first plan of accounts/payments-live/" in warning.message


# review --------------------------------------------------------------------------------------------------------------

def test_a_moved_bucket_is_called_out_as_a_state_migration_in_every_root(tmp_path):
    old = _files(_org(tmp_path))
    new = _files(_org(tmp_path, ("bucket: acme-org-terraform-state", "bucket: acme-org-tf-state")))
    accounts = [f"accounts/{a}" for a in ("identity", "log-archive", "management", "payments-prod", "payments-staging",
                                           "security")]
    state = [c for c in build_review(old, new).summary if c.area == "state"]
    assert [c.text for c in state] == [  # every root moves, each with its own key; the account roots' alike (review/fanout.py)
        ("every account: " if root == "accounts/<account>" else "")
        + f"state moves from s3://acme-org-terraform-state/{root}/terraform.tfstate (ap-northeast-1) to "
        f"s3://acme-org-tf-state/{root}/terraform.tfstate (ap-northeast-1): a state migration you carry out, "
        f"`terraform init -migrate-state` (answer yes) in `{root}` before the next plan; until then Terraform refuses "
        "to plan there" for root in ("accounts/<account>", "bootstrap")]
    assert state[0].addresses == tuple(f"{root}/backend.tf" for root in accounts)


def test_adding_state_is_a_migration_from_the_local_state(tmp_path):
    old = _files(_stateless(tmp_path, EXAMPLES / "acme.yaml"))
    new = _files(EXAMPLES / "acme.yaml")
    assert [c.text for c in build_review(old, new).summary if c.area == "state"] == [
        "state moves from a local terraform.tfstate to s3://acme-terraform-state/baseline/terraform.tfstate "
        "(ap-northeast-1): a state migration you carry out, `terraform init -migrate-state` (answer yes) in `.` before "
        "the next plan; until then Terraform refuses to plan there"]


# the first-apply runbook ---------------------------------------------------------------------------------------------

def _runbook(readme: str) -> str:
    return readme[readme.index("## First apply"):readme.index("## Who owns which file")]


def test_the_single_account_runbook_bootstraps_migrates_then_applies(tmp_path):
    runbook = _runbook(_single_without_ci(tmp_path)["README.md"])
    assert ("cd bootstrap\nprintf 'terraform {\\n  backend \"local\" {}\\n}\\n' > backend_override.tf\nterraform init\n"
            "terraform apply\nrm backend_override.tf\nterraform init -migrate-state") in runbook
    assert "state into `s3://acme-terraform-state/bootstrap/terraform.tfstate`" in runbook
    assert "terraform init                   # the backend: s3://acme-terraform-state/baseline/terraform.tfstate" in runbook
    assert "*Key rotation* is on" in runbook and "Bucket\nVersioning *Enabled*" in runbook
    assert "baseline_role" not in runbook  # no ci.github: no CI roles to take over with


def test_the_organisation_runbook_applies_bootstrap_then_the_waves_with_the_roles_of_the_first_apply(tmp_path):
    runbook = _runbook(_files(_org(tmp_path, extra=CI))["README.md"])
    assert ("Order: 1 `bootstrap/` (the state bucket), then the accounts wave by wave: 2 log-archive (`log-archive`), "
            "3 management (`management`), 4 security (`security`), 5 workload (`identity`, `payments-prod`, "
            "`payments-staging`).") in runbook
    assert ("cd accounts/log-archive\nterraform init\nterraform plan -var 'baseline_role=OrganizationAccountAccessRole' "
            "-out baseline.tfplan\nterraform apply baseline.tfplan\ncd ../..") in runbook
    assert "cd accounts/management\nterraform init\nterraform plan -var 'baseline_role=' -out baseline.tfplan" in runbook
    # the organisation, the Security unit (units[].id) and the five member accounts placed (tests/test_terraform_plan.py)
    assert "its first plan shows\n`7 to import`" in runbook
    assert "pushes to\n`main` in the environment `production` apply with `acme-baseline-apply`" in runbook
    assert runbook.index("### 1. `bootstrap/`") < runbook.index("### 2. The accounts") < runbook.index("### 3. CI takes over")


def test_without_state_the_runbook_says_state_is_local_and_how_to_add_it(tmp_path):
    runbook = _runbook(_files(_stateless(tmp_path, EXAMPLES / "acme.yaml"))["README.md"])
    assert runbook.startswith("## First apply\n\nState is local: each root keeps `terraform.tfstate` on the machine")
    assert "add a `state:` section to the profile" in runbook and "bootstrap/" in runbook


def test_another_key_for_the_same_state_objects_is_a_reconfiguration_not_a_migration(tmp_path):
    key = "arn:aws:kms:ap-northeast-1:100000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    old = _files(EXAMPLES / "acme.yaml")
    new = _files(write_acme(tmp_path / "acme.yaml", ("  region: ap-northeast-1\n", f"  region: ap-northeast-1\n  kms_key: {key}\n")))
    assert [c.text for c in build_review(old, new).summary if c.area == "state"][0] == (
        f"state: encrypted with `{key}` instead of `alias/acme-terraform-state` from its next write; run `terraform init "
        "-reconfigure` in `.`, `bootstrap` before the next plan")


@pytest.mark.parametrize("section, code", [("state", "E260"), ("ci", "E265")])
def test_an_account_key_naming_no_account_is_located_with_a_did_you_mean(tmp_path, section, code):
    path = (_org(tmp_path, ("  account: management\n", "  account: securty\n")) if section == "state"
            else _org(tmp_path, extra="ci:\n  account: securty\n"))
    found = [p for p in api.check_profile(path)[0] if p.code == code]
    assert [(p.path, p.message) for p in found] == [(f"{section}.account", (
        "no account is named 'securty' (did you mean 'security'?); accounts: management, log-archive, security, identity, "
        "payments-prod, payments-staging"))]
    assert found[0].location.line == path.read_text().splitlines().index("  account: securty") + 1
