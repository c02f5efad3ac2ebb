"""The generic lines: whatever no specific rule explained, by Terraform address, so nothing goes unreported."""

from __future__ import annotations

from ..validate.hclcheck import label
from .context import Context, area_of
from .values import changed_paths, describe_changes


def fallback_rules(ctx: Context) -> None:
    _blocks(ctx)
    _instances(ctx)
    _locals(ctx)


def _blocks(ctx: Context) -> None:
    for address in sorted(set(ctx.old.blocks) | set(ctx.new.blocks)):
        if ctx.covered(address):
            continue
        before, after = ctx.old.blocks.get(address), ctx.new.blocks.get(address)
        block = after or before
        area = area_of(block.module)
        if before is None or after is None:
            if block.mode == "resource":  # a data source added or removed changes nothing by itself
                verb = "added" if before is None else "removed"
                ctx.add(area, verb, f"`{address}` {verb}", [address])
            continue
        for phrase in describe_changes(before.body, after.body, {}):
            ctx.add(area, "changed", f"`{address}` {phrase}", [address])


def _instances(ctx: Context) -> None:
    for address in sorted(set(ctx.old.blocks) & set(ctx.new.blocks)):
        added, removed = ctx.instance_changes(address)
        added = [i[len(address):] for i in added if i not in ctx.instances]
        removed = [i[len(address):] for i in removed if i not in ctx.instances]
        parts = ([f"instances added {', '.join(added)}"] if added else []) + ([f"instances removed {', '.join(removed)}"] if removed else [])
        if parts:
            action = "changed" if added and removed else ("added" if added else "removed")
            ctx.add(area_of(ctx.new.blocks[address].module), action, f"`{address}`: {'; '.join(parts)}", [address])


def _locals(ctx: Context) -> None:
    for module in sorted(set(ctx.old.modules) | set(ctx.new.modules)):
        a = ctx.old.modules[module].locals if module in ctx.old.modules else {}
        b = ctx.new.modules[module].locals if module in ctx.new.modules else {}
        where = f"`{module}`" if module else "root"
        for name in sorted(set(a) | set(b)):
            if a.get(name) == b.get(name) or ctx.local_covered(module, name):
                continue
            before, after = a.get(name), b.get(name)
            if isinstance(before, dict) and isinstance(after, dict):
                old = {label(k): v for k, v in before.items()}
                new = {label(k): v for k, v in after.items()}
                parts = []
                for key in sorted(set(old) | set(new)):
                    if old.get(key) == new.get(key) or ctx.local_covered(module, name, key):
                        continue
                    if key not in old:
                        parts.append(f"entry `{key}` added")
                    elif key not in new:
                        parts.append(f"entry `{key}` removed")
                    else:
                        paths = [p[2:] if p.startswith("v.") else "value" for p, _, _ in changed_paths({"v": old[key]}, {"v": new[key]})]
                        parts.append(f"entry `{key}` changed ({', '.join(paths)})")
                if parts:
                    ctx.add(area_of(module), "changed", f"{where} local `{name}`: {'; '.join(parts)}", [])
            else:
                verb = "added" if before is None else ("removed" if after is None else "changed")
                ctx.add(area_of(module), verb, f"{where} local `{name}` {verb}", [])
