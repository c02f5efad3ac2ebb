"""IAM policies per duty: exact key statements, IAM quotas, and the parliament / cloudsplaining scans.

parliament and cloudsplaining work offline from their bundled IAM databases (parliament 1.6.4,
cloudsplaining 0.9.1); the wildcard checks below expand action patterns against parliament's database.
"""

from __future__ import annotations

from pathlib import Path

import fnmatch
import json
import os
import re

import parliament
import pytest
from cloudsplaining.scan import policy_document as cs_policy_document

from baselinegen.components.iam import services as iam_services
from baselinegen.components.iam.guardrails import boundary_denials, boundary_policy, boundary_policy_arn
from baselinegen.components.iam.policies import DUTIES, HUMAN_DUTIES, group_policies, mfa_policy, user_policies
from baselinegen.components.iam.policy_parts import (
    CHECKOV_ALLOW_ALL, CHECKOV_CLOUDSPLAINING, MAX_POLICY_CHARS, GroupPolicies, policy_name, policy_size,
)
from baselinegen.components.iam.services import SERVICES
from baselinegen.components.iam.guardrail_actions import (
    IAM_CHANGE_ACTIONS, SECURITY_SERVICE_TAMPERING, SECURITY_SERVICE_WRITES, SECURITY_SERVICES,
)
from baselinegen.policy.document import Condition, PolicyDocument, Statement, to_json_policy
from baselinegen.profile.model import Group, Iam, Organization, PolicyStatementSpec, Profile, User

ACCOUNT = "111122223333"
PROTECTED = {"StringEquals": {"aws:ResourceTag/baselinegen:protected": "true"}}
BOUNDARY_ARN = f"arn:aws:iam::{ACCOUNT}:policy/baseline/acme-baseline-boundary"


# --- fixtures -------------------------------------------------------------------------------------------

def make_profile(groups=(), users=(), name="acme") -> Profile:
    org = Organization(name=name, home_region="ap-northeast-1", regions=("ap-northeast-1", "us-east-1"))
    return Profile(source="test.yaml", organization=org, iam=Iam(groups=tuple(groups), users=tuple(users)))


RICH_GROUPS = (
    Group("Administrators", "administrator"),
    Group("InfraAdmins", "infra-admin"),
    Group("SecurityAdmins", "security-admin"),
    Group("IAMAdmins", "iam-admin"),
    Group("PaymentsApps", "app-developer", services=tuple(sorted(SERVICES)), resource_prefix="payments-",
          app_tag="payments"),
    Group("LedgerApps", "app-developer", services=("lambda", "dynamodb", "s3"), resource_prefix="ledger-"),
    Group("Operators", "operator", managed_policy_arns=("arn:<partition>:iam::aws:policy/AWSSupportAccess",)),
    Group("Auditors", "read-only"),
    Group("Reporting", "custom", managed_policy_arns=("arn:<partition>:iam::aws:policy/AmazonAthenaFullAccess",),
          statements=(PolicyStatementSpec("ReadReports", "Allow", ("s3:GetObject", "s3:ListBucket"),
                                          ("arn:<partition>:s3:::acme-reports", "arn:<partition>:s3:::acme-reports/*")),
                      PolicyStatementSpec("NoDeletes", "Deny", ("s3:DeleteObject",),
                                          ("arn:<partition>:s3:::acme-reports/*",)))),
)
RICH_USERS = (
    User("alice", groups=("Administrators",)),
    User("deploy-bot", programmatic=True,
         managed_policy_arns=("arn:<partition>:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",),
         statements=(PolicyStatementSpec("PushImages", "Allow", ("ecr:PutImage",),
                                         ("arn:<partition>:ecr:*:<account>:repository/payments-*",)),)),
)
RICH = make_profile(RICH_GROUPS, RICH_USERS)


def group(name: str) -> Group:
    return next(g for g in RICH_GROUPS if g.name == name)


def policies(name: str) -> GroupPolicies:
    return group_policies(group(name), RICH)


def as_json(document: PolicyDocument) -> dict:
    return to_json_policy(document, account_id=ACCOUNT, regions=("ap-northeast-1", "us-east-1"))


def statement(document: PolicyDocument, sid: str) -> dict:
    return next(s for s in as_json(document)["Statement"] if s["Sid"] == sid)


def doc(name: str, purpose: str) -> PolicyDocument:
    """A group's document by purpose; shared documents are named acme-baseline-<purpose>."""
    wanted = (f"acme-{name}-{purpose}", f"acme-baseline-{purpose}")
    return next(d for d in policies(name).documents if d.name in wanted)


def every_document(profile: Profile = RICH) -> list[tuple[str, PolicyDocument]]:
    """(owner kind, document) for every customer managed policy the profile produces."""
    docs = [("boundary", boundary_policy(profile)), ("mfa", mfa_policy(profile))]
    docs += [(g.duty, d) for g in profile.iam.groups for d in group_policies(g, profile).documents]
    docs += [("user", d) for u in profile.iam.users for d in user_policies(u, profile).documents]
    return docs


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


# --- parliament's IAM database: expand action patterns ---------------------------------------------------

_IAM_DB = {s["prefix"]: s for s in parliament.iam_definition}


def actions_of(service: str, levels=None) -> set[str]:
    return {f"{service}:{p['privilege']}" for p in _IAM_DB[service]["privileges"]
            if levels is None or p["access_level"] in levels}


def expand(patterns) -> set[str]:
    out: set[str] = set()
    for pattern in patterns:
        service = pattern.split(":")[0]
        matched = {a for a in actions_of(service) if fnmatch.fnmatchcase(a.lower(), pattern.lower())}
        assert matched, f"{pattern} matches no known action"
        out |= matched
    return out


READS = ("Read", "List")
WRITES = ("Write", "Permissions management", "Tagging")


def wildcard_only(action: str) -> bool:
    service, name = action.split(":")
    privilege = next(p for p in _IAM_DB[service]["privileges"] if p["privilege"] == name)
    return all(not r["resource_type"] for r in privilege["resource_types"])


def access_level(action: str) -> str:
    service, name = action.split(":")
    return next(p["access_level"] for p in _IAM_DB[service]["privileges"] if p["privilege"] == name)


# --- duties and attachments -----------------------------------------------------------------------------

def test_duties_are_the_job_functions_of_the_design_and_all_human():
    assert DUTIES == ("administrator", "infra-admin", "security-admin", "iam-admin", "app-developer", "operator",
                      "read-only", "custom")
    assert HUMAN_DUTIES == DUTIES


@pytest.mark.parametrize("name, arns, purposes", [
    ("Administrators", ["AdministratorAccess"], []),
    ("InfraAdmins", ["IAMReadOnlyAccess", "PowerUserAccess"], ["guardrails", "security-read-only"]),
    ("SecurityAdmins", ["SecurityAudit"], ["security-services"]),
    ("IAMAdmins", ["IAMReadOnlyAccess"], ["iam-admin", "guardrails"]),
    ("PaymentsApps", [], ["app-1", "app-2", "app-3", "app-4"]),
    ("LedgerApps", [], ["app-1"]),
    ("Operators", ["AWSSupportAccess", "job-function/ViewOnlyAccess"], ["operations"]),
    ("Auditors", ["ReadOnlyAccess"], []),
    ("Reporting", ["AmazonAthenaFullAccess"], ["custom"]),
])
def test_managed_policies_and_documents_per_duty(name, arns, purposes):
    result = policies(name)
    assert result.managed_policy_arns == tuple(f"arn:<partition>:iam::aws:policy/{a}" for a in arns)
    shared = {"guardrails"}  # one policy, attached to every group that needs it
    assert [d.name for d in result.documents] == [f"acme-{'baseline' if p in shared else name}-{p}" for p in purposes]


def test_administrators_get_administrator_access_as_an_accepted_finding():
    result = policies("Administrators")
    assert result.documents == ()
    assert [check for check, _ in result.checkov_skips] == ["CKV_AWS_274"]
    assert "purpose" in result.checkov_skips[0][1]
    with pytest.raises(ValueError, match="administrators"):
        group_policies(Group("Admins", "administrator", managed_policy_arns=("arn:x",)), RICH)


def test_extra_managed_policies_are_sorted_and_unique():
    g = Group("Ops", "operator", managed_policy_arns=("arn:<partition>:iam::aws:policy/B", "arn:<partition>:iam::aws:policy/A",
                                                         "arn:<partition>:iam::aws:policy/B"))
    arns = group_policies(g, RICH).managed_policy_arns
    assert arns == tuple(sorted(set(arns))) and len(arns) == 3


def test_every_group_stays_within_the_ten_managed_policies_quota():
    for g in RICH_GROUPS:
        result = group_policies(g, RICH)
        assert len(result.managed_policy_arns) + len(result.documents) + 1 <= 10, g.name  # + the MFA policy


def test_bad_groups_are_rejected():
    with pytest.raises(ValueError, match="unknown duty"):
        group_policies(Group("X", "wizard"), RICH)
    with pytest.raises(ValueError, match="only custom groups"):
        group_policies(Group("X", "operator", statements=RICH_GROUPS[-1].statements), RICH)
    with pytest.raises(ValueError, match="resource_prefix"):
        group_policies(Group("X", "app-developer", services=("lambda",), app_tag="x"), RICH)
    with pytest.raises(ValueError, match="unknown or missing services"):
        group_policies(Group("X", "app-developer", services=("lambda", "apigateway"), resource_prefix="x-"), RICH)


# --- MFA ------------------------------------------------------------------------------------------------

def test_mfa_policy_denies_everything_but_mfa_and_password_self_service_without_mfa():
    document = mfa_policy(RICH)
    assert document.name == "acme-baseline-mfa"
    assert statement(document, "BlockMostAccessUnlessSignedInWithMFA") == {
        "Sid": "BlockMostAccessUnlessSignedInWithMFA",
        "Effect": "Deny",
        "NotAction": ["iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice",
                      "iam:GetAccountPasswordPolicy", "iam:GetUser", "iam:ListMFADevices", "iam:ListUsers",
                      "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"],
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    }
    own_user = f"arn:aws:iam::{ACCOUNT}:user/baseline/${{aws:username}}"
    assert statement(document, "AllowManageOwnMFAAndPassword")["Resource"] == own_user
    assert statement(document, "AllowDeactivateOwnMFAOnlyWithMFA") == {
        "Sid": "AllowDeactivateOwnMFAOnlyWithMFA", "Effect": "Allow", "Action": "iam:DeactivateMFADevice",
        "Resource": own_user, "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}


# --- boundary and iam-admin -----------------------------------------------------------------------------

def test_boundary_arn_lives_under_the_baseline_path():
    assert boundary_policy_arn(RICH) == "arn:<partition>:iam::<account>:policy/baseline/acme-baseline-boundary"
    assert boundary_policy(RICH).name == RICH.boundary_policy_name


def test_iam_admin_creates_and_changes_identities_only_with_the_boundary():
    document = doc("IAMAdmins", "iam-admin")
    assert statement(document, "CreateOrChangeOnlyWithBoundary") == {
        "Sid": "CreateOrChangeOnlyWithBoundary",
        "Effect": "Allow",
        "Action": ["iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:CreateRole", "iam:CreateUser",
                   "iam:DeleteRolePolicy", "iam:DeleteUserPolicy", "iam:DetachRolePolicy", "iam:DetachUserPolicy",
                   "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:PutUserPermissionsBoundary",
                   "iam:PutUserPolicy"],
        "Resource": [f"arn:aws:iam::{ACCOUNT}:role/*", f"arn:aws:iam::{ACCOUNT}:user/*"],
        "Condition": {"StringEquals": {"iam:PermissionsBoundary": BOUNDARY_ARN}},
    }
    allowed = {a for s in as_json(document)["Statement"] if s["Effect"] == "Allow" for a in as_list(s["Action"])}
    assert not allowed & {"iam:EnableMFADevice", "iam:ResyncMFADevice", "iam:PassRole",
                          "iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"}


def test_guardrails_deny_identities_without_boundary_boundary_removal_and_the_baseline_path():
    guardrails = doc("IAMAdmins", "guardrails")
    assert statement(guardrails, "DenyIdentitiesWithoutBoundary")["Condition"] == {
        "StringNotEquals": {"iam:PermissionsBoundary": BOUNDARY_ARN}}
    assert set(statement(guardrails, "DenyIdentitiesWithoutBoundary")["Action"]) >= {
        "iam:CreateUser", "iam:CreateRole", "iam:PutUserPermissionsBoundary", "iam:PutRolePermissionsBoundary",
        "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:AttachUserPolicy", "iam:PutUserPolicy"}
    assert statement(guardrails, "DenyBoundaryRemoval")["Action"] == [
        "iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"]
    baseline = statement(guardrails, "DenyBaselineIamChanges")
    assert baseline["Resource"] == [f"arn:aws:iam::{ACCOUNT}:{kind}/baseline/*" for kind in
                                    ("group", "instance-profile", "policy")] + [
        BOUNDARY_ARN, f"arn:aws:iam::{ACCOUNT}:role/baseline/*", f"arn:aws:iam::{ACCOUNT}:user/baseline/*"]
    denied = expand(baseline["Action"])
    assert denied >= {"iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
                      "iam:DeactivateMFADevice", "iam:AddUserToGroup", "iam:AttachGroupPolicy",
                      "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy",
                      "iam:UpdateAssumeRolePolicy", "iam:PassRole", "iam:DeleteUser"}


def test_iam_change_patterns_cover_every_iam_write_but_self_service():
    self_service = {"iam:ChangePassword", "iam:EnableMFADevice", "iam:ResyncMFADevice"}
    denied = expand(IAM_CHANGE_ACTIONS)
    assert not denied & actions_of("iam", READS)
    assert actions_of("iam", WRITES) - denied == self_service


def test_boundary_is_the_guardrails_then_allow_all_and_the_shared_denies_are_identical():
    document = boundary_policy(RICH)
    assert document.statements[:-1] == boundary_denials(RICH)  # source_policy_documents: the guardrails come first
    assert document.statements[-1] == Statement(sid="AllowWithinBoundary", actions=("*",), resources=("*",))
    assert doc("InfraAdmins", "guardrails").statements == boundary_denials(RICH)
    assert doc("IAMAdmins", "guardrails").statements == boundary_denials(RICH)
    assert statement(document, "DenyBaselineAccountSettings")["Action"].count("organizations:LeaveOrganization") == 1


# --- infra-admin and security services ------------------------------------------------------------------

def test_infra_admin_sees_security_services_read_only():
    writes = expand(statement(doc("InfraAdmins", "security-read-only"), "DenySecurityServiceWrites")["Action"])
    for service in SECURITY_SERVICES:
        assert actions_of(service, WRITES) <= writes, service
        assert not actions_of(service, READS) & writes, service


def test_tampering_list_is_part_of_the_writes_and_spares_only_agent_data_plane():
    tampering, writes = expand(SECURITY_SERVICE_TAMPERING), expand(SECURITY_SERVICE_WRITES)
    assert tampering <= writes
    for action in ("cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail",
                   "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors",
                   "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder",
                   "config:DeleteDeliveryChannel", "config:PutConfigurationRecorder", "config:DeleteConfigRule",
                   "guardduty:DeleteDetector", "guardduty:UpdateDetector", "guardduty:DisassociateFromMasterAccount",
                   "guardduty:CreateFilter", "guardduty:CreateIPSet", "securityhub:DisableSecurityHub",
                   "securityhub:BatchDisableStandards", "securityhub:CreateAutomationRule",
                   "access-analyzer:DeleteAnalyzer", "access-analyzer:CreateArchiveRule", "inspector2:Disable",
                   "macie2:DisableMacie", "detective:DeleteGraph"):
        assert action in tampering, action
    assert not tampering & {"config:PutEvaluations", "guardduty:SendSecurityTelemetry",
                            "inspector2:StartCisSession", "securityhub:BatchImportFindings"}


def test_protected_keys_and_resources_are_denied_by_tag():
    guardrails = doc("InfraAdmins", "guardrails")
    keys = statement(guardrails, "DenyProtectedKeyChanges")
    assert keys["Condition"] == PROTECTED and keys["Resource"] == "*"
    assert set(keys["Action"]) >= {"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy",
                                   "kms:DisableKeyRotation", "kms:UntagResource"}
    assert statement(guardrails, "DenyProtectedKeyGrants")["Condition"] == {
        **PROTECTED, "Bool": {"kms:GrantIsForAWSResource": "false"}}
    resources = expand(statement(guardrails, "DenyProtectedResourceChanges")["Action"])
    assert resources >= {"sns:DeleteTopic", "sns:SetTopicAttributes", "logs:DeleteLogGroup",
                         "logs:PutRetentionPolicy", "logs:DeleteMetricFilter", "cloudwatch:DeleteAlarms",
                         "cloudwatch:DisableAlarmActions", "events:DisableRule", "events:RemoveTargets",
                         "ec2:DeleteFlowLogs", "ssm:UpdatePatchBaseline", "ssm:DeleteMaintenanceWindow",
                         "ssm:DeregisterTaskFromMaintenanceWindow", "ssm:RemoveTagsFromResource",
                         "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress"}
    assert not resources & (actions_of("logs", READS) | actions_of("sns", READS) | actions_of("cloudwatch", READS))


def test_security_admin_manages_security_services_in_the_profile_regions_and_baseline_keys():
    document = doc("SecurityAdmins", "security-services")
    manage = statement(document, "ManageSecurityServices")
    assert manage["Action"] == [f"{s}:*" for s in sorted(SECURITY_SERVICES)]
    assert manage["Condition"] == {"StringEquals": {"aws:RequestedRegion": ["ap-northeast-1", "us-east-1"]}}
    keys = statement(document, "AdministerBaselineKeys")
    assert keys["Condition"] == PROTECTED and keys["Resource"] == f"arn:aws:kms:*:{ACCOUNT}:key/*"
    assert not {a for a in keys["Action"] if access_level(a) == "Write"} - {
        "kms:CancelKeyDeletion", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
        "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:UpdateKeyDescription"}  # no Encrypt/Decrypt
    allowed_iam = {a for s in as_json(document)["Statement"] if s["Effect"] == "Allow"
                   for a in as_list(s["Action"]) if a.startswith("iam:")}
    assert allowed_iam == {"iam:CreateServiceLinkedRole", "iam:PassRole"}
    assert statement(document, "PassTrailAndRecorderRoles")["Condition"] == {
        "StringEquals": {"iam:PassedToService": ["cloudtrail.amazonaws.com", "config.amazonaws.com"]}}


# --- operator -------------------------------------------------------------------------------------------

def test_operator_operates_instances_sessions_and_alarms_but_not_protected_resources():
    document = doc("Operators", "operations")
    assert statement(document, "InstancePower") == {
        "Sid": "InstancePower", "Effect": "Allow",
        "Action": ["ec2:RebootInstances", "ec2:StartInstances", "ec2:StopInstances"],
        "Resource": f"arn:aws:ec2:*:{ACCOUNT}:instance/*"}
    assert statement(document, "OwnSessions")["Resource"] == f"arn:aws:ssm:*:{ACCOUNT}:session/${{aws:username}}-*"
    deny = statement(document, "DenyProtectedResources")
    assert deny["Condition"] == PROTECTED
    assert set(deny["Action"]) >= {"ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances",
                                   "ssm:StartSession", "cloudwatch:DisableAlarmActions", "logs:FilterLogEvents"}
    unscoped = statement(document, "ListAndDescribe")
    assert all(wildcard_only(a) and access_level(a) in READS for a in unscoped["Action"])


# --- app-developer --------------------------------------------------------------------------------------

def test_app_developer_arns_carry_the_prefix():
    docs = policies("LedgerApps").documents
    assert len(docs) == 1
    document = docs[0]
    assert statement(document, "LambdaFunctions")["Resource"] == f"arn:aws:lambda:*:{ACCOUNT}:function:ledger-*"
    assert statement(document, "DynamoDBTables")["Resource"] == [
        f"arn:aws:dynamodb:*:{ACCOUNT}:table/ledger-*", f"arn:aws:dynamodb:*:{ACCOUNT}:table/ledger-*/index/*"]
    assert statement(document, "S3Buckets")["Resource"] == "arn:aws:s3:::ledger-*"
    assert statement(document, "S3Objects")["Resource"] == "arn:aws:s3:::ledger-*/*"
    assert statement(document, "PassAppRoles") == {
        "Sid": "PassAppRoles", "Effect": "Allow", "Action": "iam:PassRole",
        "Resource": f"arn:aws:iam::{ACCOUNT}:role/ledger-*",
        "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}
    assert "Condition" not in statement(document, "LambdaFunctions")  # no app_tag: names only


def test_app_developer_statements_are_scoped_and_wildcards_only_list_and_describe():
    for name, prefix in (("PaymentsApps", "payments-"), ("LedgerApps", "ledger-")):
        for document in policies(name).documents:
            for st in as_json(document)["Statement"]:
                actions = as_list(st["Action"])
                assert not [a for a in actions if a.endswith(":*") or a == "*"], st["Sid"]
                if st["Effect"] == "Deny":
                    continue
                resources = as_list(st["Resource"])
                if resources == ["*"]:
                    assert st["Sid"] == "ListAndDescribe" or "Condition" in st, st["Sid"]
                    if st["Sid"] == "ListAndDescribe":
                        assert all(wildcard_only(a) and access_level(a) in READS for a in actions)
                    else:
                        assert all(wildcard_only(a) for a in actions), st["Sid"]
                else:
                    assert all(prefix in r or r.endswith(":event-source-mapping:*") for r in resources), st["Sid"]


def test_app_tag_adds_resource_and_request_tag_conditions_and_guards_the_tag():
    docs = policies("PaymentsApps").documents
    statements = {s["Sid"]: s for d in docs for s in as_json(d)["Statement"]}
    assert statements["LambdaFunctions"]["Condition"] == {"StringEquals": {"aws:ResourceTag/App": "payments"}}
    assert statements["LambdaCreateFunctions"]["Condition"] == {"StringEquals": {"aws:RequestTag/App": "payments"}}
    assert "Condition" not in statements["S3Objects"]  # S3 objects have no tag conditions: names only
    assert statements["DenyAppTagRemoval"]["Condition"] == {"ForAnyValue:StringEquals": {"aws:TagKeys": "App"}}
    assert statements["DenyAppTagChange"]["Condition"] == {
        "Null": {"aws:RequestTag/App": "false"}, "StringNotEquals": {"aws:RequestTag/App": "payments"}}
    assert statements["PassAppRoles"]["Condition"] == {"StringEquals": {"iam:PassedToService": [
        "ecs-tasks.amazonaws.com", "events.amazonaws.com", "lambda.amazonaws.com", "states.amazonaws.com"]}}


def test_catalog_abac_flags_match_parliaments_condition_keys():
    db_resources = {s: {r["resource"]: r for r in _IAM_DB[s]["resources"]} for s in _IAM_DB}
    for key, service in SERVICES.items():
        for grant in service.grants:
            for action in grant.actions:
                prefix, name = action.split(":")
                privilege = next(p for p in _IAM_DB[prefix]["privileges"] if p["privilege"] == name)
                keys = {k for r in privilege["resource_types"] for k in r["condition_keys"]}
                for r in privilege["resource_types"]:
                    if r["resource_type"]:
                        keys |= set(db_resources[prefix][r["resource_type"].rstrip("*")].get("condition_keys", []))
                if grant.abac == "resource":
                    assert "aws:ResourceTag/${TagKey}" in keys, (key, action)
                elif grant.abac == "request":
                    assert "aws:RequestTag/${TagKey}" in keys, (key, action)


def test_service_catalog_keys_and_sids():
    assert set(SERVICES) >= {"lambda", "dynamodb", "s3", "sqs", "sns", "logs", "cloudwatch", "ssm",
                             "secretsmanager", "kinesis", "states", "ecr", "ecs", "events"}
    for service in SERVICES.values():
        assert re.fullmatch(r"[A-Za-z0-9]+", service.label)
        assert all(re.fullmatch(r"[A-Za-z0-9]+", g.name) for g in service.grants)
        assert all(wildcard_only(a) and access_level(a) in READS for a in service.unscoped_reads)
        patterns = service.tag_resources + tuple(r for g in service.grants for r in g.resources)
        assert all(iam_services.PREFIX in r or r == "*" or r.endswith(":event-source-mapping:*") for r in patterns)
        assert all(g.abac in ("resource", "request", "none") for g in service.grants)


# --- users and custom -----------------------------------------------------------------------------------

def test_programmatic_user_policies_and_human_users():
    bot = user_policies(RICH_USERS[1], RICH)
    assert bot.managed_policy_arns == ("arn:<partition>:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",)
    assert [d.name for d in bot.documents] == ["acme-deploy-bot-direct"]
    assert statement(bot.documents[0], "PushImages")["Resource"] == f"arn:aws:ecr:*:{ACCOUNT}:repository/payments-*"
    assert [c for c, _ in bot.checkov_skips] == ["CKV_AWS_40"]
    assert user_policies(RICH_USERS[0], RICH) == GroupPolicies((), ())
    with pytest.raises(ValueError, match="programmatic"):
        user_policies(User("bob", managed_policy_arns=("arn:x",)), RICH)


def test_custom_statements_become_a_document():
    document = doc("Reporting", "custom")
    assert as_json(document)["Statement"] == [
        {"Sid": "ReadReports", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::acme-reports", "arn:aws:s3:::acme-reports/*"]},
        {"Sid": "NoDeletes", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::acme-reports/*"}]
    conditional = Group("C", "custom", statements=(PolicyStatementSpec(
        "with-dash", "Allow", ("s3:GetObject",), ("*",), conditions=(("Bool", "aws:SecureTransport", ("true",)),)),))
    st = group_policies(conditional, RICH).documents[0].statements[0]
    assert st.sid == "withdash" and st.conditions == (Condition("Bool", "aws:SecureTransport", ("true",)),)


# --- names, sizes, determinism --------------------------------------------------------------------------

def test_names_are_valid_unique_and_sids_valid():
    by_name: dict[str, PolicyDocument] = {}
    for _, document in every_document():
        assert by_name.setdefault(document.name, document) == document, f"two different policies named {document.name}"
    assert "acme-baseline-guardrails" in by_name
    for _, document in every_document():
        assert re.fullmatch(r"[\w+=,.@-]{1,128}", document.name)
        assert document.description
        for st in document.statements:
            assert re.fullmatch(r"[A-Za-z0-9]+", st.sid), (document.name, st.sid)
            assert list(st.actions) == sorted(st.actions) or document.name.endswith(("-custom", "-direct"))


def test_long_names_are_shortened_stably():
    long = make_profile(name="a" * 60)
    name = policy_name(long, "G" * 80, "guardrails")
    assert len(name) == 128 and name.endswith("-guardrails") and name == policy_name(long, "G" * 80, "guardrails")
    assert name != policy_name(long, "G" * 79 + "H", "guardrails")
    with pytest.raises(ValueError, match="policy names"):
        policy_name(RICH, "bad name", "x")


def test_every_document_fits_the_iam_size_quota():
    for _, document in every_document():
        assert policy_size(document) <= MAX_POLICY_CHARS, document.name


def test_output_is_deterministic():
    first = [as_json(d) for _, d in every_document()]
    assert first == [as_json(d) for _, d in every_document(make_profile(RICH_GROUPS, RICH_USERS))]
    assert json.dumps(first, sort_keys=False) == json.dumps([as_json(d) for _, d in every_document()])


# --- parliament -----------------------------------------------------------------------------------------

def parliament_findings(document: PolicyDocument, community: bool = False) -> list:
    analysed = parliament.analyze_policy_string(json.dumps(as_json(document)),
                                                include_community_auditors=community)
    return [parliament.enhance_finding(f) for f in analysed.findings]


@pytest.fixture(scope="module")
def community_config():
    path = os.path.join(os.path.dirname(parliament.__file__), "community_auditors", "config_override.yaml")
    parliament.override_config(path)


def test_parliament_finds_nothing_medium_or_above():
    low = set()
    for kind, document in every_document():
        for finding in parliament_findings(document):
            assert finding.severity == "LOW", (document.name, finding.issue, finding.detail)
            assert finding.issue not in ("UNKNOWN_ACTION", "UNKNOWN_PREFIX", "INVALID_SID"), (document.name, finding)
            low.add((kind, finding.issue))
    # RESOURCE_STAR: security admins manage whole services (region-scoped by condition);
    # parliament types iam:PermissionsBoundary as an ARN although AWS documents StringEquals for it.
    assert low == {("security-admin", "RESOURCE_STAR"), ("iam-admin", "MISMATCHED_TYPE_BUT_USABLE"),
                   ("infra-admin", "MISMATCHED_TYPE_BUT_USABLE"), ("boundary", "MISMATCHED_TYPE_BUT_USABLE")}


def test_parliament_community_escalation_auditor_flags_only_what_is_expected(community_config):
    """The community auditor looks at action names only (no resources, no conditions, no denies)."""
    flagged = {}
    for kind, document in every_document():
        types = {f.location["type"] for f in parliament_findings(document, community=True)
                 if f.issue == "PRIVILEGE_ESCALATION"}
        if types:
            flagged.setdefault(kind, set()).update(types)
    assert set(flagged) == {"boundary", "iam-admin", "app-developer"}
    assert flagged["iam-admin"] == {"AddUserToGroup", "AttachGroupPolicy", "AttachUserPolicy", "CreateAccessKey",
                                    "CreateLoginProfile", "CreateNewPolicyVersion", "PutGroupPolicy", "PutUserPolicy",
                                    "SetExistingDefaultPolicyVersion", "UpdateLoginProfile"}
    # LedgerApps: PassRole (role/ledger-*, to Lambda only) next to ledger-* functions and tables
    assert flagged["app-developer"] == {"EditExistingLambdaFunctionWithRole", "PassExistingRoleToNewLambdaThenInvoke",
                                        "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
                                        "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo"}


# --- cloudsplaining -------------------------------------------------------------------------------------

def scan(policy: dict, strict: bool = False):
    flags = dict(flag_conditional_statements=True, flag_resource_arn_statements=True) if strict else {}
    return cs_policy_document.PolicyDocument(policy, **flags)


def group_policy(result: GroupPolicies, allows_only: bool = False) -> dict:
    statements = [s for d in result.documents for s in as_json(d)["Statement"]
                  if not allows_only or s["Effect"] == "Allow"]
    return {"Version": "2012-10-17", "Statement": statements}


def escalations(policy: dict, strict: bool = False) -> list[str]:
    return sorted(e["type"] for e in scan(policy, strict).allows_privilege_escalation)


def test_cloudsplaining_finds_no_privilege_escalation_for_any_group():
    # iam-admin is not flagged either: each of its allows is ARN-scoped or conditioned (checkov's view)
    assert escalations(group_policy(policies("IAMAdmins"))) == []
    for g in RICH_GROUPS:
        assert escalations(group_policy(group_policies(g, RICH))) == [], g.name
    for user in RICH_USERS:
        assert escalations(group_policy(user_policies(user, RICH))) == [], user.name


def test_cloudsplaining_strict_mode_shows_what_conditions_and_arns_contain():
    """Ignoring conditions, ARNs and denies, the allow statements hold these escalation primitives."""
    strict = {g.name: escalations(group_policy(group_policies(g, RICH), allows_only=True), strict=True)
              for g in RICH_GROUPS}
    assert strict["IAMAdmins"] == [
        "AddUserToGroup", "AttachGroupPolicy", "AttachRolePolicy", "AttachRolePolicyThenUpdateAssumeRolePolicy",
        "AttachUserPolicy", "AttachUserPolicyThenCreateAccessKey", "CreateAccessKey", "CreateAndRotateAccessKey",
        "CreateLoginProfile", "CreateNewPolicyVersion", "CreatePolicyVersionThenUpdateAssumeRolePolicy",
        "PutGroupPolicy", "PutRolePolicy", "PutRolePolicyThenUpdateAssumeRolePolicy", "PutUserPolicy",
        "PutUserPolicyThenCreateAccessKey", "SetExistingDefaultPolicyVersion", "UpdateLoginProfile",
        "UpdateRolePolicyToAssumeIt"]
    # the app's own roles (role/<prefix>*, passed only to the app's services) and the app's own functions/tasks
    assert strict["PaymentsApps"] == [
        "ECSExecuteCommandOnRunningTask", "EditExistingLambdaFunctionWithRole",
        "PassExistingRoleToNewECSClusterRunTask", "PassExistingRoleToNewECSClusterServiceTask",
        "PassExistingRoleToNewECSService", "PassExistingRoleToNewECSTaskViaRunTask",
        "PassExistingRoleToNewECSTaskViaStartTask", "PassExistingRoleToNewLambdaThenAddPermission",
        "PassExistingRoleToNewLambdaThenInvoke", "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
        "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo", "UpdateAndInvokeLambdaFunction",
        "UpdateLambdaFunctionAndAddPermission"]
    others = {name: found for name, found in strict.items() if name not in ("IAMAdmins", "PaymentsApps", "LedgerApps")}
    assert others == {name: [] for name in others}


def checkov_equivalent(document: PolicyDocument) -> set[str]:
    """The checkov IAM-document checks that would fail (checkov runs cloudsplaining with default flags).

    Cross-checked once against checkov 3.3.30 on a rendered profile with every duty and service:
    no failures, and skips used exactly on the boundary and on the document holding ecr.
    """
    policy = as_json(document)
    found: set[str] = set()
    for st in policy["Statement"]:
        if st["Effect"] == "Allow" and "*" in as_list(st.get("Action", [])):
            found |= set(CHECKOV_ALLOW_ALL)
        if st["Effect"] == "Allow" and "iam:*" in as_list(st.get("Action", [])):
            found.add("CKV2_AWS_40")
    scanned = scan(policy)
    results = {"credentials": scanned.credentials_exposure, "exfiltration": scanned.allows_data_exfiltration_actions,
               "permissions": scanned.permissions_management_without_constraints,
               "escalation": scanned.allows_privilege_escalation, "write": scanned.write_actions_without_constraints,
               "resource-star": scanned.all_allowed_unrestricted_actions}
    for category, hits in results.items():
        if hits:
            found |= set(CHECKOV_CLOUDSPLAINING[category])
    return found


def test_checkov_skips_are_declared_exactly_where_a_check_cannot_pass():
    for _, document in every_document():
        declared = {check for check, _ in document.checkov_skips}
        assert declared == checkov_equivalent(document), document.name
        assert all(reason for _, reason in document.checkov_skips)
    assert {c for c, _ in boundary_policy(RICH).checkov_skips} >= {"CKV_AWS_1", "CKV_AWS_49", "CKV_AWS_110"}
    app_skips = {c for d in policies("PaymentsApps").documents for c, _ in d.checkov_skips}
    assert app_skips == {"CKV_AWS_107"}  # ecr:GetAuthorizationToken


# --- the guardrails written once ---------------------------------------------------------------------------

ACME_TEXT = (Path(__file__).resolve().parent.parent / "examples" / "acme.yaml").read_text()


def api_profile(text: str, tmp_path):
    from baselinegen import api

    path = tmp_path / "profile-for-model.yaml"
    path.write_text(text)
    return api.load_profile(path).profile


def _policies_tf(profile_text: str, tmp_path, module: str = "iam") -> dict:
    from baselinegen import api
    from baselinegen.validate.hclcheck import _parse, resource_bodies

    path = tmp_path / "profile.yaml"
    path.write_text(profile_text)
    files = {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}
    parsed = {f"modules/{module}/policies.tf": _parse(files[f"modules/{module}/policies.tf"])}
    return {kind: resource_bodies(parsed, f"modules/{module}", mode, kind)
            for mode, kind in (("data", "aws_iam_policy_document"), ("resource", "aws_iam_policy"))}


def test_the_boundary_takes_the_guardrails_from_their_document_and_writes_only_its_allow(tmp_path):
    rendered = _policies_tf(ACME_TEXT, tmp_path)
    boundary = rendered["aws_iam_policy_document"]["boundary"]
    assert boundary["source_policy_documents"] == ["${data.aws_iam_policy_document.baseline_guardrails.json}"]
    assert [s["sid"] for s in boundary["statement"]] == ['"AllowWithinBoundary"']
    assert [s["sid"] for s in rendered["aws_iam_policy_document"]["baseline_guardrails"]["statement"]] == [
        f'"{s.sid}"' for s in boundary_denials(api_profile(ACME_TEXT, tmp_path))]
    assert set(rendered["aws_iam_policy"]) >= {"boundary", "baseline_guardrails"}


def test_without_infra_or_iam_admins_the_guardrails_are_a_document_for_the_boundary_and_no_managed_policy(tmp_path):
    text = ACME_TEXT.replace("duty: infra-admin", "duty: operator").replace("duty: iam-admin", "duty: read-only")
    rendered = _policies_tf(text, tmp_path)
    assert "baseline_guardrails" in rendered["aws_iam_policy_document"]
    assert "baseline_guardrails" not in rendered["aws_iam_policy"]
    assert "boundary" in rendered["aws_iam_policy"]
