"""An account added to or removed from the organisation layout, in one line: the account root
``accounts/<name>/`` that only one tree has.

"account 666666666666 (payments-dev) added: Regions ap-northeast-1, us-east-1; baseline modules job_roles, kms, …;
job function roles Administrators, Operators". The line covers every block, instance and local of that root,
so the Region and ``module … added`` lines leave the account out (``said_roots``). What the new account changes
elsewhere keeps its own lines: the job functions' reach (review/reach.py), the Security Hub and Inspector members of
the security account, the log-archive bucket policies, the account's placement in the organisation.
"""

from __future__ import annotations

import re

from .context import Context, area_of, is_root
from .values import plain, scalars

AREA = "accounts"
_COUNTED = re.compile(r'^\$\{contains\(var\.(\w+), "([^"]+)"\) \? 1 : 0\}$')


def said_roots(ctx: Context) -> set[str]:
    """The account roots (``accounts/<name>:``) an account line already says everything about."""
    return ctx.memo.setdefault("account roots said", set())


def account_rules(ctx: Context) -> None:
    only = {side: {m for m in tree.modules if m.startswith("accounts/") and is_root(m)}
            for side, tree in (("old", ctx.old), ("new", ctx.new))}
    old_only, new_only = only["old"] - only["new"], only["new"] - only["old"]
    # a renamed account's root is paired with its new one before the rules run (review/account_renames.py): it is
    # neither here nor there
    for root in sorted(old_only | new_only):
        _account_line(ctx, root, root in new_only)


def _name(root: str) -> str:
    return root[len("accounts/"):-1]


def _account_id(tree, root: str) -> str | None:
    provider = tree.modules[root].providers.get("aws") or {}
    ids = scalars(provider.get("allowed_account_ids")) or []
    return ids[0] if ids else None


def _account_line(ctx: Context, root: str, added: bool) -> None:
    tree = ctx.new if added else ctx.old
    account_id = _account_id(tree, root)
    who = f"account {account_id} ({_name(root)})" if account_id else f"account {_name(root)}"
    modules = [m for m in tree.modules if m.startswith(root) and not is_root(m)]
    regions = sorted({r for m in modules for r in (tree.modules[m].regions or ())})
    top = list(dict.fromkeys(area_of(m) for m in modules if m.count(".") == 1))  # the root's own calls, in its order
    parts = []
    if regions:
        parts.append(("Region " if len(regions) == 1 else "Regions ") + ", ".join(regions))
    if top:
        parts.append("baseline modules " + ", ".join(f"`{m}`" for m in top))
    functions = _job_functions(tree, root)
    if functions:
        parts.append(f"job function role{'s' if len(functions) > 1 else ''} {', '.join(functions)}")
    verb = "added" if added else "removed"
    ctx.add(AREA, verb, f"{who} {verb}" + (": " + "; ".join(parts) if parts else ""), [root])
    _cover_root(ctx, tree, root)


def _cover_root(ctx: Context, tree, root: str) -> None:
    for address, block in tree.blocks.items():
        if block.module.startswith(root):
            ctx.cover_block_and_instances(address)
    for module in [m for m in tree.modules if m.startswith(root)]:
        for local in tree.modules[module].locals:
            ctx.cover_local(module, local)
    said_roots(ctx).add(root)


def _job_functions(tree, root: str) -> list[str]:
    """The job functions whose role the account root creates: the roles of its ``job_roles`` module, a counted role
    only when the root passes its group's name. Read from the root alone (its roles' descriptions name the group), so
    the line does not depend on which other roots a review indexed."""
    found = []
    for block in tree.of_type("aws_iam_role").values():
        if not block.module.startswith(root) or area_of(block.module) != "job_roles":
            continue
        count = block.body.get("count")
        counted = _COUNTED.match(count) if isinstance(count, str) else None
        if counted:
            module = tree.modules.get(block.module)
            passed = scalars(((module.call or {}) if module else {}).get(counted.group(1))) or []
            if counted.group(2) not in passed:
                continue
        description = plain(block.body.get("description") or "")  # "<group> job function (<duty>), assumed from …"
        group, marker, _ = description.partition(" job function (")
        found.append(group if marker else plain(block.body.get("name")))
    return sorted(set(found))
