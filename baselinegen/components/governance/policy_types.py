"""``governance.keep_policy_types``: policy types other tools enabled on the organisation root, kept on apply.

The organisation is imported, and ``aws_organizations_organization.enabled_policy_types`` is authoritative: the
provider reads every type enabled on the root, and an apply calls ``DisablePolicyType`` for each type the
configuration leaves out (terraform-provider-aws, internal/service/organizations/organization.go,
resourceOrganizationUpdate; read 2026-12-05). Disabling a type detaches every policy of that type from the root,
every OU and every account. So the root enables the types the profile uses, SERVICE_CONTROL_POLICY always, and the
types listed here.

Checks: E317 a name that is no policy type (did-you-mean; the profile's short names are hinted) or one listed twice;
W451 a type the baseline enables anyway; W452 a trusted access kept for a tool (organization.keep_service_access)
whose policies need a type that would be disabled."""

from __future__ import annotations

import difflib

from ...errors import Problem
from .. import control_tower
from ...policy_presets.quotas import QUOTAS
from ...profile.loader import LoadedDocument, problem_at as _problem

PATH = ("governance", "keep_policy_types")
SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY"
# AWS Control Tower's preventive controls include RCPs (CT.S3.PV.4, CT.KMS.PV.7, ...): Control Tower mode keeps the type.
CONTROL_TOWER_TYPE = "RESOURCE_CONTROL_POLICY"
# Every policy type the provider's enabled_policy_types accepts that an organisation may have enabled: the types
# governance.policies renders, and the three the provider's acceptance tests enable besides (chatbot, Security Hub
# and Inspector policies: internal/service/organizations/organization_test.go and policy_test.go).
POLICY_TYPES = tuple(sorted({q.aws_type for q in QUOTAS.values()} | {"CHATBOT_POLICY", "INSPECTOR_POLICY", "SECURITYHUB_POLICY"}))
# Tools whose trusted access a profile keeps and whose own policies need a type enabled on the root.
TOOL_TYPES = {
    "controltower.amazonaws.com": ("RESOURCE_CONTROL_POLICY", "AWS Control Tower's RCP-based controls (CT.S3.PV.4, CT.KMS.PV.7, ...)"),
    "backup.amazonaws.com": ("BACKUP_POLICY", "AWS Backup's organisation backup policies"),
    "tagpolicies.tag.amazonaws.com": ("TAG_POLICY", "tag policies and their compliance reports"),
}

RULES = {"type": "list", "default": [], "schema": {"type": "string"}, "meta": {
    "description": "Policy types other tools enabled on the organisation root (AWS names: TAG_POLICY, BACKUP_POLICY, "
                   "RESOURCE_CONTROL_POLICY, ...), kept enabled: the apply disables every type the organisation resource "
                   "does not list, detaching all its policies. The types governance.policies uses and "
                   "SERVICE_CONTROL_POLICY are always enabled (W451 for them)."}}


def used_types(data: dict) -> set[str]:
    """The types the root enables whatever the profile keeps: SCPs, every type governance.policies uses, and in Control
    Tower mode the RCPs of Control Tower's own controls."""
    items = (data.get("governance") or {}).get("policies") or []
    tower = {CONTROL_TOWER_TYPE} if control_tower.on_in(data) else set()
    return {SERVICE_CONTROL_POLICY} | tower | {QUOTAS[i["type"]].aws_type for i in items if isinstance(i, dict) and i.get("type") in QUOTAS}


def _hint(value: str) -> str:
    if value in QUOTAS:
        return f" (did you mean {QUOTAS[value].aws_type!r}?)"
    close = difflib.get_close_matches(value.upper(), POLICY_TYPES, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def keep_policy_types_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    governance = data.get("governance") or {}
    if data.get("accounts") is None:
        return []  # governance without accounts: E249
    values = governance.get("keep_policy_types") or []
    problems, seen, used = [], set(), used_types(data)
    for i, value in enumerate(values):
        if value not in POLICY_TYPES:
            problems.append(_problem(doc, PATH + (i,), f"{value!r} is not a policy type of AWS Organizations{_hint(value)}; "
                                                      f"types: {', '.join(POLICY_TYPES)}", "E317"))
        elif value in seen:
            problems.append(_problem(doc, PATH + (i,), f"{value!r} is listed twice", "E317"))
        elif value in used:
            why = ("service control policies stay enabled always" if value == SERVICE_CONTROL_POLICY
                   else "governance.policies uses it" if value in used_types({"governance": governance})
                   else "Control Tower mode keeps it for Control Tower's RCP-based controls")
            problems.append(_problem(doc, PATH + (i,), f"{value!r} is enabled anyway ({why}); remove it here", "W451", "warning"))
        seen.add(value)
    kept = set(values) | used
    principals = (data.get("organization") or {}).get("keep_service_access") or []
    for i, principal in enumerate(principals):
        found = TOOL_TYPES.get(principal) if isinstance(principal, str) else None
        if found and found[0] not in kept:
            problems.append(_problem(doc, ("organization", "keep_service_access", i),
                                     f"{principal!r} is kept, but {found[1]} need {found[0]}, which the first apply disables "
                                     "(detaching every such policy) unless governance.keep_policy_types lists it", "W452", "warning"))
    return problems
