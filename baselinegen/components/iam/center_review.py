"""Identity Center in the review, by effect: per permission set (the accounts it is newly or no longer assigned in are
review/reach.py's lines, per account for every permission set at once) the members of its group, the managed policies attached or detached, the inline policy's actions gained or lost, the session duration; a
permission set added or removed with its duty's group and accounts. Whether a change widens access reads "(weaker)",
narrows it "(stronger)"."""

from __future__ import annotations

import re

from ...review.context import Context
from ...review.policies import allowed_and_denied, document
from ...review.values import plain, plus_minus

AREA = "identity_center"
_HOURS = re.compile(r"^PT(\d+)H$")


def _hours(value) -> int:
    found = _HOURS.match(plain(value))
    return int(found.group(1)) if found else 0


def _map(block) -> dict[str, str]:
    body = (block.body.get("for_each") if block is not None else None) or {}
    return {plain(k): plain(v) for k, v in body.items()} if isinstance(body, dict) else {}


def _sibling(ctx: Context, side: str, address: str, type_: str):
    return ctx.block(side, address.replace(".aws_ssoadmin_permission_set.", f".{type_}."))


def _set_lines(ctx: Context, address: str, before, after) -> list[str]:
    lines = []
    # the accounts it is assigned in: review/reach.py, one line per account for every permission set at once
    old_members, new_members = (_map(_sibling(ctx, s, address, "aws_identitystore_group_membership")) for s in ("old", "new"))
    lines += [f"member `{n}` added to its group (weaker)" for n in sorted(set(new_members) - set(old_members))]
    lines += [f"member `{n}` removed from its group (stronger)" for n in sorted(set(old_members) - set(new_members))]
    old_managed, new_managed = (_map(_sibling(ctx, s, address, "aws_ssoadmin_managed_policy_attachment")) for s in ("old", "new"))
    lines += [f"policy {k} attached (weaker)" for k in sorted(set(new_managed) - set(old_managed))]
    lines += [f"policy {k} detached (stronger)" for k in sorted(set(old_managed) - set(new_managed))]
    inline = [document(ctx, s, _sibling(ctx, s, address, "aws_ssoadmin_permission_set_inline_policy"), "inline_policy")[1]
              for s in ("old", "new")]
    (allow_a, deny_a), (allow_b, deny_b) = (allowed_and_denied(d) for d in inline)
    if allow_a != allow_b:
        effect = "weaker" if allow_b - allow_a else "stronger"
        lines.append(f"inline policy {plus_minus(sorted(allow_a), sorted(allow_b))} ({effect})")
    if deny_a != deny_b:
        effect = "stronger" if deny_b - deny_a else "weaker"
        lines.append(f"inline policy denies {plus_minus(sorted(deny_a), sorted(deny_b))} ({effect})")
    a, b = _hours(before.body.get("session_duration")), _hours(after.body.get("session_duration"))
    if a != b:
        lines.append(f"sessions last {b} h instead of {a} h ({'weaker' if b > a else 'stronger'})")
    return lines


def _cover(ctx: Context, address: str) -> None:
    for type_ in ("aws_ssoadmin_account_assignment", "aws_ssoadmin_managed_policy_attachment",
                  "aws_ssoadmin_permission_set_inline_policy", "aws_ssoadmin_customer_managed_policy_attachment",
                  "aws_ssoadmin_permissions_boundary_attachment", "aws_identitystore_group",
                  "aws_identitystore_group_membership"):
        related = address.replace(".aws_ssoadmin_permission_set.", f".{type_}.")
        if ctx.block("old", related) is not None or ctx.block("new", related) is not None:
            ctx.cover_block_and_instances(related)
    for side in ("old", "new"):
        inline = _sibling(ctx, side, address, "aws_ssoadmin_permission_set_inline_policy")
        found = document(ctx, side, inline, "inline_policy")[0] if inline is not None else None
        if found:
            ctx.cover(found)


def _people(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_identitystore_user"):
        ctx.cover(address)
        if before is None or after is None:
            name = plain((after or before).body.get("user_name"))
            verb, effect = ("added to", "weaker") if before is None else ("removed from", "stronger")
            ctx.add(AREA, "added" if before is None else "removed", f"person `{name}` {verb} the Identity Store ({effect})", [address])


def center_rules(ctx: Context) -> None:
    _people(ctx)
    for address, before, after in ctx.pairs("aws_ssoadmin_permission_set"):
        name = plain((after or before).body.get("name"))
        subject = f"permission set `{name}`"
        if before is None or after is None:
            side = "new" if before is None else "old"
            targets = sorted(_map(_sibling(ctx, side, address, "aws_ssoadmin_account_assignment")))
            where = f"accounts {', '.join(targets)}" if targets else "no account"
            ctx.add(AREA, "added" if before is None else "removed",
                    f"{subject} {'added' if before is None else 'removed'} ({where})"
                    + (" (weaker)" if before is None else " (stronger)"), [address])
        else:
            for line in _set_lines(ctx, address, before, after):
                ctx.add(AREA, "changed", f"{subject}: {line}", [address])
        ctx.cover(address)
        _cover(ctx, address)


def _names(blocks) -> list[str]:
    return sorted({plain(b.body.get("name") or b.body.get("display_name")) for b in blocks})


def _listed(names: list[str], limit: int = 8) -> str:
    return ", ".join(names[:limit]) + (f", … {len(names) - limit} more" if len(names) > limit else "")


def switch_rules(ctx: Context) -> None:
    """iam-users → identity-center: what is destroyed and created, in three lines, and the warning that people lose
    their IAM access on apply; the job function roles' removal and job_roles' dropped inputs are explained here."""
    def called(tree, module: str) -> bool:
        return any(p.endswith(f"module.{module}") for p in tree.modules)
    if not (called(ctx.old, "iam") and called(ctx.new, AREA) and not called(ctx.old, AREA)):
        return
    users = [b for b in ctx.old.of_type("aws_iam_user").values() if b.module.endswith("module.iam")]
    groups = [b for b in ctx.old.of_type("aws_iam_group").values() if b.module.endswith("module.iam")]
    roles = {a: b for a, b in ctx.old.of_type("aws_iam_role").items() if b.module.endswith("module.job_roles")}
    for address in roles:
        for type_ in ("aws_iam_role", "aws_iam_role_policy_attachment"):
            related = address.replace(".aws_iam_role.", f".{type_}.")
            if ctx.block("old", related) is not None:
                ctx.cover_block_and_instances(related)
    for address, block in ctx.old.of_type("aws_iam_policy").items():
        if block.module.endswith("module.job_roles") and ctx.block("new", address) is None:
            ctx.cover(address, *filter(None, [document(ctx, "old", block)[0]]))
    ctx.changes[:] = [c for c in ctx.changes if "module `job_roles` input `" not in c.text]
    accounts = sorted({b.module.partition(":")[0] for b in roles.values()})
    sets = list(ctx.new.of_type("aws_ssoadmin_permission_set").values())
    assignments = sum(len(_map(b)) for b in ctx.new.of_type("aws_ssoadmin_account_assignment").values())
    ctx.add("iam", "removed", f"people move from IAM users to IAM Identity Center: IAM users {_listed(_names(users))} and groups "
                              f"{_listed(_names(groups))} are destroyed, and the job function roles "
                              f"{_listed(_names(roles.values()))} with their policies in {len(accounts)} accounts", [])
    ctx.add(AREA, "added", f"permission sets {_listed(_names(sets))} and {assignments} account assignments are created "
                           "in their place", [])
    ctx.add("iam", "removed", "warning: on apply everyone loses their IAM access (their IAM user and the job function roles); "
                              "enable Identity Center, provision or fill the groups and test a sign-in before applying", [])
