"""IAM in the summary: password policy, groups, users, memberships, policies and what they allow."""

from __future__ import annotations

from ...review.context import Context, area_of
from .center_review import center_rules, switch_rules
from .review_model import IamSide, exclusive_policies
from ...review.direction import presence
from ...review.policies import document, statement_phrases
from ...review.reach import explained_by_reach  # reach itself: review/reach.py, before these rules
from ...review.values import Field, describe_changes, plus_minus

PASSWORD_FIELDS = {
    "minimum_password_length": Field("minimum length", rule="password.minimum_length"),
    "password_reuse_prevention": Field("reuse prevention", rule="password.reuse_prevention"),
    "max_password_age": Field("maximum age", unit=" days", rule="password.max_age"),
    "require_uppercase_characters": Field("uppercase letters", "switch", on="required", off="no longer required", rule="password.require_uppercase"),
    "require_lowercase_characters": Field("lowercase letters", "switch", on="required", off="no longer required", rule="password.require_lowercase"),
    "require_numbers": Field("numbers", "switch", on="required", off="no longer required", rule="password.require_numbers"),
    "require_symbols": Field("symbols", "switch", on="required", off="no longer required", rule="password.require_symbols"),
    "allow_users_to_change_password": Field("users changing their own password", "switch", on="allowed", off="no longer allowed",
                                            rule="password.users_change_own"),
    "hard_expiry": Field("hard expiry (expired passwords need an administrator)", "switch"),
}


def iam_rules(ctx: Context) -> None:
    _password_policy(ctx)
    switch_rules(ctx)
    center_rules(ctx)
    old, new = IamSide(ctx, "old"), IamSide(ctx, "new")
    exclusive = exclusive_policies(old, new)
    changed_mfa = {a for a in set(old.policies) ^ set(new.policies) if (old.policies.get(a) or new.policies.get(a)).name == "mfa"}
    for kind, blocks in (("group", (old.groups, new.groups)), ("user", (old.users, new.users))):
        for address in sorted(set(blocks[0]) | set(blocks[1])):
            _principal(ctx, kind, address, old, new, exclusive, changed_mfa)
    for address in sorted((set(old.policies) | set(new.policies)) - exclusive):
        if not ctx.covered(address):  # the switch to Identity Center explains the job functions' policies
            _shared_policy(ctx, address, old, new)


def _password_policy(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_iam_account_password_policy"):
        ctx.cover(address)
        area = area_of((after or before).module)
        if before is None:
            ctx.add(area, "added", "password policy added" + presence("password.policy", True), [address])
        elif after is None:
            ctx.add(area, "removed", "password policy removed: the AWS default policy applies" + presence("password.policy", False), [address])
        else:
            for phrase in describe_changes(before.body, after.body, PASSWORD_FIELDS):
                ctx.add(area, "changed", f"password policy: {phrase}", [address])


def _principal(ctx: Context, kind: str, address: str, old: IamSide, new: IamSide, exclusive: set, changed_mfa: set) -> None:
    before = (old.groups if kind == "group" else old.users).get(address)
    after = (new.groups if kind == "group" else new.users).get(address)
    side = new if after is not None else old
    name = side.name(after or before)
    related = [address, old.attachment_block.get(address), new.attachment_block.get(address),
               old.membership_block.get(address), new.membership_block.get(address)]
    for each in (old, new):
        owned = [t for k, t in each.attachments.get(address, {}).values() if k == "policy" and t in exclusive]
        related += owned + [document(ctx, each.side, each.policies.get(p))[0] for p in owned]
    for found in filter(None, related):
        ctx.cover_block_and_instances(found)
    subject, area = f"{kind} `{name}`", area_of((after or before).module)
    if before is None or after is None:
        ctx.add(area, "added" if before is None else "removed", f"{subject} {'added' if before is None else 'removed'}"
                + _details(kind, address, name, side, before is None), [address])
        return
    if old.name(before) != name:
        ctx.add(area, "changed", f"{kind} `{old.name(before)}` renamed to `{name}`", [address])
    for phrase in describe_changes(before.body, after.body, {}, ignore=("name",)):
        ctx.add(area, "changed", f"{subject} {phrase}", [address])
    lines = _attachment_lines(address, old, new, changed_mfa)
    lines += _action_lines(address, old, new, exclusive)
    if kind == "group":
        gone = set(old.members.get(address, [])) - set(new.members.get(address, []))
        came = set(new.members.get(address, [])) - set(old.members.get(address, []))
        new_users = {new.name(u) for u in new.users.values()}
        old_users = {old.name(u) for u in old.users.values()}
        lines += [f"member `{u}` added" for u in sorted(came) if u in old_users]
        lines += [f"member `{u}` removed" for u in sorted(gone) if u in new_users]
    for line in lines:
        ctx.add(area, "changed", f"{subject}: {line}", [address])


def _details(kind: str, address: str, name: str, side: IamSide, added: bool) -> str:
    parts = []
    if kind == "group":
        if name in side.duties:
            parts.append(f"duty {side.duties[name]}")
        members = sorted(side.members.get(address, []))
        parts.append(f"members {', '.join(members)}" if members else "no members")
    else:
        groups = side.groups_of(name)
        parts.append((f"groups {', '.join(groups)}" if added else f"was in {', '.join(groups)}") if groups else "no groups")
    policies = sorted(side.attachments.get(address, {}))
    if policies and added:
        parts.append(("policies " if kind == "group" else "direct policies ") + ", ".join(policies))
    return f" ({'; '.join(parts)})"


def _attachment_lines(address: str, old: IamSide, new: IamSide, changed_mfa: set) -> list[str]:
    """Policies attached or detached, compared by what is attached (a policy renamed in place is neither)."""
    before = {t: k for k, t in old.attachments.get(address, {}).items()}
    after = {t: k for k, t in new.attachments.get(address, {}).items()}
    lines = []
    for verb, targets, side in (("attached", set(after) - set(before), new), ("detached", set(before) - set(after), old)):
        for kind, target in sorted(targets, key=lambda t: (after.get(t) or before.get(t))):
            if kind == "arn":
                lines.append(f"policy {target} {verb}")
            elif side.policies.get(target) is not None and side.policies[target].name == "mfa":
                if target not in changed_mfa:  # the MFA policy's own line says it for every group
                    state = "now required" if verb == "attached" else "no longer required"
                    lines.append(f"MFA {state} ({side.policy_title(target)} {verb}){presence('mfa.required', verb == 'attached')}")
            else:
                lines.append(f"{side.policy_title(target)} {verb}")
    return lines


def _action_lines(address: str, old: IamSide, new: IamSide, exclusive: set) -> list[str]:
    (allow_a, deny_a), (allow_b, deny_b) = old.actions(address, exclusive), new.actions(address, exclusive)
    lines = [plus_minus(sorted(allow_a), sorted(allow_b))] if allow_a != allow_b else []
    denied, undenied = sorted(deny_b - deny_a), sorted(deny_a - deny_b)
    if denied or undenied:
        parts = ([f"now denied {_capped(denied)}"] if denied else []) + ([f"no longer denied {_capped(undenied)}"] if undenied else [])
        lines.append("; ".join(parts))
    for kind, target in new.attachments.get(address, {}).values():
        if kind == "policy" and target in exclusive and target in old.policies:
            title = new.policy_title(target)
            a, (doc, b) = document(new.ctx, "old", old.policies[target])[1], document(new.ctx, "new", new.policies[target])
            lines += [f"{title} {p}" for action, p in statement_phrases(a, b, with_actions=False, explained=new.ctx.explained.get(doc))
                      if action == "changed" and not explained_by_reach(title, p)]
            lines += [f"{title} {p}" for p in describe_changes(old.policies[target].body, new.policies[target].body,
                                                              {"description": Field("description")}, ignore=("policy",))
                      if not explained_by_reach(title, p)]
    return lines


def _capped(items: list[str], limit: int = 16) -> str:
    return ", ".join(items[:limit]) + (f", … {len(items) - limit} more" if len(items) > limit else "")


def _shared_policy(ctx: Context, address: str, old: IamSide, new: IamSide) -> None:
    before, after = old.policies.get(address), new.policies.get(address)
    side = new if after is not None else old
    title, area = side.policy_title(address), area_of((after or before).module)
    doc_old, body_old = document(ctx, "old", before)
    doc_new, body_new = document(ctx, "new", after)
    ctx.cover(address, *filter(None, (doc_old, doc_new)))
    if before is not None and after is not None and body_old == body_new and before.body == after.body:
        return  # the same policy (most of them, in a large organisation): nothing to compare
    users = sorted(side.principal_name(p) for p in side.attached_to.get(address, ()))
    attached = f"attached to {', '.join(users)}" if users else "attached to nothing"
    if before is None:
        ctx.add(area, "added", f"{title} added ({attached})", [address])
    elif after is None:
        if before.name == "mfa":
            ctx.add(area, "removed", f"MFA no longer required: {title} removed (was {attached}){presence('mfa.required', False)}", [address])
        else:
            ctx.add(area, "removed", f"{title} removed (was {attached})", [address])
    else:
        for _, phrase in statement_phrases(body_old, body_new, explained=ctx.explained.get(doc_new)):
            ctx.add(area, "changed", f"{title}: {phrase}", [address])
        for phrase in describe_changes(before.body, after.body, {"description": Field("description")}, ignore=("policy",)):
            ctx.add(area, "changed", f"{title} {phrase}", [address])
