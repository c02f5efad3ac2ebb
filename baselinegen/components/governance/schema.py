"""The ``governance`` section: the organisation's service control policies (with ``accounts`` only)."""

from __future__ import annotations

from ...errors import Problem
from ...profile.loader import LoadedDocument, problem_at as _problem
from .org_policies import POLICY_RULES
from .policy_types import RULES as KEEP_POLICY_TYPES_RULES


def _switch(default: bool, description: str) -> dict:
    return {"type": "boolean", "default": default, "meta": {"description": description}}


# No default for the section itself: a profile without accounts must not have it, so its absence is visible.
SCHEMA = {
    "governance": {
        "type": "dict",
        "meta": {"description": "With accounts only: service control policies attached to the organisation root (every "
                                "member account; never the management account), organisation policies of every type where "
                                "they belong, centralised root access and delegated administration (E249 without accounts)."},
        "schema": {
            "service_control_policies": {"type": "dict", "default": {}, "meta": {
                "description": "The guardrails: policy <org>-guardrails holds the first three, <org>-region-restriction the last."}, "schema": {
                "deny_leaving_organization": _switch(True, "Deny organizations:LeaveOrganization to every member account; false: "
                                                           "warning W432."),
                "protect_security_services": _switch(True, "Deny stopping, deleting or reconfiguring CloudTrail, AWS Config, GuardDuty, "
                                                           "Security Hub and IAM Access Analyzer to everyone but the deployment role; "
                                                           "false: warning W432."),
                "deny_root_user": _switch(True, "Deny every action of a member account's root user (root sessions opened "
                                                "through centralised root access stay possible); false: warning W432."),
                "restrict_regions": _switch(False, "Deny every request outside organization.regions, except to global services "
                                                   "(IAM, Organizations, STS, CloudFront, Route 53, Support, ...) and by the deployment role."),
            }},
            "policies": POLICY_RULES,
            "keep_policy_types": KEEP_POLICY_TYPES_RULES,
            "root_access": {"type": "string", "allowed": ["centralized"], "meta": {
                "description": "centralized: IAM's centralised root access (RootCredentialsManagement and RootSessions, trusted "
                               "access for iam.amazonaws.com): member accounts' root credentials can be deleted, and root "
                               "sessions are opened only from the management account (sts:AssumeRoot) for a few tasks. "
                               "Settles the member accounts' root items of the checklist; the management account keeps its own.",
                "default": "none: root access is not managed"}},
            "adopt_root_access": {"type": "boolean", "default": False, "meta": {
                "description": "true: centralised root access is already enabled (IAM console, CLI or another tool); the "
                               "management root imports aws_iam_organizations_features by the organisation's id instead of "
                               "enabling it. Needs root_access: centralized (E318)."}},
        },
    },
}

# What each guardrail prevents, for the warning that says what turning it off loses.
LOST = {
    "deny_leaving_organization": "a member account can leave the organisation (organizations:LeaveOrganization), and with it "
                                 "every service control policy, the organisation trail and the delegated security services",
    "protect_security_services": "whoever holds enough IAM permissions in a member account can stop or delete CloudTrail, AWS "
                                 "Config, GuardDuty, Security Hub and IAM Access Analyzer there, and the security account loses sight of that account",
    "deny_root_user": "the root user of a member account keeps every permission: its password and MFA device are enough to "
                      "take over the account, past every IAM guardrail",
}


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    """E249 without accounts (like the other organisation keys); E318 adopt_root_access without root_access; W432 for
    each guardrail turned off."""
    if "governance" not in data:
        return []
    if data.get("accounts") is None:
        return [Problem(doc.locate(("governance",), prefer_key=True), "governance", "service control policies and delegated administration are used only with accounts "
                                               "(an organisation profile); without accounts the profile describes one account: "
                                               "remove the section, or list the accounts", "E249")]
    if data["governance"].get("adopt_root_access") and data["governance"].get("root_access") != "centralized":
        return [_problem(doc, ("governance", "adopt_root_access"), "adopting centralised root access needs "
                                                                   "governance.root_access: centralized (what the apply then "
                                                                   "keeps enabled); add it, or remove adopt_root_access", "E318")]
    scps = data["governance"]["service_control_policies"]
    return [_problem(doc, ("governance", "service_control_policies", key), f"guardrail off: {lost}", "W432", "warning")
            for key, lost in LOST.items() if not scps[key]]
