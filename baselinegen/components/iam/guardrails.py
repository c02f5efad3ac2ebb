"""The guardrails: the permissions boundary every identity an IAM admin creates must carry, and its denies, which
infra and IAM admins also carry as one managed policy (no security-service tampering, no changes to protected keys
and resources, to the baseline's IAM path, protected identities or account settings, no identity without the
boundary)."""

from __future__ import annotations

from ...policy.document import Condition, PolicyDocument, Statement, arn
from ...profile.model import BASELINE_PATH, Profile
from .guardrail_actions import (
    ACCOUNT_SETTING_ACTIONS, BOUNDARY_REQUIRED_ACTIONS, IAM_CHANGE_ACTIONS, PROTECTED_KEY_ACTIONS, PROTECTED_RESOURCE_ACTIONS,
    SECURITY_SERVICE_TAMPERING,
)
from .policy_parts import CHECKOV_ALLOW_ALL, CHECKOV_CLOUDSPLAINING, PROTECTED, allow, deny, policy_name

_BOUNDARY_REASON = "a permissions boundary grants nothing by itself; it only caps what identity policies allow"


def boundary_policy_arn(profile: Profile) -> str:
    return arn("iam", f"policy{BASELINE_PATH}{profile.boundary_policy_name}")


def baseline_iam_resources(profile: Profile) -> tuple[str, ...]:
    kinds = ("group", "instance-profile", "policy", "role", "user")
    return tuple(arn("iam", f"{kind}{BASELINE_PATH}*") for kind in kinds) + (boundary_policy_arn(profile),)


def boundary_denials(profile: Profile) -> tuple[Statement, ...]:
    """The denies of the permissions boundary, also carried by infra and IAM admins as a managed policy.

    Whatever an IAM admin grants (to new identities, which must carry the boundary, or to themselves
    through a group they create), these denies still hold: no security-service tampering, no changes to
    protected keys and resources, to the baseline's IAM path, to protected identities or account settings,
    no identity without the boundary and no boundary removal.
    """
    without_boundary = Condition("StringNotEquals", "iam:PermissionsBoundary", (boundary_policy_arn(profile),))
    return (
        deny("DenySecurityServiceTampering", SECURITY_SERVICE_TAMPERING),
        deny("DenyServiceLinkedRoleDeletion", ("iam:DeleteServiceLinkedRole",),
              (arn("iam", "role/aws-service-role/*"),)),
        deny("DenyProtectedKeyChanges", PROTECTED_KEY_ACTIONS, conditions=(PROTECTED,)),
        deny("DenyProtectedKeyGrants", ("kms:CreateGrant",),
              conditions=(PROTECTED, Condition("Bool", "kms:GrantIsForAWSResource", ("false",)))),
        deny("DenyProtectedResourceChanges", PROTECTED_RESOURCE_ACTIONS, conditions=(PROTECTED,)),
        deny("DenyBaselineIamChanges", IAM_CHANGE_ACTIONS, baseline_iam_resources(profile)),
        deny("DenyProtectedIdentityChanges", IAM_CHANGE_ACTIONS, conditions=(PROTECTED,)),
        deny("DenyBaselineAccountSettings", ACCOUNT_SETTING_ACTIONS),
        deny("DenyIdentitiesWithoutBoundary", BOUNDARY_REQUIRED_ACTIONS, conditions=(without_boundary,)),
        deny("DenyBoundaryRemoval", ("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary")),
    )


def guardrails_document(profile: Profile) -> PolicyDocument:
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
        statements=(*boundary_denials(profile), allow("AllowWithinBoundary", ("*",))),
        checkov_skips=tuple((check, _BOUNDARY_REASON) for check in sorted(skips)))
