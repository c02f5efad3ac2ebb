"""Things the generated modules keep in a ``locals`` map and create with ``for_each`` over it: alarms,
Config rules, Security Hub standards and disabled controls, GuardDuty protection plans, patch baselines
and patch groups. Each map entry is one thing: added, removed, or changed field by field."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..validate.hclcheck import label
from .context import Context, area_of
from .tree import Tree
from .values import Field, describe, describe_changes


@dataclass(frozen=True)
class EntityKind:
    block_type: str  # the resource created per entry (its for_each derives from the map)
    noun: str
    fields: dict = field(default_factory=dict)
    added: str = "{noun} `{key}` added"
    removed: str = "{noun} `{key}` removed"
    changed: str = "{noun} `{key}`"
    scalar: Field | None = None  # for maps of plain values


ENTITIES = (
    EntityKind("aws_cloudwatch_metric_alarm", "alarm", {
        "pattern": Field("metric filter pattern"), "threshold": Field("threshold", stronger="lower"),
        "period": Field("period", unit=" s", stronger="lower"), "metric_name": Field("metric name"),
        "description": Field("description")}),
    EntityKind("aws_config_config_rule", "Config rule", {
        "source_identifier": Field("managed rule"), "description": Field("description"), "parameters.*": Field("parameter {}"),
        "home_region_only": Field("home Region only", "switch", on="yes", off="no (every Region)")}),
    EntityKind("aws_securityhub_standards_subscription", "Security Hub standard", {},
               added="Security Hub standard `{key}` enabled", removed="Security Hub standard `{key}` disabled",
               scalar=Field("ARN")),
    EntityKind("aws_securityhub_standards_control_association", "Security Hub control", {"reason": Field("reason")},
               added="Security Hub control `{tail}` disabled in `{head}`",
               removed="Security Hub control `{tail}` enabled again in `{head}`",
               changed="Security Hub control `{tail}` in `{head}`"),
    EntityKind("aws_guardduty_detector_feature", "GuardDuty protection plan",
               added="GuardDuty protection plan `{key}` added", removed="GuardDuty protection plan `{key}` no longer set",
               scalar=Field("", "switch", on="turned on", off="turned off")),
    EntityKind("aws_ssm_patch_baseline", "patch baseline", {
        "approve_after_days": Field("approval delay", unit=" days", stronger="lower"),
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
    touched = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        touched.append(key)
        ctx.cover_local(module, name, key)
        if before is None:
            ctx.add(area, "added", _text(kind.added, kind.noun, key) + _scalar_note(kind, after), users)
        elif after is None:
            ctx.add(area, "removed", _text(kind.removed, kind.noun, key), users)
        elif isinstance(before, dict) and isinstance(after, dict):
            for phrase in describe_changes(before, after, kind.fields):
                ctx.add(area, "changed", f"{_text(kind.changed, kind.noun, key)}: {phrase}", users)
        else:
            phrase = describe(kind.scalar or Field("value"), before, after)
            ctx.add(area, "changed", f"{_text(kind.changed, kind.noun, key)} {phrase}", users)
    _cover_instances(ctx, module, name, touched)


def _scalar_note(kind: EntityKind, value) -> str:
    if kind.scalar is None or isinstance(value, dict) or kind.scalar.kind != "switch":
        return ""
    return f" ({describe(kind.scalar, None, value)})"


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
