"""The customer managed policies of each built-in duty: infra admins, security admins, IAM admins, app developers and
operators (see ``policies`` for what each duty is)."""

from __future__ import annotations

from ...policy.document import REGIONS_TOKEN, Condition, PolicyDocument, Statement, arn, aws_managed_policy
from ...profile.model import BASELINE_PATH, Group, Profile
from .guardrail_actions import (
    BOUNDARY_REQUIRED_ACTIONS, KEY_ADMIN_ACTIONS, SECURITY_SERVICE_PRINCIPALS, SECURITY_SERVICE_WRITES, SECURITY_SERVICES,
)
from .guardrails import boundary_policy_arn, guardrails_document
from .policy_parts import (
    APP_TAG_KEY, CHECKOV_CLOUDSPLAINING, MAX_POLICY_CHARS, PROTECTED, GroupPolicies, allow, deny, policy_name, policy_size,
)
from .service_access import PREFIX, Grant, ServiceAccess
from .services import SERVICES

_ECR_TOKEN_REASON = "ecr:GetAuthorizationToken supports no resource ARN; the token only reaches the app's repositories"


def _infra_admin(group: Group, profile: Profile) -> GroupPolicies:
    security = PolicyDocument(name=policy_name(profile, group.name, "security-read-only"),
                              description=f"{group.name}: security services read-only",
                              statements=(deny("DenySecurityServiceWrites", SECURITY_SERVICE_WRITES),))
    arns = (aws_managed_policy("PowerUserAccess"), aws_managed_policy("IAMReadOnlyAccess"))
    return GroupPolicies(arns, (guardrails_document(profile), security))


def _security_admin(group: Group, profile: Profile) -> GroupPolicies:
    statements = (
        allow("ManageSecurityServices", (f"{s}:*" for s in SECURITY_SERVICES),
               conditions=(Condition("StringEquals", "aws:RequestedRegion", (REGIONS_TOKEN,)),)),
        # a remediation runs SSM Automation with any role named in its parameters: administrators only
        deny("DenyRemediationWithArbitraryRoles", ("config:PutRemediationConfigurations",)),
        allow("CreateSecurityServiceLinkedRoles", ("iam:CreateServiceLinkedRole",),
               (arn("iam", "role/aws-service-role/*"),),
               (Condition("StringEquals", "iam:AWSServiceName", SECURITY_SERVICE_PRINCIPALS),)),
        allow("PassTrailAndRecorderRoles", ("iam:PassRole",),
               (arn("iam", f"role{BASELINE_PATH}*"), arn("iam", "role/aws-service-role/config.amazonaws.com/*")),
               (Condition("StringEquals", "iam:PassedToService", ("cloudtrail.amazonaws.com", "config.amazonaws.com")),)),
        allow("AdministerBaselineKeys", KEY_ADMIN_ACTIONS, (arn("kms", "key/*", region="*"),), (PROTECTED,)),
    )
    doc = PolicyDocument(name=policy_name(profile, group.name, "security-services"),
                         description=f"{group.name}: manage the security services and the baseline's KMS keys",
                         statements=statements)
    return GroupPolicies((aws_managed_policy("SecurityAudit"),), (doc,))


def _iam_admin(group: Group, profile: Profile) -> GroupPolicies:
    users_and_roles = (arn("iam", "role/*"), arn("iam", "user/*"))
    with_boundary = Condition("StringEquals", "iam:PermissionsBoundary", (boundary_policy_arn(profile),))
    statements = (
        allow("CreateOrChangeOnlyWithBoundary", BOUNDARY_REQUIRED_ACTIONS, users_and_roles, (with_boundary,)),
        allow("ManageUsersAndRoles", (
            "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:DeactivateMFADevice", "iam:DeleteAccessKey",
            "iam:DeleteLoginProfile", "iam:DeleteRole", "iam:DeleteUser", "iam:TagRole", "iam:TagUser",
            "iam:UntagRole", "iam:UntagUser", "iam:UpdateAccessKey", "iam:UpdateAssumeRolePolicy",
            "iam:UpdateLoginProfile", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateUser"),
            users_and_roles),
        allow("ManageGroups", ("iam:AddUserToGroup", "iam:AttachGroupPolicy", "iam:CreateGroup", "iam:DeleteGroup",
                                "iam:DeleteGroupPolicy", "iam:DetachGroupPolicy", "iam:PutGroupPolicy",
                                "iam:RemoveUserFromGroup", "iam:UpdateGroup"), (arn("iam", "group/*"),)),
        allow("ManagePolicies", ("iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy",
                                  "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy",
                                  "iam:UntagPolicy"), (arn("iam", "policy/*"),)),
        allow("ManageInstanceProfiles", ("iam:AddRoleToInstanceProfile", "iam:CreateInstanceProfile",
                                          "iam:DeleteInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
                                          "iam:TagInstanceProfile", "iam:UntagInstanceProfile"),
               (arn("iam", "instance-profile/*"),)),
    )
    doc = PolicyDocument(name=policy_name(profile, group.name, "iam-admin"),
                         description=f"{group.name}: manage IAM identities, always under the permissions boundary",
                         statements=statements)
    return GroupPolicies((aws_managed_policy("IAMReadOnlyAccess"),), (doc, guardrails_document(profile)))


def _operator(group: Group, profile: Profile) -> GroupPolicies:
    instances = (arn("ec2", "instance/*", region="*"),)
    log_groups = (arn("logs", "log-group:*", region="*"), arn("logs", "log-group:*:log-stream:*", region="*"))
    alarms = (arn("cloudwatch", "alarm:*", region="*"),)
    log_reads = ("logs:DescribeLogStreams", "logs:FilterLogEvents", "logs:GetLogEvents", "logs:GetLogGroupFields",
                 "logs:GetQueryResults", "logs:StartQuery")
    operate = ("cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions", "ec2:RebootInstances",
               "ec2:StartInstances", "ec2:StopInstances", "ssm:StartSession")
    statements = (
        allow("InstancePower", ("ec2:RebootInstances", "ec2:StartInstances", "ec2:StopInstances"), instances),
        allow("StartSessions", ("ssm:GetConnectionStatus", "ssm:StartSession"), instances + (
            arn("ssm", "managed-instance/*", region="*"),
            arn("ssm", "document/SSM-SessionManagerRunShell", region="*"))),
        allow("OwnSessions", ("ssm:ResumeSession", "ssm:TerminateSession"),
               (arn("ssm", "session/${aws:username}-*", region="*"),)),
        allow("AlarmHandling", ("cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms",
                                 "cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions"), alarms),
        allow("ReadLogs", log_reads, log_groups),
        allow("ListAndDescribe", ("cloudwatch:DescribeAlarmsForMetric", "cloudwatch:GetMetricData",
                                   "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics",
                                   "logs:DescribeLogGroups", "logs:DescribeQueries", "logs:StopQuery",
                                   "ssm:DescribeInstanceInformation", "ssm:DescribeInstanceProperties",
                                   "ssm:DescribeSessions")),
        deny("DenyProtectedResources", operate + log_reads, conditions=(PROTECTED,)),
    )
    doc = PolicyDocument(name=policy_name(profile, group.name, "operations"),
                         description=f"{group.name}: start/stop/reboot, Session Manager, alarms and logs",
                         statements=statements)
    return GroupPolicies((aws_managed_policy("job-function/ViewOnlyAccess"),), (doc,))


def _fill(values: tuple[str, ...], prefix: str) -> tuple[str, ...]:
    return tuple(v.replace(PREFIX, prefix) for v in values)


def _grant_statement(service: ServiceAccess, grant: Grant, group: Group) -> Statement:
    conditions = [Condition(c.test, c.variable, _fill(c.values, group.resource_prefix)) for c in grant.conditions]
    if group.app_tag and grant.abac != "none":
        scope = "ResourceTag" if grant.abac == "resource" else "RequestTag"
        conditions.append(Condition("StringEquals", f"aws:{scope}/{APP_TAG_KEY}", (group.app_tag,)))
    return allow(service.label + grant.name, grant.actions, _fill(grant.resources, group.resource_prefix),
                  conditions)


def _service_statements(service: ServiceAccess, group: Group) -> list[Statement]:
    statements = [_grant_statement(service, grant, group) for grant in service.grants]
    if service.tag_actions:
        statements.append(allow(f"{service.label}Tags", service.tag_actions + service.untag_actions,
                                 _fill(service.tag_resources, group.resource_prefix)))
    return statements


def _app_shared_statements(services: list[ServiceAccess], group: Group) -> list[Statement]:
    statements = [allow("ListAndDescribe", (a for s in services for a in s.unscoped_reads))]
    pass_to = sorted({p for s in services for p in s.pass_role_to})
    if pass_to:
        statements.append(allow("PassAppRoles", ("iam:PassRole",), (arn("iam", f"role/{group.resource_prefix}*"),),
                                 (Condition("StringEquals", "iam:PassedToService", tuple(pass_to)),)))
    untag = [a for s in services for a in s.untag_actions]
    if group.app_tag and untag:
        tag = [a for s in services for a in s.tag_actions]
        statements.append(deny("DenyAppTagRemoval", untag, conditions=(
            Condition("ForAnyValue:StringEquals", "aws:TagKeys", (APP_TAG_KEY,)),)))
        statements.append(deny("DenyAppTagChange", tag, conditions=(
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


DUTY_BUILDERS = {"infra-admin": _infra_admin, "security-admin": _security_admin, "iam-admin": _iam_admin,
                 "app-developer": _app_developer, "operator": _operator}
