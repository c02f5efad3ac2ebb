"""The organisation in the summary: trusted access and policy types a render adds or removes, by their effect.
Removing either weakens every account at once: AWS Organizations disables the service's integration, or detaches
every policy of the type."""

from __future__ import annotations

from ...review.context import Context, area_of
from ...review.values import plain, scalars

SUBJECT = "organisation"


def organization_rules(ctx: Context) -> None:
    """The organisation resource, then its tree (units and account placement)."""
    from .policy_review import policies_under, policy_rules
    from .tree_review import tree_rules

    _organization_resource_rules(ctx)
    policy_rules(ctx)
    tree_rules(ctx, lambda side, unit: policies_under(ctx, side, unit))
    for address, before, after in ctx.pairs("aws_iam_organizations_features"):
        ctx.cover(address)
        area = area_of((after or before).module)
        if before is None and _imported(ctx, address):
            ctx.add(area, "added", f"{SUBJECT}: centralised root access, already on, now kept on by Terraform "
                                   "(governance.adopt_root_access: imported, nothing changes in AWS)", [address])
        elif before is None:
            ctx.add(area, "added", f"{SUBJECT}: centralised root access on — member accounts' root credentials managed, and root "
                                   "sessions opened, only from the management account (stronger)", [address])
        elif after is None:
            ctx.add(area, "removed", f"{SUBJECT}: centralised root access off — member accounts' root users may get credentials "
                                     "again, and their MFA is each account's to keep (weaker)", [address])


def _imported(ctx: Context, address: str) -> bool:
    """An import block of the new tree adopts ``address`` (``<root>:module.governance.<type>.<name>``)."""
    to = address.split(":", 1)[-1]
    return any(path.endswith("imports.tf") and f"  to = {to}\n" in text for path, text in ctx.new.texts.items())


def _listed(block, attribute: str) -> list[str]:
    return sorted(set(scalars(block.body.get(attribute)) or [])) if block else []


def _organization_resource_rules(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_organizations_organization"):
        ctx.cover(address)
        area = area_of((after or before).module)
        if after is None:
            ctx.add(area, "removed", f"{SUBJECT}: no longer managed by Terraform (prevent_destroy: the plan fails until it "
                                     "is lifted; with it lifted, Terraform would delete the organisation)", [address])
            continue
        principals, types = _listed(after, "aws_service_access_principals"), _listed(after, "enabled_policy_types")
        if before is None:
            listed = ", ".join(f"`{p}`" for p in principals) or "none"
            ctx.add(area, "added", f"{SUBJECT}: managed by Terraform (imported) — trusted access exactly for {listed}; AWS "
                                   "Organizations disables every other service's integration on apply; policy types "
                                   + (", ".join(f"`{t}`" for t in types) or "none") + ", every other type disabled on apply "
                                   "(governance.keep_policy_types keeps one)", [address])
            continue
        if plain(before.body.get("feature_set")) != plain(after.body.get("feature_set")):
            ctx.add(area, "changed", f"{SUBJECT}: feature set {plain(before.body.get('feature_set'))} → "
                                     f"{plain(after.body.get('feature_set'))}", [address])
        old_principals, old_types = _listed(before, "aws_service_access_principals"), _listed(before, "enabled_policy_types")
        for principal in sorted(set(principals) - set(old_principals)):
            ctx.add(area, "added", f"{SUBJECT}: trusted access for `{principal}` added — that service may act in every account", [address])
        for principal in sorted(set(old_principals) - set(principals)):
            ctx.add(area, "removed", f"{SUBJECT}: trusted access for `{principal}` removed — AWS Organizations disables that "
                                     "service's integration in every account (weaker)", [address])
        for type_ in sorted(set(types) - set(old_types)):
            ctx.add(area, "added", f"{SUBJECT}: policy type `{type_}` enabled on the root (stronger)", [address])
        for type_ in sorted(set(old_types) - set(types)):
            ctx.add(area, "removed", f"{SUBJECT}: policy type `{type_}` disabled on the root — AWS Organizations detaches "
                                     "every policy of that type from the root, every OU and every account (weaker)", [address])
