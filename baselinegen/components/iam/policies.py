"""Least-privilege IAM policies for the baseline's job functions ("duties"), as data.

Each duty is a set of AWS managed policy ARNs plus customer managed documents built here:

* ``administrator`` — ``AdministratorAccess`` (accepted finding: full access is the group's purpose);
* ``infra-admin`` — ``PowerUserAccess`` + ``IAMReadOnlyAccess`` + a deny on every security-service write
  + the guardrails (the permissions boundary's denies);
* ``security-admin`` — ``SecurityAudit`` + management of the security services and baseline KMS keys;
* ``iam-admin`` — ``IAMReadOnlyAccess`` + identity management that always requires the boundary
  + the guardrails, so that whatever an IAM admin grants, even to themselves, stays inside the boundary;
* ``app-developer`` — the catalogued services of ``services.SERVICES``, scoped to the app;
* ``operator`` — ``job-function/ViewOnlyAccess`` + power actions, Session Manager and alarm handling;
* ``read-only`` — ``ReadOnlyAccess``; ``custom`` — the profile's ARNs and statements.

Resources the baseline owns are recognised by the IAM path ``BASELINE_PATH`` and by the tag
``PROTECTED_TAG_KEY = "true"``; only administrators (and, for the security services and keys,
security admins) may change them.
"""

from __future__ import annotations

import re

from ...policy.document import Condition, PolicyDocument, Statement, arn, aws_managed_policy
from ...profile.model import BASELINE_PATH, Group, PolicyStatementSpec, Profile, User
from .duties import DUTY_BUILDERS
from .guardrails import guardrails_document
from .policy_parts import GroupPolicies, allow, policy_name

DUTIES: tuple[str, ...] = ("administrator", "infra-admin", "security-admin", "iam-admin", "app-developer",
                           "operator", "read-only", "custom")
HUMAN_DUTIES = DUTIES  # all duties are for people
_ADMIN_REASON = "full access is the Administrators group's purpose (break-glass, MFA required)"
_USER_POLICY_REASON = "programmatic users may carry direct policies (profile rule for programs)"


def mfa_policy(profile: Profile) -> PolicyDocument:
    """Deny everything but self-service MFA and password set-up until the user signs in with MFA."""
    own_user = arn("iam", f"user{BASELINE_PATH}${{aws:username}}")
    self_service = ("iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice",
                    "iam:GetAccountPasswordPolicy", "iam:GetUser", "iam:ListMFADevices", "iam:ListUsers",
                    "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken")
    statements = (
        allow("AllowListUsersAndMFADevices",
               ("iam:GetAccountPasswordPolicy", "iam:ListUsers", "iam:ListVirtualMFADevices")),
        allow("AllowCreateVirtualMFADevice", ("iam:CreateVirtualMFADevice",), (arn("iam", "mfa/*"),)),
        allow("AllowManageOwnMFAAndPassword", ("iam:ChangePassword", "iam:EnableMFADevice", "iam:GetUser",
                                                "iam:ListMFADevices", "iam:ResyncMFADevice"), (own_user,)),
        allow("AllowDeactivateOwnMFAOnlyWithMFA", ("iam:DeactivateMFADevice",), (own_user,),
               (Condition("Bool", "aws:MultiFactorAuthPresent", ("true",)),)),
        Statement(sid="BlockMostAccessUnlessSignedInWithMFA", effect="Deny", not_actions=self_service,
                  resources=("*",), conditions=(Condition("BoolIfExists", "aws:MultiFactorAuthPresent", ("false",)),)),
    )
    return PolicyDocument(name=policy_name(profile, "baseline", "mfa"),
                          description="Deny all but MFA and password self-service until signed in with MFA",
                          statements=statements)


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
        base = DUTY_BUILDERS[group.duty](group, profile)
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


def carries_guardrails(profile: Profile) -> bool:
    """Whether a job function carries the guardrails as a managed policy of its own (infra and IAM admins)."""
    name = guardrails_document(profile).name
    return any(d.name == name for g in profile.iam.groups for d in group_policies(g, profile).documents)
