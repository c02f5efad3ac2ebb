"""``adopt`` / ``accounts[].adopt``: existing parts imported, not created. The exact import blocks of each part; an
organisation and a single account adopting every part in every Region validate, plan "to import" exactly the
adopted resources with nothing to destroy, apply, and plan no change once the adopt entries are gone."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.components.base import Import
from baselinegen.organization.imports import Where, adopt_imports
from baselinegen.profile.adopt_parts import ORGANISATION_ONLY, PARTS
from conftest import EXAMPLES
from support.terraform_runs import local_state, run_root, terraform

BASE = ["password-policy", "ebs-encryption", "s3-public-access-block", "config"]
ADMINISTRATOR = BASE + ["security-hub", "guardduty", "inspector", "ecr-scanning", "access-analyzer"]
EVERY = ADMINISTRATOR + ["cloudtrail"]
REGIONS = ("ap-northeast-1", "us-east-1")
CALLER = "data.aws_caller_identity.adopt.account_id"
TYPES = "EC2:ECR:LAMBDA"


def _why(part: str, what: str, region: str = "") -> str:
    return f"adopt: {part}" + (f" in {region}" if region else "") + f": the existing {what} is imported, not created"


def _where(organization: bool, role: str = "security", administrator: str = "security") -> Where:
    ids = {"security": "300000000003", "management": "100000000001"}
    return Where(ids[role] if organization else None, role if organization else None, administrator, "acme",
                 "ap-northeast-1", "acme-trail", ("EC2", "ECR", "LAMBDA"), ids[administrator] if organization else "")


@pytest.mark.parametrize("organization", [True, False])
def test_each_part_has_its_import_block(organization):
    place = _where(organization, "management" if organization else "security")
    found = {name: adopt_imports(((name, None, None),), REGIONS, place) for name in PARTS if name not in ORGANISATION_ONLY}
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
              "workload": BASE[:3] + [NAMED_CONFIG, NAMED_ANALYZER, "guardduty", "inspector"]}


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
                        ("brownfield", _brownfield)):
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
                            + [("org", f"accounts/{a}") for a in accounts] + [("single", ".")])
    blocks = {key: count for key, (_, count) in runs.items()}
    # every part in every Region of the account (staging runs in one Region); config: 3 resources per Region; the
    # security account administers Security Hub, GuardDuty, Inspector and ECR scanning (enhanced, by Inspector); the
    # other accounts' GuardDuty and Inspector are enrolled by it (W440: no import block)
    assert blocks[("org", "accounts/security")] == 1 + 2 + 1 + 6 + 2 + 2 + 2 + 2 + 2
    assert blocks[("org", "accounts/payments-staging")] == 1 + 1 + 1 + 3 + 1
    assert blocks[("org", "accounts/payments-prod")] == 1 + 2 + 1 + 6 + 2
    # the trail, the organisation as before, the existing Security unit (units[].id) and the five member accounts the
    # units place (aws_organizations_account, imported by id), three registrations through AWS Organizations and the
    # GuardDuty, Security Hub and Inspector administrator in each Region
    assert blocks[("org", "accounts/management")] == 1 + 2 + 1 + 6 + 2 + 1 + 1 + 1 + 5 + 3 + 3 * 2
    assert blocks[("single", ".")] == 1 + 2 + 1 + 6 + 2 + 2 + 2 + 2 + 2 + 1
    # examples/acme-brownfield.yaml: the management account's Tokyo recorder, the config.amazonaws.com registration
    # and the GuardDuty (every Region) and Security Hub (Tokyo) administrators; payments-prod's named recorder
    assert blocks[("brownfield", "accounts/management")] == 1 + 3 + 1 + 2 + 1 + 1 + 1 + 5
    assert blocks[("brownfield", "accounts/payments-prod")] == 1 + 1 + 6
    for key, (run, count) in runs.items():
        assert run.failed is None, (key, run.failed)
        assert run.imported == count and run.planned[2] == 0, (key, run.imported, run.planned)
        assert run.replan_exit == 0, (key, run.replan_output[-3000:])


def test_removing_the_adopt_entries_after_the_apply_plans_no_change(adopted_trees, terraform_env, terraform_bin):
    folder, trees, runs = adopted_trees
    api.render(_organization_adopting_everything(folder, False), trees["org"])
    api.render(_account_adopting_everything(folder, False), trees["single"])
    assert not (trees["single"] / "imports.tf").exists()
    assert sorted(p.parent.name for p in (trees["org"] / "accounts").glob("*/imports.tf")) == [
        "identity", "management", "payments-prod", "payments-staging"]
    roots = [trees[name] / root for name, root in runs]
    with ThreadPoolExecutor(max_workers=2) as pool:
        plans = list(pool.map(lambda root: terraform(terraform_bin, root, terraform_env, "plan", "-input=false",
                                                     "-no-color", "-detailed-exitcode"), roots))
    for root, plan in zip(roots, plans):
        assert plan.returncode == 0, (root, plan.stdout[-3000:] + plan.stderr)


def _files(profile: Path) -> dict[str, str]:
    from baselinegen.pipeline import load_profile, render_tree

    return {f.path: f.content for f in render_tree(load_profile(profile).profile).files}


def test_the_review_lists_imports_by_effect_and_a_removed_adopt_entry_changes_nothing(tmp_path):
    from baselinegen.review import build_review, format_review

    (tmp_path / "brownfield.yaml").write_text((EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8"))
    text = (EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8")
    (tmp_path / "plain.yaml").write_text(text.replace("    adopt: [password-policy]\n", "", 1), encoding="utf-8")
    review = build_review(_files(tmp_path / "plain.yaml"), _files(tmp_path / "brownfield.yaml"))
    address = "module.job_roles.aws_iam_account_password_policy.this"
    assert review.imports == (
        f"accounts/payments-staging: Account password policy: adopted (imported, not created; `{address}`); settings "
        "brought to the profile by the same apply: minimum_password_length 14, require_uppercase_characters true, "
        "require_lowercase_characters true, require_numbers true, require_symbols true, allow_users_to_change_password "
        "true, password_reuse_prevention 24 (the profile's values: the review cannot see the current ones in AWS; the "
        "plan shows those that differ as changes); the import block is safe to remove after that first apply (before "
        "it, Terraform would create the resource again)",)
    assert review.destroyed == () and review.summary == ()
    back = build_review(_files(tmp_path / "brownfield.yaml"), _files(tmp_path / "plain.yaml"))
    assert back.imports == (f"accounts/payments-staging: Account password policy: import block removed: nothing changes "
                            f"in AWS (`{address}`; Terraform keeps managing it once an apply imported it)",)
    assert back.destroyed == () and back.summary == ()
    assert "Imports (1):\n  - accounts/payments-staging: Account password policy: import block removed" in format_review(back, "text")
    assert "### Imports (1)\n\n- accounts/payments-staging: Account password policy: adopted" in format_review(review, "markdown")


def test_the_review_lists_the_settings_the_apply_brings_an_adopted_detector_and_recorder_to(tmp_path):
    """GuardDuty: the detector's arguments and the protection plans its module sets; Config: the recorder's recording
    group decided per Region (global resource types in the home Region only), the channel's delivery."""
    from baselinegen.review import build_review

    text = (EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8")
    entries = "      - config\n      - ebs-encryption\n      - guardduty                      #"
    assert entries in text
    (tmp_path / "brownfield.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "plain.yaml").write_text(text.replace(entries, "      - ebs-encryption\n      #"), encoding="utf-8")
    lines = build_review(_files(tmp_path / "plain.yaml"), _files(tmp_path / "brownfield.yaml")).imports
    brought = {line.split(": adopted")[0]: line.split("by the same apply: ")[1].split(" (the profile's values")[0] for line in lines}
    assert brought == {
        **{f"accounts/security: GuardDuty detector in {r}": (
            "enable true, finding_publishing_frequency FIFTEEN_MINUTES, protection plans enabled: S3_DATA_EVENTS, "
            "EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, LAMBDA_NETWORK_LOGS, protection plans disabled: "
            "RUNTIME_MONITORING") for r in REGIONS},
        **{f"accounts/security: Config recorder in {r}": (
            f"recording_group.all_supported true, recording_group.include_global_resource_types {str(r == REGIONS[0]).lower()}")
           for r in REGIONS},
        **{f"accounts/security: Config delivery channel in {r}": (
            "s3_bucket_name acme-config-200000000002, snapshot_delivery_properties.delivery_frequency TwentyFour_Hours")
           for r in REGIONS},
        **{f"accounts/security: Config recording status in {r}": "is_enabled true" for r in REGIONS}}
    assert all(line.endswith("the import block is safe to remove after that first apply (before it, Terraform would "
                             "create the resource again)") for line in lines)


def test_adopted_resources_count_in_the_controls_like_created_ones():
    from baselinegen.pipeline import controls

    brownfield, created = controls(EXAMPLES / "acme-brownfield.yaml"), controls(EXAMPLES / "acme-org.yaml")
    assert dataclasses.replace(brownfield, profile=created.profile) == created


def test_the_review_warns_when_dropping_a_named_entry_renames_and_so_replaces_the_resource(tmp_path):
    from baselinegen.review import build_review

    text = (EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8")
    named = "      - {part: access-analyzer, name: ConsoleAnalyzer-7f3e9c1a, regions: [ap-northeast-1]}\n"
    assert named in text
    (tmp_path / "brownfield.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "dropped.yaml").write_text(text.replace(named, ""), encoding="utf-8")
    address = 'module.detection.aws_accessanalyzer_analyzer.this["ap-northeast-1"]'
    review = build_review(_files(tmp_path / "brownfield.yaml"), _files(tmp_path / "dropped.yaml"))
    assert review.imports == (
        f"accounts/security: IAM Access Analyzer analyzer in ap-northeast-1: import block removed with the adopt entry that "
        f"named it `ConsoleAnalyzer-7f3e9c1a`: the baseline's name comes back, and a new name replaces the resource "
        f"(`{address}`); keep the entry (or logging.cloudtrail.name) to keep the name (weaker)",)


def test_dropping_a_named_config_entry_says_the_recorder_and_channel_are_replaced(tmp_path):
    from baselinegen.review import build_review

    text = (EXAMPLES / "acme-brownfield.yaml").read_text(encoding="utf-8")
    named = "      - {part: config, name: payments-recorder, delivery_channel: payments-delivery}\n"
    assert named in text
    (tmp_path / "brownfield.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "dropped.yaml").write_text(text.replace(named, ""), encoding="utf-8")
    review = build_review(_files(tmp_path / "brownfield.yaml"), _files(tmp_path / "dropped.yaml"))
    replaced = [(line.split(": import block removed")[0], line.split("named it `")[1].split("`")[0])
                for line in review.imports if "a new name replaces the resource" in line]
    assert replaced == [(f"accounts/payments-prod: Config {what} in {r}", name) for what, name in (
        ("recorder", "payments-recorder"), ("delivery channel", "payments-delivery")) for r in REGIONS]
    assert all(line.endswith("(weaker)") for line in review.imports if "a new name" in line)
    # the recording status goes with its recorder: its import block is removed and nothing else is said of it
    assert sum("Config recording status" in line and "nothing changes in AWS" in line for line in review.imports) == 2


@pytest.mark.parametrize("example", ["acme-org", "acme-brownfield", "acme-identity-center"])
def test_validation_knows_the_registrations_the_management_root_renders(example):
    """delegated-administrator entries are checked against profile/adopt.py's list of principals: it must be the
    list the governance module registers (aws_organizations_delegated_administrator.security)."""
    import re

    from baselinegen.pipeline import load_profile, render_tree
    from baselinegen.profile.adopt import delegated_principals

    profile = load_profile(EXAMPLES / f"{example}.yaml").profile
    main = next(f.content for f in render_tree(profile).files if f.path == "modules/governance/main.tf")
    block = re.search(r'resource "aws_organizations_delegated_administrator" "security" \{\n  for_each = toset\(\[\n(.*?)\]\)', main, re.S)
    rendered = tuple(re.findall(r'"([^"]+)"', block[1])) if block else ()
    assert rendered and delegated_principals(profile.raw) == rendered


def test_the_first_apply_runbook_gives_each_adopting_root_its_import_count():
    """The counts the Terraform run of the brownfield example checks (test_every_adopting_root_plans_its_imports...)."""
    from baselinegen.pipeline import load_profile, render_tree

    readme = next(f.content for f in render_tree(load_profile(EXAMPLES / "acme-brownfield.yaml").profile).files
                  if f.path == "README.md")
    assert ("so its first plan shows\n`15 to import` and changes only the service principals and policy types (and brings "
            "what its `adopt` entries import to the profile, in place)") in readme
    assert ("(`accounts/management`: `15 to import`; `accounts/security`: `15 to import`; `accounts/payments-prod`: "
            "`8 to import`; `accounts/payments-staging`: `1 to import`)") in readme
