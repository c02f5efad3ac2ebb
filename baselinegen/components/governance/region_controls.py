"""Which Regions a Region-restricting service control policy leaves open to each account: the root's
``<org>-region-restriction`` (governance.service_control_policies.restrict_regions: organization.regions) and every
``governance.policies`` entry of preset restrict-regions (its own regions) on the units and accounts it targets.
Service control policies never apply to the management account: it is never restricted. The controls report reads
this to judge the "in all Regions" controls account by account (controls/context.py)."""

from __future__ import annotations

from ...profile.units import accounts_at


def open_regions(profile) -> dict[str, tuple[str, ...]]:
    """{account name: the Regions left open} for every member account under at least one Region restriction."""
    raw = profile.raw or {}
    out: dict[str, set[str]] = {}
    members = [a for a in profile.organization.accounts if a.role != "management"]
    if profile.governance.restrict_regions:
        for account in members:
            out[account.name] = set(profile.organization.regions)
    for policy in profile.governance.policies:
        if policy.preset != "restrict-regions":
            continue
        regions = set(policy.regions or profile.organization.regions)
        reached = {name for target in policy.attach for name in accounts_at(raw, target)}
        for account in members:
            if account.name in reached:
                out[account.name] = out[account.name] & regions if account.name in out else regions
    return {name: tuple(sorted(regions)) for name, regions in out.items()}


def root_access_problems(parsed, directory: str, profile, trusted: set[str]) -> list[str]:
    """governance.root_access: centralized renders both features, with trusted access for IAM; otherwise nothing."""
    from ...validate.hclcheck import resource_bodies, unquote

    body = resource_bodies(parsed, directory, "resource", "aws_iam_organizations_features").get("this")
    if not profile.governance.root_access:
        return [f"{directory}: centralised root access is rendered, the profile does not ask for it"] if body is not None else []
    features = sorted(unquote(f) for f in (body or {}).get("enabled_features") or [])
    problems = [] if features == ["RootCredentialsManagement", "RootSessions"] else [
        f"{directory}: centralised root access enables {features}, the profile needs RootCredentialsManagement and RootSessions"]
    return problems + ([] if "iam.amazonaws.com" in trusted else [f"{directory}: centralised root access without trusted access for iam.amazonaws.com"])
