"""``adopt`` / ``accounts[].adopt``: existing parts imported, not created. The exact import blocks of each part
(named Config recorders and delegated-administrator registrations included); an organisation and a single account
adopting every part in every Region, an organisation without a security account and examples/acme-brownfield.yaml
validate, plan "to import" exactly the adopted resources with nothing to destroy, apply, and plan no change once the
adopt entries are gone. What the review, the controls report and the runbook say: tests/test_adopt_review.py."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.components.base import Import
from baselinegen.organization.imports import Where, adopt_imports
from baselinegen.profile.adopt_parts import ORGANISATION_ONLY, PARTS
from conftest import EXAMPLES
from support.terraform_runs import local_state, run_root, terraform

BASE = ["password-policy", "ebs-encryption", "s3-public-access-block", "config", "config-service-role"]
ADMINISTRATOR = BASE + ["security-hub", "guardduty", "inspector", "ecr-scanning", "access-analyzer"]
EVERY = ADMINISTRATOR + ["cloudtrail"]
REGIONS = ("ap-northeast-1", "us-east-1")
CALLER = "data.aws_caller_identity.adopt.account_id"
TYPES = "EC2:ECR:LAMBDA"
HUB_ID = "1a2b3c4d-0000-4000-8000-0123456789ab"


def _why(part: str, what: str, region: str = "") -> str:
    return f"adopt: {part}" + (f" in {region}" if region else "") + f": the existing {what} is imported, not created"


def _where(organization: bool, role: str = "security", administrator: str = "security") -> Where:
    ids = {"security": "300000000003", "management": "100000000001"}
    return Where(ids[role] if organization else None, role if organization else None, administrator, "acme",
                 "ap-northeast-1", "acme-trail", ("EC2", "ECR", "LAMBDA"), ids[administrator] if organization else "")


@pytest.mark.parametrize("organization", [True, False])
def test_each_part_has_its_import_block(organization):
    place = _where(organization, "management" if organization else "security")
    # (security-hub-aggregator has no default: only AWS knows its id, E397)
    found = {name: adopt_imports(((name, None, HUB_ID if name == "security-hub-aggregator" else None),), REGIONS, place)
             for name in PARTS if name not in ORGANISATION_ONLY}
    account = (lambda suffix: "100000000001" + suffix) if organization else (lambda suffix: f'"${{{CALLER}}}{suffix}"')
    expression = not organization
    expected = {
        "password-policy": (Import(f"module.{'job_roles' if organization else 'iam'}.aws_iam_account_password_policy.this",
                                   "iam-account-password-policy", _why("password-policy", "IAM account password policy")),),
        "ebs-encryption": tuple(Import(f'module.guards.aws_ebs_encryption_by_default.this["{r}"]', f"default@{r}",
                                       _why("ebs-encryption", "EBS encryption by default", r)) for r in REGIONS),
        "s3-public-access-block": (Import("module.guards.aws_s3_account_public_access_block.this",
                                          "100000000001" if organization else CALLER,
                                          _why("s3-public-access-block", "S3 account Block Public Access"), expression),),
        "config": tuple(Import(f'module.config.{address}["{r}"]', f"default@{r}", _why("config", "AWS Config recorder", r))
                        for r in REGIONS for address in ("aws_config_configuration_recorder.this",
                                                          "aws_config_delivery_channel.this",
                                                          "aws_config_configuration_recorder_status.this")),
        "config-service-role": (Import("module.config.aws_iam_service_linked_role.config",
                                       "arn:aws:iam::100000000001:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
                                       if organization else f'"arn:aws:iam::${{{CALLER}}}:role/aws-service-role/config.amazonaws.com/'
                                       'AWSServiceRoleForConfig"', _why("config-service-role", "AWS Config service-linked role"),
                                       expression),),
        # the management account is a member of the security account's organisation: its analyzer and ECR scanning
        # are the account module's; Security Hub, GuardDuty and Inspector are the administrator's
        "access-analyzer": tuple(Import(f'module.{"account_detection" if organization else "detection"}.aws_accessanalyzer_analyzer.this["{r}"]',
                                        f"acme-{r}@{r}", _why("access-analyzer", "IAM Access Analyzer", r)) for r in REGIONS),
        # (with Inspector's enhanced scanning validation stops ecr-scanning in a member account: E281)
        "ecr-scanning": tuple(Import(f'module.{"account_detection" if organization else "detection"}.aws_ecr_registry_scanning_configuration.this["{r}"]',
                                     account(f"@{r}"), _why("ecr-scanning", "ECR registry scanning configuration", r), expression)
                              for r in REGIONS),
        "cloudtrail": (Import("module.cloudtrail.aws_cloudtrail.this", "arn:aws:cloudtrail:ap-northeast-1:100000000001:trail/acme-trail"
                              if organization else f'"arn:aws:cloudtrail:ap-northeast-1:${{{CALLER}}}:trail/acme-trail"',
                              _why("cloudtrail", "CloudTrail trail"), expression),),
    }
    administrator = {
        "security-hub": tuple(Import(f'module.detection.aws_securityhub_account.this["{r}"]', account(f"@{r}"),
                                     _why("security-hub", "Security Hub", r), expression) for r in REGIONS),
        "guardduty": tuple(Import(f'module.detection.aws_guardduty_detector.this["{r}"]',
                                  f'"${{data.aws_guardduty_detector.adopt["{r}"].id}}@{r}"',
                                  _why("guardduty", "GuardDuty detector", r), True) for r in REGIONS),
        "inspector": tuple(Import(f'module.detection.aws_inspector2_enabler.this["{r}"]', account(f"-{TYPES}@{r}"),
                                  _why("inspector", "Amazon Inspector activation", r), expression) for r in REGIONS),
        "security-hub-aggregator": (Import("module.detection.aws_securityhub_finding_aggregator.this",
                                           f'"arn:aws:securityhub:ap-northeast-1:${{{CALLER}}}:finding-aggregator/{HUB_ID}"',
                                           _why("security-hub-aggregator", "Security Hub finding aggregator"), True),),
    }
    expected |= {name: () for name in administrator} if organization else administrator
    assert found == expected


def test_the_administrator_imports_its_detective_services_with_their_ids():
    place = _where(True, "security")
    assert [(i.to, i.id) for name in ("guardduty", "inspector", "ecr-scanning", "access-analyzer")
            for i in adopt_imports(((name, ("us-east-1",), None),), REGIONS, place)] == [
        ('module.detection.aws_guardduty_detector.this["us-east-1"]', '"${data.aws_guardduty_detector.adopt["us-east-1"].id}@us-east-1"'),
        ('module.detection.aws_inspector2_enabler.this["us-east-1"]', "300000000003-EC2:ECR:LAMBDA@us-east-1"),
        ('module.detection.aws_ecr_registry_scanning_configuration.this["us-east-1"]', "300000000003@us-east-1"),
        ('module.detection.aws_accessanalyzer_analyzer.this["us-east-1"]', "acme-organization-us-east-1@us-east-1")]


def test_a_named_analyzer_or_trail_is_imported_by_its_name():
    place = _where(True, "management")
    analyzer = adopt_imports((("access-analyzer", ("us-east-1",), "ConsoleAnalyzer-1a2b"),), REGIONS, place)
    trail = adopt_imports((("cloudtrail", None, "org-trail"),), REGIONS, place)
    assert [(i.to, i.id) for i in analyzer + trail] == [
        ('module.account_detection.aws_accessanalyzer_analyzer.this["us-east-1"]', "ConsoleAnalyzer-1a2b@us-east-1"),
        ("module.cloudtrail.aws_cloudtrail.this", "arn:aws:cloudtrail:ap-northeast-1:100000000001:trail/org-trail")]


def test_a_regional_part_can_be_adopted_in_some_regions_only():
    assert [i.to for i in adopt_imports((("config", ("us-east-1",), None),), REGIONS, _where(True))] == [
        'module.config.aws_config_configuration_recorder.this["us-east-1"]',
        'module.config.aws_config_delivery_channel.this["us-east-1"]',
        'module.config.aws_config_configuration_recorder_status.this["us-east-1"]']


def test_a_config_recorder_and_channel_with_other_names_are_imported_by_those_names():
    found = adopt_imports((("config", ("us-east-1",), "my-recorder", "my-channel"),), REGIONS, _where(True))
    assert [(i.to, i.id) for i in found] == [
        ('module.config.aws_config_configuration_recorder.this["us-east-1"]', "my-recorder@us-east-1"),
        ('module.config.aws_config_delivery_channel.this["us-east-1"]', "my-channel@us-east-1"),
        ('module.config.aws_config_configuration_recorder_status.this["us-east-1"]', "my-recorder@us-east-1")]
    # a recorder named, its channel still "default"
    assert [i.id for i in adopt_imports((("config", ("us-east-1",), "my-recorder", None),), REGIONS, _where(False))] == [
        "my-recorder@us-east-1", "default@us-east-1", "my-recorder@us-east-1"]


@pytest.mark.parametrize("administrator", ["security", "management"])
def test_delegated_administrator_registrations_are_imported_in_the_management_root(administrator):
    """With a security account the governance module registers it (account id of the security account); without,
    the management account designates itself in its detection module and registers nothing through Organizations."""
    place = _where(True, "management", administrator)
    account, module, key = (("300000000003", "governance", "security") if administrator == "security"
                            else ("100000000001", "detection", "this"))
    found = adopt_imports((("guardduty-administrator", ("us-east-1",), None), ("security-hub-administrator", None, None),
                           ("inspector-administrator", ("ap-northeast-1",), None))
                          + ((("delegated-administrator", None, "config.amazonaws.com"),) if administrator == "security" else ()),
                          REGIONS, place)
    assert [(i.to, i.id, i.why) for i in found] == [
        (f'module.{module}.aws_guardduty_organization_admin_account.{key}["us-east-1"]', f"{account}@us-east-1",
         _why("guardduty-administrator", "GuardDuty delegated administrator", "us-east-1")),
        (f'module.{module}.aws_securityhub_organization_admin_account.{key}["ap-northeast-1"]', f"{account}@ap-northeast-1",
         _why("security-hub-administrator", "Security Hub delegated administrator", "ap-northeast-1")),
        (f'module.{module}.aws_securityhub_organization_admin_account.{key}["us-east-1"]', f"{account}@us-east-1",
         _why("security-hub-administrator", "Security Hub delegated administrator", "us-east-1")),
        (f'module.{module}.aws_inspector2_delegated_admin_account.{key}["ap-northeast-1"]', f"{account}@ap-northeast-1",
         _why("inspector-administrator", "Inspector delegated administrator", "ap-northeast-1"))] + [
        ('module.governance.aws_organizations_delegated_administrator.security["config.amazonaws.com"]',
         "300000000003/config.amazonaws.com", _why("delegated-administrator config.amazonaws.com",
                                                    "delegated administrator registration"))][:administrator == "security"]
    assert all(adopt_imports(((name, None, "config.amazonaws.com"),), REGIONS, _where(False)) == () for name in ORGANISATION_ONLY)


def test_the_table_names_the_provider_docs_of_each_part():
    for part in PARTS.values():
        assert [address.split(".")[0] for address, _ in part.resources] == [
            "aws_" + s.rsplit("/", 1)[1].removesuffix("#import") for s in part.source]
        assert all(s.startswith("https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/")
                   for s in part.source)


NAMED_CONFIG = {"part": "config", "name": "legacy-recorder", "delivery_channel": "legacy-channel"}
NAMED_ANALYZER = {"part": "access-analyzer", "name": "ConsoleAnalyzer-1a2b"}
# every registration of the security account as delegated administrator that the management root renders
DELEGATED = [{"part": "delegated-administrator", "name": p} for p in ("access-analyzer.amazonaws.com", "config.amazonaws.com",
                                                                      "config-multiaccountsetup.amazonaws.com")]
ADMINISTRATORS = ["guardduty-administrator", "security-hub-administrator", "inspector-administrator"]
ROLE_PARTS = {"management": BASE + ["access-analyzer", "guardduty", "inspector", {"part": "cloudtrail", "name": "org-trail"}]
              + DELEGATED + ADMINISTRATORS,
              "log-archive": BASE + ["access-analyzer"], "security": ADMINISTRATOR,
              "workload": BASE[:3] + [NAMED_CONFIG, "config-service-role", NAMED_ANALYZER, "guardduty", "inspector"]}


def _organization_adopting_everything(folder: Path, adopt: bool) -> Path:
    text = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")
    if adopt:
        for role, parts in ROLE_PARTS.items():
            listed = ", ".join(p if isinstance(p, str) else "{" + ", ".join(f"{k}: {v}" for k, v in p.items()) + "}" for p in parts)
            text = text.replace(f"    role: {role}\n", f"    role: {role}\n    adopt: [{listed}]\n")
    else:  # the names stay: the trail's in logging.cloudtrail.name, the analyzers' and recorders' in named adopt entries
        text = text.replace("  cloudtrail:\n", "  cloudtrail:\n    name: org-trail\n", 1)
        text = text.replace("    role: workload\n", "    role: workload\n    adopt: [{part: access-analyzer, name: ConsoleAnalyzer-1a2b}, "
                                                  "{part: config, name: legacy-recorder, delivery_channel: legacy-channel}]\n")
    path = folder / "org.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _account_adopting_everything(folder: Path, adopt: bool) -> Path:
    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
    start, end = text.index("\nadopt:"), text.index("\niam:")
    text = text[:start] + (f"\nadopt: [{', '.join(EVERY)}]\n" if adopt else "\n") + text[end:]
    path = folder / "single.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ADMINISTERS_ITSELF = """version: 1
organization: {name: acme, home_region: us-east-1, regions: [us-east-1, eu-west-1], id: o-a1b2c3d4e5}
state: {bucket: acme-terraform-state}
accounts:
  - {name: management, id: "011111111111", role: management, adopt: [ADOPT]}
  - {name: log-archive, id: "044444444444", role: log-archive}
  - {name: payments, id: "022222222222", role: workload}
iam: {identity_account: payments}
monitoring: {topic: {email: [security@acme.example]}}
"""


def _administers_itself(folder: Path, adopt: bool) -> Path:
    """No security account: the management account designates itself (its detection module) in every Region."""
    path = folder / "itself.yaml"
    path.write_text(ADMINISTERS_ITSELF.replace("ADOPT", ", ".join(ADMINISTRATORS) if adopt else ""), encoding="utf-8")
    return path


def _brownfield(folder: Path, adopt: bool) -> Path:
    path = folder / "brownfield.yaml"
    path.write_text((EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def adopted_trees(tmp_path_factory, terraform_env, terraform_bin):
    """Both profiles rendered and their importing roots applied: {(name, root): (RootRun, import blocks)}."""
    folder = tmp_path_factory.mktemp("adopt")
    trees = {}
    for name, write in (("org", _organization_adopting_everything), ("single", _account_adopting_everything),
                        ("brownfield", _brownfield), ("itself", _administers_itself)):
        out = folder / name
        api.render(write(folder, True), out)
        trees[name] = out
    jobs = [(name, tree, f.parent) for name, tree in trees.items() for f in sorted(tree.rglob("imports.tf"))
            if ".terraform" not in f.parts and "bootstrap" not in f.parts]
    local_state(jobs[0][2])
    terraform(terraform_bin, jobs[0][2], terraform_env, "init", "-input=false", "-no-color")
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda job: run_root(terraform_bin, job[1], job[2], terraform_env), jobs))
    return folder, trees, {(name, run.root): (run, (root / "imports.tf").read_text().count("\nimport {"))
                           for (name, _, root), run in zip(jobs, runs)}


def test_every_adopting_root_plans_its_imports_and_nothing_to_destroy(adopted_trees):
    _, _, runs = adopted_trees
    accounts = ("identity", "log-archive", "management", "payments-prod", "payments-staging", "security")
    assert sorted(runs) == ([("brownfield", f"accounts/{a}") for a in ("management", "payments-prod", "payments-staging", "security")]
                            + [("itself", "accounts/management")] + [("org", f"accounts/{a}") for a in accounts]
                            + [("single", ".")])
    blocks = {key: count for key, (_, count) in runs.items()}
    # every part in every Region of the account (staging runs in one Region); config: 3 resources per Region, then its
    # service-linked role; the security account administers Security Hub, GuardDuty, Inspector and ECR scanning
    # (enhanced, by Inspector); the other accounts' GuardDuty and Inspector are enrolled by it (W440: no import block)
    assert blocks[("org", "accounts/security")] == 1 + 2 + 1 + 6 + 1 + 2 + 2 + 2 + 2 + 2
    assert blocks[("org", "accounts/payments-staging")] == 1 + 1 + 1 + 3 + 1 + 1
    assert blocks[("org", "accounts/payments-prod")] == 1 + 2 + 1 + 6 + 1 + 2
    # the trail, the organisation as before, the existing Security unit (units[].id) and the five member accounts the
    # units place (aws_organizations_account, imported by id), three registrations through AWS Organizations and the
    # GuardDuty, Security Hub and Inspector administrator in each Region
    assert blocks[("org", "accounts/management")] == 1 + 2 + 1 + 6 + 1 + 2 + 1 + 1 + 1 + 5 + 3 + 3 * 2
    assert blocks[("single", ".")] == 1 + 2 + 1 + 6 + 1 + 2 + 2 + 2 + 2 + 2 + 1
    # examples/acme-brownfield.yaml: the management account's Tokyo recorder and Config's service-linked role, the
    # config.amazonaws.com registration and the GuardDuty (every Region) and Security Hub (Tokyo) administrators;
    # payments-prod's named recorder (set up with a role of its own: no service-linked role)
    assert blocks[("brownfield", "accounts/management")] == 1 + 3 + 1 + 1 + 2 + 1 + 1 + 1 + 5
    assert blocks[("brownfield", "accounts/payments-prod")] == 1 + 1 + 6
    # the organisation, and the management account's own designation for GuardDuty, Security Hub and Inspector
    assert blocks[("itself", "accounts/management")] == 1 + 3 * 2
    for key, (run, count) in runs.items():
        assert run.failed is None, (key, run.failed)
        assert run.imported == count and run.planned[2] == 0, (key, run.imported, run.planned)
        assert run.replan_exit == 0, (key, run.replan_output[-3000:])


def test_removing_the_adopt_entries_after_the_apply_plans_no_change(adopted_trees, terraform_env, terraform_bin):
    folder, trees, runs = adopted_trees
    api.render(_organization_adopting_everything(folder, False), trees["org"])
    api.render(_account_adopting_everything(folder, False), trees["single"])
    api.render(_administers_itself(folder, False), trees["itself"])
    assert not (trees["single"] / "imports.tf").exists()
    assert sorted(p.parent.name for p in (trees["org"] / "accounts").glob("*/imports.tf")) == [
        "identity", "management", "payments-prod", "payments-staging"]
    # (the brownfield example's entries are not all dropped: without its named ones, their resources would be renamed)
    roots = [trees[name] / root for name, root in runs if name != "brownfield"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        plans = list(pool.map(lambda root: terraform(terraform_bin, root, terraform_env, "plan", "-input=false",
                                                     "-no-color", "-detailed-exitcode"), roots))
    for root, plan in zip(roots, plans):
        assert plan.returncode == 0, (root, plan.stdout[-3000:] + plan.stderr)


def test_a_single_account_keeps_its_named_recorder_through_the_config_module_inputs(tmp_path):
    from baselinegen.pipeline import load_profile, render_tree

    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
    entry = "  - {part: config, regions: [ap-northeast-1]}"
    assert entry in text
    (tmp_path / "named.yaml").write_text(text.replace(entry, "  - {part: config, regions: [ap-northeast-1], name: legacy}"))
    files = {f.path: f.content for f in render_tree(load_profile(tmp_path / "named.yaml").profile).files}
    assert '  recorder_names    = { "ap-northeast-1" = "legacy" }\n' in files["main.tf"]  # aligned as terraform fmt does
    assert "delivery_channel_names" not in files["main.tf"]  # the channel keeps "default": nothing to pass
    assert '  name     = lookup(var.recorder_names, each.value, "default")\n' in files["modules/config/main.tf"]  # aligned as terraform fmt does
    assert 'variable "recorder_names" {' in files["modules/config/variables.tf"]
    assert [line for line in files["imports.tf"].splitlines() if line.startswith("  id = ") and "ap-northeast-1" in line] == [
        '  id = "legacy@ap-northeast-1"', '  id = "default@ap-northeast-1"', '  id = "legacy@ap-northeast-1"']
