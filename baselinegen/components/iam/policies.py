"""Least-privilege IAM policies for the baseline's job functions ("duties"), as data.

Each duty is a set of AWS managed policy ARNs plus customer managed documents built here:

* ``administrator`` — ``AdministratorAccess`` (accepted finding: full access is the group's purpose);
* ``infra-admin`` — ``PowerUserAccess`` + ``IAMReadOnlyAccess`` + a deny on every security-service write
  + the guardrails (the permissions boundary's denies);
* ``security-admin`` — ``SecurityAudit`` + management of the security services and baseline KMS keys;
* ``iam-admin`` — ``IAMReadOnlyAccess`` + identity management that always requires the boundary
  + the guardrails, so that whatever an IAM admin grants, even to themselves, stays inside the boundary;
* ``app-developer`` — the catalogued services of ``iam_services.SERVICES``, scoped to the app;
* ``operator`` — ``job-function/ViewOnlyAccess`` + power actions, Session Manager and alarm handling;
* ``read-only`` — ``ReadOnlyAccess``; ``custom`` — the profile's ARNs and statements.

Resources the baseline owns are recognised by the IAM path ``BASELINE_PATH`` and by the tag
``PROTECTED_TAG_KEY = "true"``; only administrators (and, for the security services and keys,
security admins) may change them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from baselinegen.components.iam.services import (
    ACCOUNT_SETTING_ACTIONS, BOUNDARY_REQUIRED_ACTIONS, IAM_CHANGE_ACTIONS, KEY_ADMIN_ACTIONS, PREFIX,
    PROTECTED_KEY_ACTIONS, PROTECTED_RESOURCE_ACTIONS, SECURITY_SERVICE_PRINCIPALS, SECURITY_SERVICE_TAMPERING,
    SECURITY_SERVICE_WRITES, SECURITY_SERVICES, SERVICES, Grant, ServiceAccess,
)
from baselinegen.policy.document import REGIONS_TOKEN, Condition, PolicyDocument, Statement, arn, aws_managed_policy, to_json_policy
from baselinegen.profile.regions import AWS_REGIONS
from baselinegen.profile.model import BASELINE_PATH, PROTECTED_TAG_KEY, Group, PolicyStatementSpec, Profile, User

DUTIES: tuple[str, ...] = ("administrator", "infra-admin", "security-admin", "iam-admin", "app-developer",
                           "operator", "read-only", "custom")
HUMAN_DUTIES = DUTIES  # all duties are for people
APP_TAG_KEY = "App"
MAX_POLICY_CHARS = 6144  # IAM quota for a customer managed policy, whitespace not counted
_NAME_RE = re.compile(r"^[\w+=,.@-]{1,128}$")

PROTECTED = Condition("StringEquals", f"aws:ResourceTag/{PROTECTED_TAG_KEY}", ("true",))

# checkov IDs of these findings on a policy document; documents are always rendered as
# `data "aws_iam_policy_document"` (the resource-level twins CKV_AWS_62/63/286-290/355 never apply)
CHECKOV_ALLOW_ALL = ("CKV_AWS_1", "CKV_AWS_49", "CKV2_AWS_40")
CHECKOV_CLOUDSPLAINING = {"credentials": ("CKV_AWS_107",), "exfiltration": ("CKV_AWS_108",),
                          "permissions": ("CKV_AWS_109",), "escalation": ("CKV_AWS_110",),
                          "write": ("CKV_AWS_111",), "resource-star": ("CKV_AWS_356",)}
_ADMIN_REASON = "full access is the Administrators group's purpose (break-glass, MFA required)"
_BOUNDARY_REASON = "a permissions boundary grants nothing by itself; it only caps what identity policies allow"
_ECR_TOKEN_REASON = "ecr:GetAuthorizationToken supports no resource ARN; the token only reaches the app's repositories"
_USER_POLICY_REASON = "programmatic users may carry direct policies (profile rule for programs)"


@dataclass(frozen=True)
class GroupPolicies:
    managed_policy_arns: tuple[str, ...]  # AWS managed / profile ARNs to attach (sorted, unique)
    documents: tuple[PolicyDocument, ...]  # customer managed policies to create and attach
    checkov_skips: tuple[tuple[str, str], ...] = ()  # for the attachment resources (check id, reason)


def boundary_policy_arn(profile: Profile) -> str:
    return arn("iam", f"policy{BASELINE_PATH}{profile.boundary_policy_name}")


def baseline_iam_resources(profile: Profile) -> tuple[str, ...]:
    kinds = ("group", "instance-profile", "policy", "role", "user")
    return tuple(arn("iam", f"{kind}{BASELINE_PATH}*") for kind in kinds) + (boundary_policy_arn(profile),)


def policy_name(profile: Profile, owner: str, purpose: str) -> str:
    """``<org>-<owner>-<purpose>``; shortened with a stable hash when longer than IAM's 128 characters."""
    name = f"{profile.organization.name}-{owner}-{purpose}"
    if len(name) > 128:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        name = f"{name[:128 - len(purpose) - 10]}-{digest}-{purpose}"
    if not _NAME_RE.match(name):
        raise ValueError(f"policy name {name!r}: IAM policy names allow only letters, digits and +=,.@_-")
    return name


# The size check assumes the longest Region list a profile can have.
WORST_CASE_REGIONS = AWS_REGIONS


def policy_size(document: PolicyDocument) -> int:
    """Characters IAM counts (no whitespace), with the longest partition name."""
    return len(json.dumps(to_json_policy(document, partition="aws-us-gov", account_id="111122223333", regions=WORST_CASE_REGIONS),
                          separators=(",", ":")))


def _allow(sid: str, actions, resources=("*",), conditions=()) -> Statement:
    return Statement(sid=sid, actions=tuple(sorted(set(actions))), resources=tuple(sorted(set(resources))),
                     conditions=tuple(conditions))


def _deny(sid: str, actions, resources=("*",), conditions=()) -> Statement:
    return Statement(sid=sid, effect="Deny", actions=tuple(sorted(set(actions))),
                     resources=tuple(sorted(set(resources))), conditions=tuple(conditions))


# --- guardrails shared by infra-admin, iam-admin and the permissions boundary ----------------------------

def boundary_denials(profile: Profile) -> tuple[Statement, ...]:
    """The denies of the permissions boundary, also carried by infra and IAM admins as a managed policy.

    Whatever an IAM admin grants (to new identities, which must carry the boundary, or to themselves
    through a group they create), these denies still hold: no security-service tampering, no changes to
    protected keys and resources, to the baseline's IAM path, to protected identities or account settings,
    no identity without the boundary and no boundary removal.
    """
    without_boundary = Condition("StringNotEquals", "iam:PermissionsBoundary", (boundary_policy_arn(profile),))
    return (
        _deny("DenySecurityServiceTampering", SECURITY_SERVICE_TAMPERING),
        _deny("DenyServiceLinkedRoleDeletion", ("iam:DeleteServiceLinkedRole",),
              (arn("iam", "role/aws-service-role/*"),)),
        _deny("DenyProtectedKeyChanges", PROTECTED_KEY_ACTIONS, conditions=(PROTECTED,)),
        _deny("DenyProtectedKeyGrants", ("kms:CreateGrant",),
              conditions=(PROTECTED, Condition("Bool", "kms:GrantIsForAWSResource", ("false",)))),
        _deny("DenyProtectedResourceChanges", PROTECTED_RESOURCE_ACTIONS, conditions=(PROTECTED,)),
        _deny("DenyBaselineIamChanges", IAM_CHANGE_ACTIONS, baseline_iam_resources(profile)),
        _deny("DenyProtectedIdentityChanges", IAM_CHANGE_ACTIONS, conditions=(PROTECTED,)),
        _deny("DenyBaselineAccountSettings", ACCOUNT_SETTING_ACTIONS),
        _deny("DenyIdentitiesWithoutBoundary", BOUNDARY_REQUIRED_ACTIONS, conditions=(without_boundary,)),
        _deny("DenyBoundaryRemoval", ("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary")),
    )


def _guardrails_document(profile: Profile) -> PolicyDocument:
    """One policy shared by every group that needs it (same name, rendered once)."""
    return PolicyDocument(name=policy_name(profile, "baseline", "guardrails"),
                          description="The permissions boundary's denies: the baseline and the security services "
                                      "out of reach",
                          statements=boundary_denials(profile))


def boundary_policy(profile: Profile) -> PolicyDocument:
    """The permissions boundary every identity created by an IAM admin must carry."""
    skips = CHECKOV_ALLOW_ALL + tuple(i for ids in CHECKOV_CLOUDSPLAINING.values() for i in ids)
    return PolicyDocument(
        name=profile.boundary_policy_name,
        description="Permissions boundary: no privilege escalation, no changes to the baseline or security services",
        statements=(_allow("AllowWithinBoundary", ("*",)), *boundary_denials(profile)),
        checkov_skips=tuple((check, _BOUNDARY_REASON) for check in sorted(skips)))


def mfa_policy(profile: Profile) -> PolicyDocument:
    """Deny everything but self-service MFA and password set-up until the user signs in with MFA."""
    own_user = arn("iam", f"user{BASELINE_PATH}${{aws:username}}")
    self_service = ("iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice",
                    "iam:GetAccountPasswordPolicy", "iam:GetUser", "iam:ListMFADevices", "iam:ListUsers",
                    "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken")
    statements = (
        _allow("AllowListUsersAndMFADevices",
               ("iam:GetAccountPasswordPolicy", "iam:ListUsers", "iam:ListVirtualMFADevices")),
        _allow("AllowCreateVirtualMFADevice", ("iam:CreateVirtualMFADevice",), (arn("iam", "mfa/*"),)),
        _allow("AllowManageOwnMFAAndPassword", ("iam:ChangePassword", "iam:EnableMFADevice", "iam:GetUser",
                                                "iam:ListMFADevices", "iam:ResyncMFADevice"), (own_user,)),
        _allow("AllowDeactivateOwnMFAOnlyWithMFA", ("iam:DeactivateMFADevice",), (own_user,),
               (Condition("Bool", "aws:MultiFactorAuthPresent", ("true",)),)),
        Statement(sid="BlockMostAccessUnlessSignedInWithMFA", effect="Deny", not_actions=self_service,
                  resources=("*",), conditions=(Condition("BoolIfExists", "aws:MultiFactorAuthPresent", ("false",)),)),
    )
    return PolicyDocument(name=policy_name(profile, "baseline", "mfa"),
                          description="Deny all but MFA and password self-service until signed in with MFA",
                          statements=statements)


# --- duties ---------------------------------------------------------------------------------------------

def _infra_admin(group: Group, profile: Profile) -> GroupPolicies:
    security = PolicyDocument(name=policy_name(profile, group.name, "security-read-only"),
                              description=f"{group.name}: security services read-only",
                              statements=(_deny("DenySecurityServiceWrites", SECURITY_SERVICE_WRITES),))
    arns = (aws_managed_policy("PowerUserAccess"), aws_managed_policy("IAMReadOnlyAccess"))
    return GroupPolicies(arns, (_guardrails_document(profile), security))


def _security_admin(group: Group, profile: Profile) -> GroupPolicies:
    statements = (
        _allow("ManageSecurityServices", (f"{s}:*" for s in SECURITY_SERVICES),
               conditions=(Condition("StringEquals", "aws:RequestedRegion", (REGIONS_TOKEN,)),)),
        # a remediation runs SSM Automation with any role named in its parameters: administrators only
        _deny("DenyRemediationWithArbitraryRoles", ("config:PutRemediationConfigurations",)),
        _allow("CreateSecurityServiceLinkedRoles", ("iam:CreateServiceLinkedRole",),
               (arn("iam", "role/aws-service-role/*"),),
               (Condition("StringEquals", "iam:AWSServiceName", SECURITY_SERVICE_PRINCIPALS),)),
        _allow("PassTrailAndRecorderRoles", ("iam:PassRole",),
               (arn("iam", f"role{BASELINE_PATH}*"), arn("iam", "role/aws-service-role/config.amazonaws.com/*")),
               (Condition("StringEquals", "iam:PassedToService", ("cloudtrail.amazonaws.com", "config.amazonaws.com")),)),
        _allow("AdministerBaselineKeys", KEY_ADMIN_ACTIONS, (arn("kms", "key/*", region="*"),), (PROTECTED,)),
    )
    doc = PolicyDocument(name=policy_name(profile, group.name, "security-services"),
                         description=f"{group.name}: manage the security services and the baseline's KMS keys",
                         statements=statements)
    return GroupPolicies((aws_managed_policy("SecurityAudit"),), (doc,))


def _iam_admin(group: Group, profile: Profile) -> GroupPolicies:
    users_and_roles = (arn("iam", "role/*"), arn("iam", "user/*"))
    with_boundary = Condition("StringEquals", "iam:PermissionsBoundary", (boundary_policy_arn(profile),))
    statements = (
        _allow("CreateOrChangeOnlyWithBoundary", BOUNDARY_REQUIRED_ACTIONS, users_and_roles, (with_boundary,)),
        _allow("ManageUsersAndRoles", (
            "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:DeactivateMFADevice", "iam:DeleteAccessKey",
            "iam:DeleteLoginProfile", "iam:DeleteRole", "iam:DeleteUser", "iam:TagRole", "iam:TagUser",
            "iam:UntagRole", "iam:UntagUser", "iam:UpdateAccessKey", "iam:UpdateAssumeRolePolicy",
            "iam:UpdateLoginProfile", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateUser"),
            users_and_roles),
        _allow("ManageGroups", ("iam:AddUserToGroup", "iam:AttachGroupPolicy", "iam:CreateGroup", "iam:DeleteGroup",
                                "iam:DeleteGroupPolicy", "iam:DetachGroupPolicy", "iam:PutGroupPolicy",
                                "iam:RemoveUserFromGroup", "iam:UpdateGroup"), (arn("iam", "group/*"),)),
        _allow("ManagePolicies", ("iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy",
                                  "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy",
                                  "iam:UntagPolicy"), (arn("iam", "policy/*"),)),
        _allow("ManageInstanceProfiles", ("iam:AddRoleToInstanceProfile", "iam:CreateInstanceProfile",
                                          "iam:DeleteInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
                                          "iam:TagInstanceProfile", "iam:UntagInstanceProfile"),
               (arn("iam", "instance-profile/*"),)),
    )
    doc = PolicyDocument(name=policy_name(profile, group.name, "iam-admin"),
                         description=f"{group.name}: manage IAM identities, always under the permissions boundary",
                         statements=statements)
    return GroupPolicies((aws_managed_policy("IAMReadOnlyAccess"),), (doc, _guardrails_document(profile)))


def _operator(group: Group, profile: Profile) -> GroupPolicies:
    instances = (arn("ec2", "instance/*", region="*"),)
    log_groups = (arn("logs", "log-group:*", region="*"), arn("logs", "log-group:*:log-stream:*", region="*"))
    alarms = (arn("cloudwatch", "alarm:*", region="*"),)
    log_reads = ("logs:DescribeLogStreams", "logs:FilterLogEvents", "logs:GetLogEvents", "logs:GetLogGroupFields",
                 "logs:GetQueryResults", "logs:StartQuery")
    operate = ("cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions", "ec2:RebootInstances",
               "ec2:StartInstances", "ec2:StopInstances", "ssm:StartSession")
    statements = (
        _allow("InstancePower", ("ec2:RebootInstances", "ec2:StartInstances", "ec2:StopInstances"), instances),
        _allow("StartSessions", ("ssm:GetConnectionStatus", "ssm:StartSession"), instances + (
            arn("ssm", "managed-instance/*", region="*"),
            arn("ssm", "document/SSM-SessionManagerRunShell", region="*"))),
        _allow("OwnSessions", ("ssm:ResumeSession", "ssm:TerminateSession"),
               (arn("ssm", "session/${aws:username}-*", region="*"),)),
        _allow("AlarmHandling", ("cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms",
                                 "cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions"), alarms),
        _allow("ReadLogs", log_reads, log_groups),
        _allow("ListAndDescribe", ("cloudwatch:DescribeAlarmsForMetric", "cloudwatch:GetMetricData",
                                   "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics",
                                   "logs:DescribeLogGroups", "logs:DescribeQueries", "logs:StopQuery",
                                   "ssm:DescribeInstanceInformation", "ssm:DescribeInstanceProperties",
                                   "ssm:DescribeSessions")),
        _deny("DenyProtectedResources", operate + log_reads, conditions=(PROTECTED,)),
    )
    doc = PolicyDocument(name=policy_name(profile, group.name, "operations"),
                         description=f"{group.name}: start/stop/reboot, Session Manager, alarms and logs",
                         statements=statements)
    return GroupPolicies((aws_managed_policy("job-function/ViewOnlyAccess"),), (doc,))


# --- app-developer ------------------------------------------------------------------------------------

def _fill(values: tuple[str, ...], prefix: str) -> tuple[str, ...]:
    return tuple(v.replace(PREFIX, prefix) for v in values)


def _grant_statement(service: ServiceAccess, grant: Grant, group: Group) -> Statement:
    conditions = [Condition(c.test, c.variable, _fill(c.values, group.resource_prefix)) for c in grant.conditions]
    if group.app_tag and grant.abac != "none":
        scope = "ResourceTag" if grant.abac == "resource" else "RequestTag"
        conditions.append(Condition("StringEquals", f"aws:{scope}/{APP_TAG_KEY}", (group.app_tag,)))
    return _allow(service.label + grant.name, grant.actions, _fill(grant.resources, group.resource_prefix),
                  conditions)


def _service_statements(service: ServiceAccess, group: Group) -> list[Statement]:
    statements = [_grant_statement(service, grant, group) for grant in service.grants]
    if service.tag_actions:
        statements.append(_allow(f"{service.label}Tags", service.tag_actions + service.untag_actions,
                                 _fill(service.tag_resources, group.resource_prefix)))
    return statements


def _app_shared_statements(services: list[ServiceAccess], group: Group) -> list[Statement]:
    statements = [_allow("ListAndDescribe", (a for s in services for a in s.unscoped_reads))]
    pass_to = sorted({p for s in services for p in s.pass_role_to})
    if pass_to:
        statements.append(_allow("PassAppRoles", ("iam:PassRole",), (arn("iam", f"role/{group.resource_prefix}*"),),
                                 (Condition("StringEquals", "iam:PassedToService", tuple(pass_to)),)))
    untag = [a for s in services for a in s.untag_actions]
    if group.app_tag and untag:
        tag = [a for s in services for a in s.tag_actions]
        statements.append(_deny("DenyAppTagRemoval", untag, conditions=(
            Condition("ForAnyValue:StringEquals", "aws:TagKeys", (APP_TAG_KEY,)),)))
        statements.append(_deny("DenyAppTagChange", tag, conditions=(
            Condition("Null", f"aws:RequestTag/{APP_TAG_KEY}", ("false",)),
            Condition("StringNotEquals", f"aws:RequestTag/{APP_TAG_KEY}", (group.app_tag,)))))
    return statements


def _pack(blocks: list[list[Statement]], name_for, description: str, skips) -> tuple[PolicyDocument, ...]:
    """Fill documents block by block (a block never splits) up to IAM's policy size quota."""
    packed: list[list[Statement]] = []
    for block in blocks:
        candidate = (packed[-1] if packed else []) + block
        probe = PolicyDocument(name="probe", description="", statements=tuple(candidate))
        if packed and policy_size(probe) <= MAX_POLICY_CHARS:
            packed[-1] = candidate
        else:
            packed.append(list(block))
    return tuple(PolicyDocument(name=name_for(i + 1), description=f"{description} ({i + 1}/{len(packed)})",
                                statements=tuple(st), checkov_skips=skips if i == 0 else ())
                 for i, st in enumerate(packed))


def _app_developer(group: Group, profile: Profile) -> GroupPolicies:
    if not group.resource_prefix:
        raise ValueError(f"group {group.name}: app-developer needs resource_prefix (names scope every service)")
    unknown = sorted(set(group.services) - set(SERVICES))
    if unknown or not group.services:
        raise ValueError(f"group {group.name}: unknown or missing services {unknown}; known: {sorted(SERVICES)}")
    services = [SERVICES[key] for key in sorted(set(group.services))]
    skips = tuple((check, _ECR_TOKEN_REASON) for check in CHECKOV_CLOUDSPLAINING["credentials"]) \
        if SERVICES["ecr"] in services else ()
    blocks = [_app_shared_statements(services, group)] + [_service_statements(s, group) for s in services]
    scope = f"names {group.resource_prefix}*" + (f", tag {APP_TAG_KEY}={group.app_tag}" if group.app_tag else "")
    docs = _pack(blocks, lambda i: policy_name(profile, group.name, f"app-{i}"),
                 f"{group.name}: {', '.join(sorted(set(group.services)))} on {scope}", skips)
    return GroupPolicies((), docs)


# --- custom statements, programmatic users ------------------------------------------------------------

def _custom_document(profile: Profile, owner: str, purpose: str, specs: tuple[PolicyStatementSpec, ...],
                     description: str) -> tuple[PolicyDocument, ...]:
    if not specs:
        return ()
    statements, seen = [], set()
    for index, spec in enumerate(specs, start=1):
        sid = re.sub(r"[^A-Za-z0-9]", "", spec.sid) or f"Statement{index}"
        while sid in seen:
            sid = f"{sid}{index}"
        seen.add(sid)
        statements.append(Statement(
            sid=sid, effect=spec.effect, actions=tuple(spec.actions), not_actions=tuple(spec.not_actions),
            resources=tuple(spec.resources),
            conditions=tuple(Condition(test, variable, tuple(values)) for test, variable, values in spec.conditions)))
    return (PolicyDocument(name=policy_name(profile, owner, purpose), description=description,
                           statements=tuple(statements)),)


_DUTY_BUILDERS = {"infra-admin": _infra_admin, "security-admin": _security_admin, "iam-admin": _iam_admin,
                  "app-developer": _app_developer, "operator": _operator}


def group_policies(group: Group, profile: Profile) -> GroupPolicies:
    if group.duty not in DUTIES:
        raise ValueError(f"group {group.name}: unknown duty {group.duty!r}")
    if group.duty == "administrator":
        if group.managed_policy_arns or group.statements:
            raise ValueError(f"group {group.name}: administrators already have every permission")
        admin = aws_managed_policy("AdministratorAccess")
        return GroupPolicies((admin,), (), (("CKV_AWS_274", _ADMIN_REASON),))
    if group.statements and group.duty != "custom":
        raise ValueError(f"group {group.name}: only custom groups take statements")
    if group.duty == "read-only":
        base = GroupPolicies((aws_managed_policy("ReadOnlyAccess"),), ())
    elif group.duty == "custom":
        base = GroupPolicies((), _custom_document(profile, group.name, "custom", group.statements,
                                                  f"{group.name}: statements from the profile"))
    else:
        base = _DUTY_BUILDERS[group.duty](group, profile)
    arns = tuple(sorted(set(base.managed_policy_arns) | set(group.managed_policy_arns)))
    return GroupPolicies(arns, base.documents, base.checkov_skips)


def user_policies(user: User, profile: Profile) -> GroupPolicies:
    """Direct policies of a programmatic user (people get permissions only through groups)."""
    if not user.programmatic:
        if user.managed_policy_arns or user.statements:
            raise ValueError(f"user {user.name}: only programmatic users may have direct policies")
        return GroupPolicies((), ())
    docs = _custom_document(profile, user.name, "direct", user.statements, f"{user.name}: statements from the profile")
    arns = tuple(sorted(set(user.managed_policy_arns)))
    skips = (("CKV_AWS_40", _USER_POLICY_REASON),) if arns or docs else ()
    return GroupPolicies(arns, docs, skips)
