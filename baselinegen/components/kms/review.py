"""KMS keys in the summary: added/removed, rotation, deletion window, multi-Region, key policy grants."""

from __future__ import annotations

from collections import defaultdict

from ...review.context import Context, area_of, reference, sibling
from ...review.policies import document, statement_phrases, statements
from ...review.tree import Block, join
from ...review.values import Field, describe_changes, plain

KEY_FIELDS = {
    "enable_key_rotation": Field("rotation", "switch", rule="kms.rotation"),
    "rotation_period_in_days": Field("rotation period", unit=" days", rule="kms.rotation_period"),
    "deletion_window_in_days": Field("deletion window", unit=" days", rule="kms.deletion_window"),
    "multi_region": Field("multi-Region", "switch"),
    "is_enabled": Field("key", "switch", on="enabled", off="disabled", rule="kms.enabled"),
    "description": Field("description"),
}


def key_labels(ctx: Context, side: str) -> dict[str, str]:
    """Key address -> the profile's name for it, from the module outputs that map names to key ARNs."""
    out = {}
    for module in (ctx.old if side == "old" else ctx.new).modules.values():
        for body in module.outputs.values():
            value = body.get("value")
            if isinstance(value, dict):
                for key, ref in value.items():
                    name = reference(ref, "aws_kms_key")
                    if name:
                        out.setdefault(ctx.resolve(side, join(module.prefix, f"aws_kms_key.{name}")), plain(key))
    return out


def _dependents(ctx: Context, side: str, key: Block) -> list[str]:
    """Aliases, replicas and replica aliases of a key."""
    index = ctx.memo.get(("kms dependents", side))
    if index is None:
        index = ctx.memo[("kms dependents", side)] = _dependents_by_key(ctx, side)
    return index.get(key.address, [])


def _dependents_by_key(ctx: Context, side: str) -> dict[str, list[str]]:
    """Key address -> its dependents, for every key of one tree (one pass over the blocks, not one per key)."""
    tree = ctx.old if side == "old" else ctx.new
    replica_aliases = defaultdict(list)  # (module, "aws_kms_replica_key.<name>") -> the aliases made for each replica
    for address, block in tree.blocks.items():
        if block.type == "aws_kms_alias":
            for_each = plain(block.body.get("for_each"))
            if isinstance(for_each, str):
                replica_aliases[(block.module, for_each)].append(address)

    def key_of(block: Block, attribute: str) -> str | None:
        name = reference(block.body.get(attribute), "aws_kms_key")
        return ctx.resolve(side, sibling(block, "aws_kms_key", name)) if name else None

    out = defaultdict(list)
    for address, block in tree.blocks.items():
        if block.type == "aws_kms_alias" and (key := key_of(block, "target_key_id")):
            out[key].append(address)
        if block.type == "aws_kms_replica_key" and (key := key_of(block, "primary_key_arn")):
            out[key].append(address)
            out[key] += replica_aliases[(block.module, f"aws_kms_replica_key.{block.name}")]
    return out


def kms_rules(ctx: Context) -> None:
    labels = {**key_labels(ctx, "old"), **key_labels(ctx, "new")}
    for address, before, after in ctx.pairs("aws_kms_key"):
        block = after or before
        subject = f"KMS key `{labels.get(address, block.name)}`"
        area = area_of(block.module)
        doc_old, body_old = document(ctx, "old", before)
        doc_new, body_new = document(ctx, "new", after)
        ctx.cover(address, *filter(None, (doc_old, doc_new)))
        if before is None or after is None:
            for found in set(_dependents(ctx, "old", block) if after is None else _dependents(ctx, "new", block)):
                ctx.cover_block_and_instances(found)
        if before is None:
            ctx.add(area, "added", f"{subject} added ({_settings(after.body)})", [address])
            continue
        if after is None:
            protected = plain((before.body.get("lifecycle") or [{}])[0].get("prevent_destroy")) == "true"
            note = "; prevent_destroy: the plan fails until it is lifted" if protected else ""
            ctx.add(area, "removed", f"{subject} removed (what it encrypts becomes unreadable once the deletion window ends{note})", [address])
            continue
        fields = dict(KEY_FIELDS)
        if after.body.get("enable_key_rotation") is not True:
            del fields["rotation_period_in_days"]  # "rotation turned off" says it
        ignore = ("policy", "for_each", "count") + (() if "rotation_period_in_days" in fields else ("rotation_period_in_days",))
        for phrase in describe_changes(before.body, after.body, fields, ignore=ignore):
            ctx.add(area, "changed", f"{subject}: {phrase}", [address])
        for phrase in _key_policy(body_old, body_new) if body_old != body_new else ():
            ctx.add(area, "changed", f"{subject}: {phrase}", [address])
        _replicas_and_aliases(ctx, area, subject, before, after)


def _settings(body: dict) -> str:
    parts = ["rotation " + ("on" if body.get("enable_key_rotation") is True else "off")]
    if "deletion_window_in_days" in body:
        parts.append(f"deletion window {plain(body['deletion_window_in_days'])} days")
    if body.get("multi_region") is True:
        parts.append("multi-Region")
    return ", ".join(parts)


def _key_policy(old: dict | None, new: dict | None) -> list[str]:
    a, b = statements(old), statements(new)
    lines = []
    for verb, ids, side in (("now", [s for s in b if s not in a], b), ("no longer", [s for s in a if s not in b], a)):
        for sid in ids:
            st = side[sid]
            who = dict(st.fields).get("principals") or "every principal"
            grant = "grants" if st.effect == "Allow" else "denies"
            lines.append(f"key policy {verb} {grant} {who}: {', '.join(st.actions) or 'all but ' + dict(st.fields).get('not_actions', '')} (statement `{sid}`)")
    lines += [f"key policy {p}" for action, p in statement_phrases(old, new) if action == "changed"]
    return lines


def _replicas_and_aliases(ctx: Context, area: str, subject: str, before: Block, after: Block) -> None:
    old_deps, new_deps = set(_dependents(ctx, "old", before)), set(_dependents(ctx, "new", after))
    for address in sorted(old_deps | new_deps):
        ctx.cover_block_and_instances(address)
        a, b = ctx.block("old", address), ctx.block("new", address)
        block = b or a
        what = "replicas" if block.type == "aws_kms_replica_key" else ("replica aliases" if "for_each" in block.body else "alias")
        if block.type == "aws_kms_alias" and what == "replica aliases":
            continue  # they follow the replicas
        regions = ", ".join(str(k) for k in block.instances.keys)
        if a is None:
            ctx.add(area, "added", f"{subject}: {what} added" + (f" ({regions})" if regions else ""), [address])
        elif b is None:
            ctx.add(area, "removed", f"{subject}: {what} removed" + (f" ({regions})" if regions else ""), [address])
        elif what == "alias":
            for phrase in describe_changes(a.body, b.body, {"name": Field("alias")}):
                ctx.add(area, "changed", f"{subject}: {phrase}", [address])
