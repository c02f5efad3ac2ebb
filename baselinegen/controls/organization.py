"""The requirements CIS v7.0.0 adds (catalog/cis_versions.py V7_NEW): the Organizations subsection 2.1.x, resource
policies (2.21), web front-end access logging (4.10) and VPC endpoints (6.8), judged from the rendered tree where
Terraform expresses them."""

from __future__ import annotations

from .context import Context
from .model import Verdict, covered, manual, not_applicable, partial
from .rendered import literal, unquote

_SINGLE = "the profile has no accounts: AWS Organizations is not managed here"


def central_root_access(ctx: Context) -> Verdict:
    if not ctx.tree.organization:
        return not_applicable(_SINGLE)
    features = ctx.found("aws_iam_organizations_features")
    enabled = {unquote(f) for found in features for f in literal(found.body, "enabled_features", []) or []}
    if {"RootCredentialsManagement", "RootSessions"} <= enabled:
        return covered(ctx.cite(features))
    return partial("member accounts keep their own root credentials: set governance.root_access: centralized", ctx.cite(features),
                   "governance.root_access")


def guardrails(ctx: Context) -> Verdict:
    if not ctx.tree.organization:
        return not_applicable(_SINGLE)
    policies = ctx.found("aws_organizations_policy", lambda b: literal(b, "type") in ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"))
    attached = ctx.found("aws_organizations_policy_attachment")
    if policies and attached:
        return covered(ctx.cite(policies), "confirm that the guardrails match the organisation's own requirements")
    return partial("no service or resource control policy is attached: add governance.guardrails or governance.policies",
                   ctx.cite(policies), "governance.policies")


def management_not_for_workloads(ctx: Context) -> Verdict:
    if not ctx.tree.organization:
        return not_applicable(_SINGLE)
    return manual("run no workloads in the management account: what runs there is a decision of the teams, not of the baseline")


def unit_structure(ctx: Context) -> Verdict:
    if not ctx.tree.organization:
        return not_applicable(_SINGLE)
    units = ctx.found("aws_organizations_organizational_unit")
    return manual("confirm that the organizational units separate environments and sensitivity" if units else
                  "the profile places no account in a unit: add organization.units and accounts[].unit", ctx.cite(units))


def policies_delegated(ctx: Context) -> Verdict:
    if not ctx.tree.organization:
        return not_applicable(_SINGLE)
    return manual("a delegated administrator for AWS Organizations policies needs an organisation resource policy "
                  "(aws_organizations_resource_policy), which the baseline does not render: policies are managed from the management account")


def services_delegated(ctx: Context) -> Verdict:
    if not ctx.tree.organization:
        return not_applicable(_SINGLE)
    types = ("aws_guardduty_organization_admin_account", "aws_securityhub_organization_admin_account",
             "aws_inspector2_delegated_admin_account", "aws_organizations_delegated_administrator")
    found = [f for t in types for f in ctx.found(t)]
    if found:
        return covered(ctx.cite(found))
    return partial("no delegated administrator is registered: the security services run from the management account")


def resource_policies(ctx: Context) -> Verdict:
    return manual("the baseline's own bucket, key and topic policies name their principals (`baselinegen policies` exports them); "
                  "workload resource policies are reviewed by their owners")


def web_access_logging(ctx: Context) -> Verdict:
    return not_applicable("load balancers, CloudFront distributions and API stages are a workload's resources, not the account baseline's")


def vpc_endpoints(ctx: Context) -> Verdict:
    return not_applicable("VPC endpoints belong to a workload's VPCs, not the account baseline's")


V7_CHECKS = {"2.1.1": central_root_access, "2.1.2": guardrails, "2.1.3": management_not_for_workloads, "2.1.4": unit_structure,
             "2.1.5": policies_delegated, "2.1.6": services_delegated, "2.21": resource_policies, "4.10": web_access_logging,
             "6.8": vpc_endpoints}
