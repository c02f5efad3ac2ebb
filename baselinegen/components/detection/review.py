"""Security Hub across the organisation in the review: the organisation configuration (local or central), each
configuration policy's standards, disabled controls and parameters, where each policy applies, and the members."""

from __future__ import annotations

from .findings_review import automation_rules, findings_rules, malware_rules
from .security_hub import STANDARDS
from ...catalog.securityhub import parameter_rule, title
from ...review.account_renames import renamed_accounts
from ...review.context import Context, area_of
from ...review.direction import RULES, set_verdict, verdict
from ...review.tree import join
from ...review.values import plain
from ...validate.hclcheck import label


def _first(body: dict, key: str) -> dict:
    value = body.get(key) or [{}]
    return value[0] if isinstance(value, list) and value and isinstance(value[0], dict) else {}


def _standard(arn: str) -> str:
    """A standard ARN as the profile names it (``cis-1.4``), else its path."""
    return next((s.id for s in STANDARDS if arn.endswith("::" + s.path)), arn.rsplit("::", 1)[-1])


def _setting(body: dict) -> tuple[list[str], list[str], dict[tuple[str, str], object]]:
    """(standards, disabled controls, (control, parameter) -> value as parsed, None: Security Hub's default) of a
    configuration policy block."""
    config = _first(body, "configuration_policy")
    controls = _first(config, "security_controls_configuration")
    parameters = {}
    for custom in controls.get("security_control_custom_parameter") or []:
        for p in custom.get("parameter") or []:
            value = next((_first(p, kind).get("value") for kind in ("bool", "int", "double", "enum", "string", "int_list", "string_list", "enum_list")
                          if _first(p, kind)), None)
            parameters[(plain(custom.get("security_control_id")), plain(p.get("name")))] = value
    return ([_standard(plain(a)) for a in config.get("enabled_standard_arns") or []],
            [plain(c) for c in controls.get("disabled_control_identifiers") or []], parameters)


def _parameter_change(key: tuple[str, str], old, new) -> str:
    """``IAM.7 (Password policies …): MinimumPasswordLength 14 → 12 in every account it reaches (weaker)``: the words
    from the parameter's safer side (catalog/securityhub_parameter_directions.json); none for a parameter without one,
    nor for a value going to or from Security Hub's default (the default is not known here)."""
    control, name = key
    rule = parameter_rule(control, name)
    if rule is None or old is None or new is None:
        words = ""
    elif RULES[rule].safer in ("more", "fewer"):
        items = (set(map(plain, v)) if isinstance(v, list) else {plain(v)} for v in (old, new))
        before, after = items
        words = set_verdict(rule, after - before, before - after)
    else:
        words = verdict(rule, plain(old), plain(new))
    shown = (plain(v) if v is not None else "default" for v in (old, new))
    titled = f"{control} ({title(control)})" if title(control) else control
    return f"{titled}: {name} {' → '.join(shown)} in every account it reaches{words}"


def _targets(body: dict) -> list[str]:
    for_each = body.get("for_each")
    return [label(k) for k in for_each if k != "__is_block__"] if isinstance(for_each, dict) else []


def _target_ids(body: dict) -> dict[str, str]:
    """Label -> target id of an association's ``for_each`` (accounts by their id; the root and units by theirs)."""
    for_each = body.get("for_each")
    return {label(k): plain(v) for k, v in for_each.items() if k != "__is_block__"} if isinstance(for_each, dict) else {}


def security_hub_rules(ctx: Context) -> None:
    _organisation_configuration(ctx)
    _aggregator(ctx)
    _policies(ctx)
    _associations(ctx)
    _members(ctx)
    _inspector_members(ctx)
    findings_rules(ctx)
    automation_rules(ctx)
    malware_rules(ctx)


def _organisation_configuration(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_securityhub_organization_configuration"):
        if before is None or after is None:
            continue  # the service's own line (added / removed) says it
        old = plain(_first(before.body, "organization_configuration").get("configuration_type"))
        new = plain(_first(after.body, "organization_configuration").get("configuration_type"))
        if old != new:
            ctx.cover(address)
            effect = ("every account now runs the configuration policies' standards (stronger)" if new == "CENTRAL"
                      else "member accounts keep Security Hub but no standard (weaker)")
            ctx.add(area_of(after.module), "changed", f"Security Hub organisation configuration {old.lower()} -> {new.lower()}: {effect}", [address])
            ctx.cover_instance(*[a for a in ctx.instance_changes(address)[0] + ctx.instance_changes(address)[1]])
            if new == "CENTRAL":  # the administrator's own subscriptions give way to the policy that reaches it too
                for type_, local in (("aws_securityhub_standards_subscription", "security_hub_standard_arns"),
                                     ("aws_securityhub_standards_control_association", "security_hub_disabled_controls")):
                    for gone, was, _ in ctx.pairs(type_):
                        if was is not None and was.module == after.module:
                            ctx.cover_block_and_instances(gone)
                            ctx.cover_local(after.module, local)
                ctx.add(area_of(after.module), "changed", "this account's own standard subscriptions and disabled controls give way to "
                        "the configuration policy that reaches it", [address])


def _aggregator(ctx: Context) -> None:
    """Central configuration renders the aggregator without ``count``: Terraform moves instance [0] by itself."""
    for address, before, after in ctx.pairs("aws_securityhub_finding_aggregator"):
        if before is not None and after is not None and "count" in before.body and "count" not in after.body:
            ctx.cover_block_and_instances(address)
            ctx.add(area_of(after.module), "changed", "Security Hub finding aggregation: always on in the home Region (central "
                    "configuration needs it; Terraform moves the existing aggregator, nothing is destroyed)", [address])


def _policies(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_securityhub_configuration_policy"):
        block = after or before
        area, subject = area_of(block.module), f"Security Hub configuration policy `{plain(block.body.get('name'))}`"
        ctx.cover(address)
        if before is None:
            standards, disabled, parameters = _setting(after.body)
            ctx.add(area, "added", f"{subject} added: {', '.join(standards) or 'no standard'}"
                    + (f"; controls disabled: {', '.join(disabled)}" if disabled else "") + (f"; {len(parameters)} parameter(s) set" if parameters else ""), [address])
            continue
        if after is None:
            ctx.add(area, "removed", f"{subject} removed: the accounts it reached inherit their parent's policy or keep their own settings (weaker)", [address])
            continue
        (s0, d0, p0), (s1, d1, p1) = _setting(before.body), _setting(after.body)
        for standard in [s for s in s1 if s not in s0]:
            ctx.add(area, "added", f"{subject}: standard `{standard}` enabled in every account it reaches (stronger)", [address])
        for standard in [s for s in s0 if s not in s1]:
            ctx.add(area, "removed", f"{subject}: standard `{standard}` disabled in every account it reaches (weaker)", [address])
        for control in [c for c in d1 if c not in d0]:
            ctx.add(area, "changed", f"{subject}: control `{control}` disabled in every account it reaches (weaker)", [address])
        for control in [c for c in d0 if c not in d1]:
            ctx.add(area, "changed", f"{subject}: control `{control}` enabled again in every account it reaches (stronger)", [address])
        for key in sorted(set(p0) | set(p1)):
            if p0.get(key) != p1.get(key):
                ctx.add(area, "changed", f"{subject}: {_parameter_change(key, p0.get(key), p1.get(key))}", [address])


def _associations(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_securityhub_configuration_policy_association"):
        block = after or before
        ctx.cover_block_and_instances(address)
        reference = plain(block.body.get("policy_id")).split(".")
        policy_block = ctx.block("new" if after else "old", join(block.module, ".".join(reference[:2]))) if len(reference) > 2 else None
        policy = plain(policy_block.body.get("name")) if policy_block else ".".join(reference[1:2])
        old, new = _targets(before.body) if before else [], _targets(after.body) if after else []
        # an account renamed (same id under another label): the moved block keeps the association
        renames = renamed_accounts(_target_ids(before.body) if before else {}, _target_ids(after.body) if after else {})
        for former, name in renames.items():
            ctx.add(area_of(block.module), "changed", f"Security Hub configuration policy `{policy}`: account {former} renamed to "
                    f"{name}: still associated (moved block)", [address])
        old, new = [t for t in old if t not in renames], [t for t in new if t not in renames.values()]
        for target in [t for t in new if t not in old]:
            ctx.add(area_of(block.module), "added", f"Security Hub configuration policy `{policy}` now applies to `{target}`", [address])
        for target in [t for t in old if t not in new]:
            ctx.add(area_of(block.module), "removed", f"Security Hub configuration policy `{policy}` no longer applies to `{target}`: "
                    "it inherits its parent's policy or keeps its own settings (weaker)", [address])


def _members(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_securityhub_member"):
        block = after or before
        ctx.cover_block_and_instances(address)

        def accounts(b) -> dict[str, str]:
            module = (ctx.old if b is before else ctx.new).modules.get(b.module) if b else None
            value = module.locals.get("security_hub_member_accounts") if module else None
            return {label(k): str(v) for k, v in value.items() if k != "__is_block__"} if isinstance(value, dict) else {}
        renames = renamed_accounts(accounts(before), accounts(after))  # moved blocks keep them members
        old, new = [renames.get(a, a) for a in accounts(before)], list(accounts(after))
        for former, name in sorted(renames.items()):
            ctx.add(area_of(block.module), "changed", f"Security Hub member {former} renamed to {name}: still a member (moved block)", [address])
        ctx.cover_local(block.module, "security_hub_member_accounts")
        ctx.cover_local(block.module, "security_hub_members")
        if [a for a in new if a not in old]:
            ctx.add(area_of(block.module), "added", f"Security Hub members: {', '.join(a for a in new if a not in old)} (every Region)", [address])
        if [a for a in old if a not in new]:
            ctx.add(area_of(block.module), "removed", f"Security Hub members removed: {', '.join(a for a in old if a not in new)}: "
                    "their findings no longer reach this account (weaker)", [address])


def _inspector_members(ctx: Context) -> None:
    """Inspector's members, read from ``local.inspector_members`` (``<Region>/<account>`` keys): one line for the
    accounts that gain (or lose) the same Regions. The member associations, the members' enablers and both locals
    only restate it."""
    for address, before, after in ctx.pairs("aws_inspector2_member_association"):
        block = after or before
        ctx.cover_block_and_instances(address)
        ctx.cover_block_and_instances(join(block.module, "aws_inspector2_enabler.members"))
        ctx.cover_local(block.module, "inspector_members")
        ctx.cover_local(block.module, "inspector_member_accounts")

        def members(b) -> dict[str, str]:
            module = (ctx.old if b is before else ctx.new).modules.get(b.module) if b else None
            value = module.locals.get("inspector_members") if module else None
            return ({label(k): str(v.get("account_id")) for k, v in value.items() if k != "__is_block__" and isinstance(v, dict)}
                    if isinstance(value, dict) else {})

        def names(found: dict[str, str]) -> dict[str, str]:
            return {key.partition("/")[2]: account_id for key, account_id in found.items()}
        renames = renamed_accounts(names(members(before)), names(members(after)))  # moved blocks keep them members
        old = {f"{k.partition('/')[0]}/{renames.get(k.partition('/')[2], k.partition('/')[2])}" for k in members(before)}
        new = set(members(after))
        for former, name in sorted(renames.items()):
            ctx.add(area_of(block.module), "changed", f"Inspector member {former} renamed to {name}: still a member (moved block)", [address])
        for verb, found in (("added", new - old), ("removed", old - new)):
            regions: dict[str, list[str]] = {}
            for key in sorted(found):
                region, _, account = key.partition("/")
                regions.setdefault(account, []).append(region)
            by_regions: dict[tuple[str, ...], list[str]] = {}
            for account in sorted(regions):
                by_regions.setdefault(tuple(regions[account]), []).append(account)
            for where, accounts in by_regions.items():
                if verb == "added":
                    text = f"Inspector members: {', '.join(accounts)} ({', '.join(where)})"
                else:
                    text = (f"Inspector members removed: {', '.join(accounts)} ({', '.join(where)}): Inspector no longer "
                            "scans them there (weaker)")
                ctx.add(area_of(block.module), verb, text, [address])
