"""Reach in the review: which job function roles appear in or leave which account.

Read from the ``job_roles`` module of each account root: a role without ``count`` is in the account; a role counted by
``contains(var.reached_job_functions, "<Group>")`` is there when the root passes the group's name. One line per group,
account and direction: "account `payments-prod`: group `PaymentsApps` can now assume its role in account
500000000005 (weaker)" / "... can no longer ... (stronger)" (the summary names the account), unless the group's
assume-role policy in the identity account already said it (review/reach.py, which runs first: one line per account for
every job function whose reach changed there). The lines explain the module input, the roles' count, their
attachments and the group's assume-role policy in the identity account, so those are covered here.
"""

from __future__ import annotations

import re

from ...review.context import Context, area_of
from ...review.regions import root_of
from ...review.values import plain, scalars
from .reach import REACH_INPUT

_COUNTED = re.compile(r'^\$\{contains\(var\.' + REACH_INPUT + r', "([^"]+)"\) \? 1 : 0\}$')
AREA = "job_roles"


def _account(ctx: Context, side: str, root: str) -> tuple[str, str]:
    """(name, id) of an account root ``accounts/<name>:``; the id from its provider's allowed_account_ids."""
    tree = ctx.old if side == "old" else ctx.new
    provider = (tree.modules.get(root).providers if root in tree.modules else {}).get("aws") or {}
    ids = scalars(provider.get("allowed_account_ids")) or ["?"]
    return root[len("accounts/"):-1], ids[0]


def _group_of(role_name: str, groups: list[str]) -> str:
    """The group of a role ``<org>-<Group>``: the longest group name it ends with."""
    found = [g for g in groups if role_name.endswith("-" + g)]
    return max(found, key=len) if found else role_name


def _presence(ctx: Context, side: str) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(group, role block address relative to its root) -> the accounts (name, id) whose root holds the role."""
    groups = [plain(b.body.get("name")) for b in ctx.of_type(side, "aws_iam_group").values()]
    tree = ctx.old if side == "old" else ctx.new
    out: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for address, block in ctx.of_type(side, "aws_iam_role").items():
        if area_of(block.module) != AREA or not root_of(block.module).startswith("accounts/"):
            continue
        module = tree.modules.get(block.module)
        counted = _COUNTED.match(block.body.get("count") or "") if isinstance(block.body.get("count"), str) else None
        group = _group_of(plain(block.body.get("name")), groups)
        if counted:
            passed = scalars(((module.call or {}) if module else {}).get(REACH_INPUT)) or []
            if counted.group(1) not in passed:
                out.setdefault((group, address[len(root_of(block.module)):]), set())
                continue
        out.setdefault((group, address[len(root_of(block.module)):]), set()).add(_account(ctx, side, root_of(block.module)))
    return out


def reach_rules(ctx: Context) -> None:
    old, new = _presence(ctx, "old"), _presence(ctx, "new")
    for key in sorted(set(old) & set(new)):
        group, relative = key
        for accounts, verb, effect in ((new[key] - old[key], "can now", "weaker"), (old[key] - new[key], "can no longer", "stronger")):
            for name, account_id in sorted(accounts, key=lambda a: a[1]):
                root = f"accounts/{name}:"
                if root not in ctx.old.modules or root not in ctx.new.modules:
                    continue  # an account added or removed: its own line says so
                if (group, account_id, verb == "can now") in ctx.memo.get("reach said", ()):
                    continue  # the identity account's assume-role policy said it (review/reach.py), for all at once
                # the summary prefixes "account `<name>`: " (the line's address is in that account's root)
                ctx.add(AREA, "changed", f"group `{group}` {verb} assume its role in account {account_id} ({effect})",
                        [root + relative])
        _cover(ctx, relative)


def _cover(ctx: Context, relative: str) -> None:
    """The role, its attachments and the module input in every account: the reach lines say what they change."""
    attachment = relative.replace(".aws_iam_role.", ".aws_iam_role_policy_attachment.")
    for tree in (ctx.old, ctx.new):
        for root in [p for p in tree.modules if p.startswith("accounts/") and p.endswith(":")]:
            for address in (root + relative, root + attachment):
                if address in ctx.old.blocks and address in ctx.new.blocks:
                    ctx.cover_block_and_instances(address)
    ctx.changes[:] = [c for c in ctx.changes if not (c.area == AREA and f"module `{AREA}` input `{REACH_INPUT}`" in c.text)]


def explained_by_reach(title: str, phrase: str) -> bool:
    """A group's assume-role policy whose role ARNs (resources) or description changed: the reach lines say it."""
    return title.endswith("-assume-role`") and (phrase.endswith("changed: resources") or phrase == "description changed")
