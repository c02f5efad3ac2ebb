"""The root configuration in the summary: Regions added or removed (with the services that run there),
modules added or removed, module inputs, and the provider (home Region, default tags)."""

from __future__ import annotations

import re
from collections import defaultdict

from .account_renames import with_new_name
from .context import Context, area_of, is_root
from .names import services
from .values import Field, describe_changes, plain

_OUTPUT_REF = re.compile(r'module\.(\w+)\.(\w+)\["([^"]+)"\]')
_OUTPUT_WORDS = {"key_arns": "KMS key", "key_arns_by_region": "KMS key (each Region's copy)"}


# Module inputs whose change a component's rule says by effect (detection/findings_review.py: bucket by bucket).
INPUTS_SAID_ELSEWHERE = {"malware_protection_buckets"}

def root_rules(ctx: Context) -> None:
    _regions(ctx)
    _modules(ctx)
    _providers(ctx)


def _regions(ctx: Context) -> None:
    for module in set(ctx.old.modules) | set(ctx.new.modules):
        if is_root(module):
            for tree in (ctx.old, ctx.new):
                if module in tree.modules and "regions" in tree.modules[module].locals:
                    ctx.cover_local(module, "regions")
    said = ctx.memo.get("account roots said", set())  # an account added or removed: review/accounts.py said it all
    for root in sorted({root_of(m) for tree in (ctx.old, ctx.new) for m in tree.modules} - said):
        _root_regions(ctx, root)


def _root_regions(ctx: Context, root: str) -> None:
    """Regions added to or removed from one configuration root (an account's, in the organisation layout)."""
    old, new = _all_regions(ctx, "old", root), _all_regions(ctx, "new", root)
    if old == new:
        return
    regional = [a for a in set(ctx.old.blocks) | set(ctx.new.blocks)
                if root_of((ctx.new.blocks.get(a) or ctx.old.blocks[a]).module) == root
                and "var.regions" in (ctx.new.blocks.get(a) or ctx.old.blocks[a]).instances.sources]
    for verb, regions, tree in (("added", sorted(new - old), ctx.new), ("removed", sorted(old - new), ctx.old)):
        for region in regions:
            types = set()
            for address in regional:
                added, removed = ctx.instance_changes(address)
                for instance in added if verb == "added" else removed:
                    key = instance[len(address) + 1:-1].strip('"')
                    if key == region or key.startswith(region + "/") or not key.startswith(tuple(old | new)):
                        ctx.cover_instance(instance)
                        block = tree.blocks.get(address)
                        if block is not None and block.mode == "resource":
                            types.add(block.type)
            found = services(sorted(types))
            # the root as the address: accounts with the same services there share one line ("accounts `a`, `b`: …",
            # security.py), and the JSON says which accounts
            ctx.add("regions", verb, f"region `{region}` {verb}" + (f" ({', '.join(found)})" if found else ""),
                    [root] if root else [])


def root_of(module: str) -> str:
    """The configuration root a module instance belongs to: "" (the output root) or "accounts/<name>:"."""
    head, colon, _ = module.partition(":")
    return head + colon if colon else ""


def account_words(module: str) -> str:
    """``account `prod`: `` for a module of accounts/prod/; nothing in a single-account layout."""
    root = root_of(module)
    return f"account `{root[len('accounts/'):-1]}`: " if root.startswith("accounts/") else ""


def _all_regions(ctx: Context, side: str, root: str) -> set[str]:
    """Every Region the module instances of one root run in (indexed once per tree)."""
    index = ctx.memo.get(("regions by root", side))
    if index is None:
        index = ctx.memo[("regions by root", side)] = defaultdict(set)
        for prefix, m in (ctx.old if side == "old" else ctx.new).modules.items():
            index[root_of(prefix)].update(m.regions or ())
    return index.get(root, set())


def _modules(ctx: Context) -> None:
    for prefix in sorted(set(ctx.old.modules) | set(ctx.new.modules)):
        if is_root(prefix) or root_of(prefix) in ctx.memo.get("account roots said", ()):
            continue
        before, after = ctx.old.modules.get(prefix), ctx.new.modules.get(prefix)
        name = prefix.rpartition(".")[2]
        if before is None or after is None:
            tree = ctx.new if before is None else ctx.old
            module = after or before
            for address, block in tree.blocks.items():
                if block.module == prefix or block.module.startswith(prefix + "."):
                    ctx.cover_block_and_instances(address)
            for local in module.locals:
                ctx.cover_local(prefix, local)
            types = sorted({b.type for b in tree.blocks.values() if b.module == prefix and b.mode == "resource"})
            verb = "added" if before is None else "removed"
            ctx.add(area_of(prefix), verb, f"{account_words(prefix)}module `{name}` {verb}" + (f" ({', '.join(services(types))})" if types else ""), [prefix])
            continue
        if before.call is None or after.call is None:
            continue
        for key in sorted((set(before.call) | set(after.call)) - {"__is_block__"} - INPUTS_SAID_ELSEWHERE):
            a, b = before.call.get(key), after.call.get(key)
            if a != b:
                ctx.add(area_of(prefix), "changed", f"{account_words(prefix)}module `{name}` input `{key}`: {_words(a)} → {_words(b)}", [prefix])


def _words(value) -> str:
    if value is None:
        return "none"
    text = plain(value)
    return _OUTPUT_REF.sub(lambda m: f"{_OUTPUT_WORDS[m.group(2)]} `{m.group(3)}`" if m.group(2) in _OUTPUT_WORDS else m.group(0), text)


def _providers(ctx: Context) -> None:
    for prefix in sorted(set(ctx.old.modules) | set(ctx.new.modules)):
        before, after = ctx.old.modules.get(prefix), ctx.new.modules.get(prefix)
        if before is None or after is None:
            continue
        for name in sorted(set(before.providers) | set(after.providers)):
            a, b = before.providers.get(name), after.providers.get(name)
            if a is not None and before.directory != after.directory:  # a renamed account's root (account_renames.py)
                a = with_new_name(a, before.directory, after.directory)
            subject = f"provider `{name}`"
            where = [prefix] if prefix else []  # the root: an account root's lines name their accounts (review/fanout.py)
            if a is None or b is None:
                ctx.add(area_of(prefix), "added" if a is None else "removed", f"{subject} {'added' if a is None else 'removed'}", where)
                continue
            for phrase in describe_changes(a, b, {"region": Field("home Region")}):
                ctx.add(area_of(prefix), "changed", f"{subject}: {phrase}", where)
