"""Things the generated modules keep in a ``locals`` map and create with ``for_each`` over it: alarms,
Config rules, Security Hub standards and disabled controls, GuardDuty protection plans, patch baselines
and patch groups. Each map entry is one thing: added, removed, or changed field by field."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..validate.hclcheck import label
from .context import Context, area_of
from .tree import Tree
from .direction import presence, verdict
from .values import Field, describe, describe_changes, plain


@dataclass(frozen=True)
class EntityKind:
    block_type: str  # the resource created per entry (its for_each derives from the map)
    noun: str
    fields: dict = field(default_factory=dict)
    added: str = "{noun} `{key}` added"
    removed: str = "{noun} `{key}` removed"
    changed: str = "{noun} `{key}`"
    scalar: Field | None = None  # for maps of plain values
    rule: str | None = None  # review/direction.RULES: the direction of adding and removing an entry
    because: str | None = None  # the entry's field that says why (appended to the added line)
    renamed: str | None = None  # an entry under a new key that moved blocks carry ({old} -> {new}): what the rename does


ENTITIES = (
    EntityKind("aws_cloudwatch_metric_alarm", "alarm", {
        "pattern": Field("metric filter pattern"), "threshold": Field("threshold", rule="alarm.threshold"),
        "period": Field("period", unit=" s", rule="alarm.period"), "metric_name": Field("metric name"),
        "description": Field("description")}, rule="alarm.entry",
        renamed="{noun} `{old}` renamed to `{new}`: replaced (its and its metric filter's names)"),
    EntityKind("aws_config_config_rule", "Config rule", {
        "source_identifier": Field("managed rule"), "description": Field("description"), "parameters.*": Field("parameter {}", rule="config.parameter.{}"),
        "home_region_only": Field("home Region only", "switch", on="yes", off="no (every Region)")}, rule="config.rule"),
    EntityKind("aws_securityhub_standards_subscription", "Security Hub standard", {},
               added="Security Hub standard `{key}` enabled", removed="Security Hub standard `{key}` disabled",
               scalar=Field("ARN"), rule="securityhub.standard"),
    EntityKind("aws_securityhub_standards_control_association", "Security Hub control", {"reason": Field("reason")},
               added="Security Hub control `{tail}` disabled in `{head}`",
               removed="Security Hub control `{tail}` enabled again in `{head}`",
               changed="Security Hub control `{tail}` in `{head}`", rule="securityhub.disabled_control", because="reason"),
    EntityKind("aws_guardduty_detector_feature", "GuardDuty protection plan",
               added="GuardDuty protection plan `{key}` added", removed="GuardDuty protection plan `{key}` no longer set",
               scalar=Field("", "switch", on="turned on", off="turned off", rule="guardduty.plan")),
    EntityKind("aws_ssm_patch_baseline", "patch baseline", {
        "approve_after_days": Field("approval delay", unit=" days", rule="patch.approval_delay"),
        "operating_system": Field("operating system"), "name": Field("name"), "patch_filters.*": Field("patch filter {}", "set")}),
    EntityKind("aws_ssm_maintenance_window", "patch group", {
        "schedule_offset": Field("schedule offset", unit=" days")},
               added="patch group `{key}` added (its own patch window)", removed="patch group `{key}` removed"),
)


def entity_maps(tree: Tree, kind: EntityKind) -> set[tuple[str, str]]:
    """(module, local name) of the literal maps the ``kind.block_type`` resources iterate over."""
    out = set()
    for block in tree.of_type(kind.block_type).values():
        module = tree.modules.get(block.module)
        for source in block.instances.sources:
            name = source[len("local."):] if source.startswith("local.") else None
            if name and module and isinstance(module.locals.get(name), dict):
                out.add((block.module, name))
    return out


def _entries(tree: Tree, module: str, name: str) -> dict:
    found = tree.modules.get(module)  # a root only one tree has: no entries on the other side
    value = found.locals.get(name) if found else None
    return {label(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _text(template: str, noun: str, key: str) -> str:
    head, _, tail = key.partition("/")
    return template.format(noun=noun, key=key, head=head, tail=tail or key)


def entity_rules(ctx: Context) -> None:
    for kind in ENTITIES:
        for module, name in sorted(entity_maps(ctx.old, kind) | entity_maps(ctx.new, kind)):
            if not ctx.module_in_both(module) or ctx.local_covered(module, name):
                continue  # a whole module or service added or removed: its own line says so
            _compare(ctx, kind, module, name)


def _compare(ctx: Context, kind: EntityKind, module: str, name: str) -> None:
    old, new = _entries(ctx.old, module, name), _entries(ctx.new, module, name)
    area = area_of(module)
    if old == new:
        return  # nothing to say, nothing touched (and no scan of every block for the users)
    users = sorted(a for a, b in ctx.new.blocks.items() if b.module == module and f"local.{name}" in b.instances.sources)
    touched, grouped = [], {}
    renames = _renamed_keys(ctx, users, old, new) if kind.renamed else {}
    for key_old, key_new in sorted(renames.items()):
        touched += [key_old, key_new]
        ctx.cover_local(module, name, key_old)
        ctx.cover_local(module, name, key_new)
        ctx.add(area, "changed", kind.renamed.format(noun=kind.noun, old=key_old, new=key_new), users)
        if isinstance(old[key_old], dict) and isinstance(new[key_new], dict):
            for phrase in describe_changes(old[key_old], new[key_new], kind.fields):
                ctx.add(area, "changed", f"{_text(kind.changed, kind.noun, key_new)}: {phrase}", users)
    old = {k: v for k, v in old.items() if k not in renames}
    new = {k: v for k, v in new.items() if k not in renames.values()}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        touched.append(key)
        ctx.cover_local(module, name, key)
        if (before is None or after is None) and kind.because:
            entry = after if before is None else before
            head, _, tail = key.partition("/")
            reason = plain(entry.get(kind.because)) if isinstance(entry, dict) and kind.because in entry else ""
            grouped.setdefault((before is None, tail or key, reason), []).append(head)
        elif before is None:
            words = presence(kind.rule, True) if kind.rule else ""
            ctx.add(area, "added", _text(kind.added, kind.noun, key) + words + _scalar_note(kind, after), users)
        elif after is None:
            ctx.add(area, "removed", _text(kind.removed, kind.noun, key) + (presence(kind.rule, False) if kind.rule else ""), users)
        elif isinstance(before, dict) and isinstance(after, dict):
            for phrase in describe_changes(before, after, kind.fields):
                ctx.add(area, "changed", f"{_text(kind.changed, kind.noun, key)}: {phrase}", users)
        else:
            phrase = describe(kind.scalar or Field("value"), before, after)
            ctx.add(area, "changed", f"{_text(kind.changed, kind.noun, key)} {phrase}", users)
    for (added, tail, reason), heads in grouped.items():
        text = _text(kind.added if added else kind.removed, kind.noun, "`, `".join(heads) + "/" + tail)
        text += presence(kind.rule, added) if kind.rule else ""
        ctx.add(area, "added" if added else "removed", text + (f": {reason}" if reason and added else ""), users)
    _cover_instances(ctx, module, name, touched)
    _cover_plumbing(ctx, module, name, old, new)


def _renamed_keys(ctx: Context, users: list[str], old: dict, new: dict) -> dict[str, str]:
    """Old key -> new key of the entries a ``moved`` block carries from one key to the other (a profile rename)."""
    out = {}
    for source, target in ctx.moves:
        for user in users:
            if source.startswith(user + '["') and target.startswith(user + '["'):
                key_old, key_new = source[len(user) + 2:-2], target[len(user) + 2:-2]
                if key_old in old and key_old not in new and key_new in new and key_new not in old:
                    out[key_old] = key_new
    return out


def _scalar_note(kind: EntityKind, value) -> str:
    if kind.scalar is None or isinstance(value, dict) or kind.scalar.kind != "switch":
        return ""
    words = describe(kind.scalar, None, value)  # "turned on (stronger)": the state inside the brackets, the verdict after
    state = words[:len(words) - len(verdict(kind.scalar.rule, None, value))] if kind.scalar.rule else words
    return f" ({state})" + words[len(state):]


def _cover_plumbing(ctx: Context, module: str, name: str, old: dict, new: dict) -> None:
    """When the map appears or disappears as a whole, the resources created from it and the locals derived from it
    come and go with it: the entry lines already say so (no ``local … added`` or ``… added`` for them)."""
    if old and new:
        return
    for tree in (ctx.old, ctx.new):
        for address, block in tree.blocks.items():
            if block.module == module and f"local.{name}" in block.instances.sources:
                ctx.cover_block_and_instances(address)
                for source in block.instances.sources:
                    if source.startswith("local."):
                        ctx.cover_local(module, source[len("local."):])


def _cover_instances(ctx: Context, module: str, name: str, keys: list[str]) -> None:
    """Instances created for the touched entries (keyed ``<key>`` or ``<region>/<key>``)."""
    if not keys:
        return
    for tree in (ctx.old, ctx.new):
        for address, block in tree.blocks.items():
            if block.module != module or f"local.{name}" not in block.instances.sources:
                continue
            added, removed = ctx.instance_changes(address)
            for instance in added + removed:
                key = instance[len(address) + 2:-2]
                if any(key == k or key.endswith("/" + k) for k in keys):
                    ctx.cover_instance(instance)
