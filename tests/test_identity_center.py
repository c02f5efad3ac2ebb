"""People through IAM Identity Center (``iam.identity_source: identity-center``): examples/acme-identity-center.yaml is
examples/acme-org.yaml's organisation with the same job functions as permission sets.

The permission sets come from the groups' policy source (one source: compared with the iam-users render of the
same job functions), each group is assigned in exactly the accounts it reaches, no IAM user, group or job role is
rendered, and the tree validates and plans with the stand-in provider and passes checkov."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.components.iam.permission_sets import PRINCIPAL_ACCOUNT, permission_sets
from baselinegen.components.iam.policies import group_policies
from baselinegen.components.iam.rows import attachment_key, policy_id
from baselinegen.render.filters import tf_identifier
from baselinegen.validate.hclcheck import resource_bodies, unquote
from conftest import plain_hcl
from support.terraform_runs import local_state, terraform, validate
from support.checkov_run import run_checkov

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CENTER = EXAMPLES / "acme-identity-center.yaml"
IDS = {"management": "100000000001", "log-archive": "200000000002", "security": "300000000003", "identity": "400000000004",
       "payments-prod": "500000000005", "payments-staging": "060000000006"}
GROUPS = ["administrators", "infra_admins", "security_admins", "iam_admins", "payments_apps", "operators"]


@pytest.fixture(scope="module")
def profile():
    return api.load_profile(CENTER).profile


@pytest.fixture(scope="module")
def files(profile):
    result = api.render_tree(profile)
    api.verify(result, profile)  # the invariants (components/iam/center_invariants.py) hold
    return {f.path: f.content for f in result.files}


@pytest.fixture(scope="module")
def center(profile, parse_iam_organization):
    return parse_iam_organization(profile)


@pytest.fixture(scope="module")
def users_mode(parse_iam_organization):
    """The same organisation in iam-users mode: examples/acme-org.yaml (the same groups, duties and reach)."""
    return parse_iam_organization(api.load_profile(EXAMPLES / "acme-org.yaml").profile)


def test_the_example_validates_without_warnings_and_renders_no_iam_user_group_or_job_role(files):
    problems, built = api.check_profile(CENTER)
    assert (problems, built is not None) == ([], True)
    people = {m.group(1) for path, text in files.items() if not path.startswith("modules/break_glass/")
              for m in re.finditer(r'resource "(aws_iam_(?:user|group)\w*)"', text)}
    job_roles = re.findall(r'resource "(aws_iam_role\w*)"', files["modules/job_roles/main.tf"])
    assert (people, job_roles) == (set(), [])
    assert 'module "identity_center"' in files["accounts/management/main.tf"]
    assert not any('module "identity_center"' in files[f"accounts/{n}/main.tf"] for n in IDS if n != "management")
    assert not any(p.startswith("modules/iam/") for p in files)


def test_permission_sets_carry_exactly_the_groups_policies_from_the_one_source(profile, center, users_mode):
    """The inline policy is the iam-users role's customer managed documents, statement for statement (the account
    of their ARNs is the session's account); the AWS managed policies and the shared policies are the same."""
    docs = resource_bodies(center, "modules/identity_center", "data", "aws_iam_policy_document")
    managed = resource_bodies(center, "modules/identity_center", "resource", "aws_ssoadmin_managed_policy_attachment")
    customer = resource_bodies(center, "modules/identity_center", "resource", "aws_ssoadmin_customer_managed_policy_attachment")
    role_docs = resource_bodies(users_mode, "modules/job_roles", "data", "aws_iam_policy_document")
    for ps in permission_sets(profile):
        rid = tf_identifier(ps.name)
        policies = group_policies(ps.group, profile)
        own = [d for d in policies.documents if not d.name.startswith("acme-baseline-")]
        expected = [st for d in own for st in plain_hcl(role_docs[policy_id(profile, d)])["statement"]]
        expected = json.loads(json.dumps(expected).replace("${local.account_id}", "$" + PRINCIPAL_ACCOUNT))
        assert (plain_hcl(docs[rid])["statement"] if rid in docs else []) == expected, ps.name
        aws_managed = {attachment_key(a): a.replace("<partition>", "aws") for a in policies.managed_policy_arns}
        assert plain_hcl(managed.get(rid, {}).get("for_each", {})) == aws_managed, ps.name
        shared = sorted(d.name for d in policies.documents if d.name.startswith("acme-baseline-"))
        assert plain_hcl(customer.get(rid, {}).get("for_each", "${toset([])}")) == (
            "${toset([" + ", ".join(f'"{n}"' for n in shared) + "])}"), ps.name
    assert [p.name for p in permission_sets(profile) if p.boundary] == ["InfraAdmins", "IAMAdmins"]


def test_each_group_is_assigned_in_exactly_the_accounts_it_reaches(center):
    assignments = resource_bodies(center, "modules/identity_center", "resource", "aws_ssoadmin_account_assignment")
    every = IDS
    expected = {gid: every for gid in GROUPS}
    expected["payments_apps"] = {"payments-staging": IDS["payments-staging"]}
    expected["operators"] = {n: i for n, i in IDS.items() if n != "log-archive"}
    assert {gid: plain_hcl(body["for_each"]) for gid, body in assignments.items()} == expected
    assert unquote(assignments["administrators"]["principal_id"]) == "${data.aws_identitystore_group.administrators.group_id}"
    assert unquote(assignments["operators"]["principal_id"]) == "${aws_identitystore_group.operators.group_id}"
    assert {unquote(b["principal_type"]) for b in assignments.values()} == {"GROUP"}


def test_session_duration_follows_the_duty_unless_the_group_sets_one_and_relay_state_is_optional(center):
    sets = resource_bodies(center, "modules/identity_center", "resource", "aws_ssoadmin_permission_set")
    assert {gid: unquote(b["session_duration"]) for gid, b in sets.items()} == {
        "administrators": "PT1H", "infra_admins": "PT2H", "security_admins": "PT1H", "iam_admins": "PT1H",
        "payments_apps": "PT4H", "operators": "PT4H"}
    assert [gid for gid, b in sets.items() if "relay_state" in b] == ["payments_apps"]


def test_identity_center_gets_trusted_access_and_the_checklist_names_the_mfa_setting(files):
    assert '"sso.amazonaws.com",' in files["modules/governance/main.tf"]
    readme = files["README.md"]
    assert "'Every time they sign in (always-on)'" in readme
    delegated = files["modules/governance/main.tf"].split('resource "aws_organizations_delegated_administrator" "security" {')[1]
    assert "sso.amazonaws.com" not in delegated.split("])")[0]  # administered in the management account itself


def test_the_security_account_administers_identity_center_as_delegated_administrator(tmp_path):
    text = CENTER.read_text(encoding="utf-8").replace("    account: management                # where", "    account: security                  # where")
    path = tmp_path / "acme-identity-center.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = api.load_profile(path).profile
    result = api.render_tree(loaded)
    api.verify(result, loaded)
    files = {f.path: f.content for f in result.files}
    assert 'module "identity_center"' in files["accounts/security/main.tf"]
    assert 'module "identity_center"' not in files["accounts/management/main.tf"]
    delegated = files["modules/governance/main.tf"].split('resource "aws_organizations_delegated_administrator" "security" {')[1]
    assert delegated.split("])")[0].split() == ["for_each", "=", "toset([", '"access-analyzer.amazonaws.com",',
                                               '"config-multiaccountsetup.amazonaws.com",', '"config.amazonaws.com",',
                                               '"sso.amazonaws.com",']


def test_the_controls_report_judges_identity_by_identity_center():
    report = api.controls(CENTER, "cis-3.0")
    verdicts = {r.id: (r.verdict.status, r.verdict.detail) for r in report.results}
    assert verdicts["1.10"][0] == "manual" and "Every time they sign in (always-on)" in verdicts["1.10"][1]
    assert verdicts["1.10"][1].endswith("; the break-glass users' group denies all but MFA self-service without MFA")
    assert verdicts["1.15"] == ("covered", "no IAM users but the break-glass ones: people get permissions only through their "
                                           "group's Identity Center permission set")
    assert verdicts["1.21"] == ("covered", "people sign in to IAM Identity Center and reach each account through their job "
                                           "function's permission set; no IAM users but the break-glass ones")


def test_terraform_validates_and_plans_the_management_root_with_every_assignment(files, tmp_path, terraform_bin, terraform_env):
    for name, content in files.items():
        if name.startswith(("modules/", "accounts/management/")):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(content, encoding="utf-8")
    root = tmp_path / "accounts" / "management"
    local_state(root)
    result = validate(terraform_bin, root, terraform_env)
    assert (result["valid"], result["diagnostics"]) == (True, [])
    applied = terraform(terraform_bin, root, terraform_env, "apply", "-input=false", "-no-color", "-auto-approve")
    assert applied.returncode == 0, applied.stderr + applied.stdout
    state = json.loads((root / "terraform.tfstate").read_text())
    assigned = sorted((r["name"], i["index_key"]) for r in state["resources"]
                      if r["type"] == "aws_ssoadmin_account_assignment" for i in r["instances"])
    assert len(assigned) == 4 * 6 + 1 + 5 and ("payments_apps", "payments-staging") in assigned
    assert [a for a in assigned if a[0] == "payments_apps"] == [("payments_apps", "payments-staging")]
    replan = terraform(terraform_bin, root, terraform_env, "plan", "-input=false", "-no-color", "-detailed-exitcode")
    assert replan.returncode == 0, replan.stderr + replan.stdout


def test_checkov_finds_nothing_in_the_identity_center_tree(files, tmp_path, checkov_bin):
    for name, content in files.items():
        if name.startswith("modules/"):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(content, encoding="utf-8")
    reports = [run_checkov(checkov_bin, str(tmp_path / "modules"))]
    failed = [(c["check_id"], c["resource"]) for r in reports for c in r["results"]["failed_checks"]]
    users = sorted((c["file_path"], c["resource"]) for r in reports for c in r["results"]["skipped_checks"] if c["check_id"] == "CKV_AWS_273")
    # the only IAM-user findings are the break-glass users', accepted, in the management account's module
    escalation = [c["resource"] for r in reports for c in r["results"]["failed_checks"] + r["results"]["skipped_checks"]
                  if c["check_id"] == "CKV_AWS_110" and c["file_path"].startswith("/identity_center/")]
    assert escalation == []  # cloudsplaining: no permission set's inline policy opens an escalation path
    assert failed == [] and users == [("/break_glass/main.tf", "aws_iam_user.breakglass_aiko"),
                                      ("/break_glass/main.tf", "aws_iam_user.breakglass_kenji")]


def _review(tmp_path, *replacements) -> list[str]:
    from baselinegen.review import build_review

    text = CENTER.read_text(encoding="utf-8")
    old = {f.path: f.content for f in api.render_tree(api.load_profile(CENTER).profile).files}
    for a, b in replacements:
        assert a in text
        text = text.replace(a, b, 1)
    path = tmp_path / "acme-identity-center.yaml"
    path.write_text(text, encoding="utf-8")
    new = {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}
    return [c.text for c in build_review(old, new).summary]


def test_the_review_says_per_permission_set_what_a_change_widens_or_narrows(tmp_path):
    assert _review(tmp_path, ("reach: [payments-staging]", "reach: [payments-staging, payments-prod]"),
                   ("      session_duration: PT1H", "      session_duration: PT8H"),
                   ("      duty: operator\n", "      duty: operator\n      managed_policy_arns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]\n"),
                   ("services: [lambda, dynamodb, s3, sqs, logs]", "services: [lambda, dynamodb, s3, logs]")) == [
        "job function PaymentsApps can now use its permission set in account 500000000005 (payments-prod) (weaker)",
        "account `management`: permission set `Operators`: policy AmazonS3ReadOnlyAccess attached (weaker)",
        "account `management`: permission set `PaymentsApps`: inline policy -sqs:CancelMessageMoveTask, "
        "-sqs:ChangeMessageVisibility, -sqs:CreateQueue, -sqs:DeleteMessage, -sqs:DeleteQueue, -sqs:GetQueueAttributes, "
        "-sqs:GetQueueUrl, -sqs:ListDeadLetterSourceQueues, -sqs:ListMessageMoveTasks, -sqs:ListQueueTags, -sqs:ListQueues, "
        "-sqs:PurgeQueue, -sqs:ReceiveMessage, -sqs:SendMessage, -sqs:SetQueueAttributes, -sqs:StartMessageMoveTask, … 2 more "
        "(stronger)",
        "account `management`: permission set `PaymentsApps`: inline policy denies -sqs:TagQueue, -sqs:UntagQueue (weaker)",
        "account `management`: permission set `SecurityAdmins`: sessions last 8 h instead of 1 h (weaker)",
    ]


def test_removing_a_job_function_and_its_member_is_one_line_each(tmp_path):
    lines = _review(tmp_path, ("    - name: Operators\n      duty: operator\n      description: Day-to-day operations.\n"
                               "      # Every account but log-archive: nobody but the administrators works where the audit logs are kept.\n"
                               "      reach: [management, security, identity, payments-prod, payments-staging]\n", ""),
                    ("    - {name: sota.yamamoto, given_name: Sota, family_name: Yamamoto, email: sota.yamamoto@acme.example, "
                     "groups: [Operators]}\n", ""))
    assert lines == ["account `management`: person `sota.yamamoto` removed from the Identity Store (stronger)",
                     "account `management`: permission set `Operators` removed (accounts identity, management, payments-prod, "
                     "payments-staging, security) (stronger)"]


def test_switching_from_iam_users_lists_what_is_destroyed_and_created_and_warns_people_lose_access(tmp_path):
    """examples/acme-org.yaml with its iam section replaced by the Identity Center one: a normal render."""
    from baselinegen.review import build_review

    org = (EXAMPLES / "acme-org.yaml").read_text(encoding="utf-8")
    ic = CENTER.read_text(encoding="utf-8")
    switched = org[:org.index("iam:\n")] + ic[ic.index("iam:\n"):ic.index("\nencryption:")] + org[org.index("\nencryption:"):]
    trees = []
    for name, text in (("old", org), ("new", switched)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "acme-org.yaml").write_text(text, encoding="utf-8")
        trees.append({f.path: f.content for f in api.render_tree(api.load_profile(tmp_path / name / "acme-org.yaml").profile).files})
    review = build_review(*trees)
    roles = "acme-Administrators, acme-IAMAdmins, acme-InfraAdmins, acme-Operators, acme-PaymentsApps, acme-SecurityAdmins"
    assert [c.text for c in review.summary] == [
        "account `management`: module `identity_center` added (identitystore group, identitystore group membership, "
        "identitystore user, ssoadmin account assignment, ssoadmin customer managed policy attachment, ssoadmin managed "
        "policy attachment, ssoadmin permission set, ssoadmin permission set inline policy, ssoadmin permissions boundary "
        "attachment)",
        "permission sets Administrators, IAMAdmins, InfraAdmins, Operators, PaymentsApps, SecurityAdmins and 30 account "
        "assignments are created in their place",
        "account `management`: module `break_glass` added (IAM group, IAM group membership, IAM group policy attachment, "
        "IAM policy, IAM user)",
        "account `management`: alarm `break-glass-sign-in` added (stronger)",
        "organisation: trusted access for `sso.amazonaws.com` added — that service may act in every account",
        "account `identity`: module `iam` removed (IAM group, IAM group membership, IAM group policy attachment, IAM policy, IAM user)",
        "people move from IAM users to IAM Identity Center: IAM users aiko.tanaka, haruto.suzuki, kenji.sato, mei.ito, "
        "ren.watanabe, sota.yamamoto, yui.takahashi and groups Administrators, IAMAdmins, InfraAdmins, Operators, PaymentsApps, "
        f"SecurityAdmins are destroyed, and the job function roles {roles} with their policies in 6 accounts",
        "warning: on apply everyone loses their IAM access (their IAM user and the job function roles); enable Identity "
        "Center, provision or fill the groups and test a sign-in before applying",
    ]
    destroyed = set(review.destroyed)
    assert "accounts/identity:module.iam.aws_iam_user.aiko_tanaka" in destroyed
    assert "accounts/payments-prod:module.job_roles.aws_iam_role.administrators" in destroyed
    assert not any("aws_iam_account_password_policy" in a or ".aws_iam_policy.boundary" in a for a in destroyed)


def test_break_glass_users_exist_only_in_the_management_account_with_mfa_and_a_sign_in_alarm(files):
    calls = {n for n in IDS if 'module "break_glass"' in files[f"accounts/{n}/main.tf"]}
    assert calls == {"management"}
    main = files["modules/break_glass/main.tf"]
    assert re.findall(r'resource "aws_iam_user" "(\w+)"', main) == ["breakglass_aiko", "breakglass_kenji"]
    assert '"AdministratorAccess" = "arn:aws:iam::aws:policy/AdministratorAccess"' in main
    assert '"acme-baseline-mfa"   = aws_iam_policy.mfa.arn' in main
    assert "aws_iam_user_login_profile" not in main and "aws_iam_access_key" not in main
    alarms = files["modules/monitoring/alarms.tf"]
    assert ('pattern     = "{ ($.eventName = \\"ConsoleLogin\\") && ($.userIdentity.type = \\"IAMUser\\") && '
            '(($.userIdentity.userName = \\"breakglass-aiko\\") || ($.userIdentity.userName = \\"breakglass-kenji\\")) }"') in alarms
    assert "Break-glass users (breakglass-aiko, breakglass-kenji, management account): set each password" in files["README.md"]


def test_identity_center_without_two_break_glass_users_is_refused(tmp_path):
    text = CENTER.read_text(encoding="utf-8").replace("  break_glass: [breakglass-aiko, breakglass-kenji]\n",
                                                      "  break_glass: [breakglass-aiko]\n")
    path = tmp_path / "one.yaml"
    path.write_text(text, encoding="utf-8")
    problems, built = api.check_profile(path)
    line = text.splitlines().index("  break_glass: [breakglass-aiko]") + 1
    assert [(p.location.line, p.code, p.message) for p in problems] == [
        (line, "E331", "identity-center needs at least two break-glass users in iam.break_glass (only 'breakglass-aiko'): the "
                       "way in when Identity Center or the identity provider fails, held by two people apart")]
    assert built is None


def test_the_policies_export_gives_each_permission_sets_effective_policies(tmp_path):
    from baselinegen.policy.export import policy_files

    files = {f.path: json.loads(f.content) for f in policy_files(api.load_profile(CENTER).profile)}
    index = files["index.json"]
    # the permission sets' policies are on no IAM group: the only group is the break-glass users' in management
    assert [(name, p["file"], h) for name, a in index["accounts"].items() for p in a["policies"] for h in p["holders"]
            if h["type"] == "group"] == [
        ("management", "acme-baseline-mfa.json", {"type": "group", "name": "acme-BreakGlass", "as": "policy"})]
    assert sorted(index["permission_sets"]) == sorted(
        ["Administrators", "InfraAdmins", "SecurityAdmins", "IAMAdmins", "PaymentsApps", "Operators"])
    assert index["permission_sets"]["PaymentsApps"] == {
        "description": "Developers of the payments application.", "session_duration": "PT4H",
        "inline_policy": "PaymentsApps-inline.json", "customer_managed_policies": [], "managed_policy_arns": [],
        "permissions_boundary": None, "accounts": ["060000000006"],
        "address": "accounts/management:module.identity_center.aws_ssoadmin_permission_set.payments_apps"}
    assert index["permission_sets"]["IAMAdmins"]["customer_managed_policies"] == ["acme-baseline-guardrails.json"]
    assert index["permission_sets"]["IAMAdmins"]["permissions_boundary"] == "acme-baseline-boundary.json"
    assert index["permission_sets"]["Administrators"]["managed_policy_arns"] == ["arn:aws:iam::aws:policy/AdministratorAccess"]
    resources = [st["Resource"] for st in files["permission_sets/PaymentsApps-inline.json"]["Statement"] if st["Sid"] == "PassAppRoles"]
    assert resources == [["arn:aws:iam::${aws:PrincipalAccount}:role/payments-*"]]


def test_people_of_the_identity_store_are_members_of_exactly_their_created_groups(center):
    users = resource_bodies(center, "modules/identity_center", "resource", "aws_identitystore_user")
    assert {uid: plain_hcl(b) for uid, b in users.items()}["mei_ito"] == {
        "identity_store_id": "${local.identity_store_id}", "user_name": "mei.ito", "display_name": "Mei Ito",
        "name": [{"given_name": "Mei", "family_name": "Ito"}], "emails": [{"value": "mei.ito@acme.example", "primary": True}]}
    members = resource_bodies(center, "modules/identity_center", "resource", "aws_identitystore_group_membership")
    assert {gid: plain_hcl(b["for_each"]) for gid, b in members.items()} == {
        "iam_admins": {"ren.watanabe": "${aws_identitystore_user.ren_watanabe.user_id}"},
        "payments_apps": {"mei.ito": "${aws_identitystore_user.mei_ito.user_id}"},
        "operators": {"sota.yamamoto": "${aws_identitystore_user.sota_yamamoto.user_id}"}}


def test_without_people_of_the_identity_store_there_is_no_people_file_and_the_module_validates(tmp_path, terraform_bin, terraform_env):
    text = CENTER.read_text(encoding="utf-8")
    start = text.index("  users:\n")
    profile = tmp_path / "acme-identity-center.yaml"
    profile.write_text(text[:start] + text[text.index("\n\n", start) + 1:], encoding="utf-8")
    files = {f.path: f.content for f in api.render_tree(api.load_profile(profile).profile).files}
    module = sorted(path.rsplit("/", 1)[1] for path in files if path.startswith("modules/identity_center/"))
    assert module == ["README.md", "assignments.tf", "main.tf", "outputs.tf", "variables.tf", "versions.tf"]
    assert "aws_identitystore_group_membership" not in files["modules/identity_center/main.tf"]
    for name, content in files.items():
        if name.startswith(("modules/", "accounts/management/")):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(content, encoding="utf-8")
    result = validate(terraform_bin, tmp_path / "accounts" / "management", terraform_env)
    assert (result["valid"], result["diagnostics"]) == (True, [])


def test_a_person_joining_a_group_reads_as_weaker(tmp_path):
    assert _review(tmp_path, ("email: mei.ito@acme.example, groups: [PaymentsApps]}",
                              "email: mei.ito@acme.example, groups: [PaymentsApps, Operators]}")) == [
        "account `management`: permission set `Operators`: member `mei.ito` added to its group (weaker)"]


def test_adding_an_account_is_one_line_for_every_permission_set_assigned_there(tmp_path):
    staging = "    regions: [ap-northeast-1]          # staging runs in Tokyo only\n"
    assert _review(tmp_path, (staging, staging + '  - name: payments-dev\n    id: "666666666666"\n    role: workload\n')) == [
        "account 666666666666 (payments-dev) added: Regions ap-northeast-1, us-east-1; baseline modules `job_roles`, `kms`, "
        "`config`, `guards`, `account_detection`, `patching`, `ci`",
        "job functions Administrators, IAMAdmins, InfraAdmins, SecurityAdmins can now use their permission set in account "
        "666666666666 (payments-dev) (weaker)",
        "account `log-archive`: bucket `acme-config-200000000002`: bucket policy statement `AWSConfigBucketDelivery` now also "
        "covers account 666666666666 (payments-dev)",
        "account `security`: Security Hub members: payments-dev (every Region)",
        "account `security`: Inspector members: payments-dev (ap-northeast-1, us-east-1)"]
