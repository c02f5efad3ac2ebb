"""What Terraform will replace: resources present in both trees (after ``moved``) whose change touches an argument
the aws provider cannot update in place (the table in ``catalog/replace_on_change.json``), so Terraform destroys
and creates them again.

Each argument's value is resolved in its own tree: literals as written, ``each.key``/``each.value`` from the
instance's ``for_each`` entry, ``local.``/``var.`` from the module and its call, another resource's argument from
that resource's body, and a computed attribute (``arn``, ``id``) as that resource's own: unknown until apply when
Terraform replaces or creates that resource, so replacements cascade (a replaced policy's new ARN replaces its
attachments) as they do in Terraform's plan.
"""

from __future__ import annotations

import re

from ..catalog.replacements import arguments as replacing_arguments
from ..validate.hclcheck import label
from .destroys import apply_moves
from .model import Replacement
from .regions import root_of
from .references import REFERENCE, calling_module
from .tree import Block, Tree, instance_address, join
from .unchanged_blocks import UnchangedBlocks
from .values import plain

UNKNOWN_VALUE = "(known after apply)"
_INTERPOLATION = re.compile(r"\$\{([^{}]*)\}")
_MAX_DEPTH = 12


class Resolver:
    """Values of one tree's arguments. ``unknown``: instance addresses (in the new tree's naming) Terraform creates
    or replaces, whose computed attributes are unknown until apply."""

    def __init__(self, tree: Tree, moves, unknown: set[str]):
        self.tree, self.moves, self.unknown = tree, list(moves), unknown
        self._labelled: dict[int, tuple[dict, dict]] = {}  # id(for_each map) -> (the map, its entries by label)

    def argument(self, block: Block, key, path: str):
        """The value of ``path`` (``block.argument``: one value for each nested block, in order)."""
        steps = path.split(".")
        values = [block.body]
        for i, step in enumerate(steps):
            found = [v.get(step) if isinstance(v, dict) else None for v in values]
            values = [item for v in found for item in (v if i < len(steps) - 1 and isinstance(v, list) else [v])]
        return self.value(block, key, values[0] if len(steps) == 1 else values, 0)

    def value(self, block: Block, key, raw, depth: int):
        if depth > _MAX_DEPTH:
            return "…"
        if isinstance(raw, dict):
            return {label(k): self.value(block, key, v, depth + 1) for k, v in raw.items() if k != "__is_block__"}
        if isinstance(raw, list):
            return [self.value(block, key, v, depth + 1) for v in raw]
        if not isinstance(raw, str) or "${" not in raw and "each." not in raw:
            return plain(raw) if raw is not None else None
        if raw.startswith("${") and raw.endswith("}") and raw.count("${") == 1 and REFERENCE.fullmatch(raw[2:-1].strip()):
            return self.reference(block, key, REFERENCE.fullmatch(raw[2:-1].strip()), depth)
        return plain(_INTERPOLATION.sub(lambda m: self.interpolated(block, key, m.group(1), depth), raw))

    def interpolated(self, block: Block, key, inner: str, depth: int) -> str:
        """``${...}`` with every reference in it resolved; a bare reference becomes its value."""
        whole = REFERENCE.fullmatch(inner.strip())
        if whole:
            return _text(self.reference(block, key, whole, depth)).replace("${", "$${")
        return "${" + REFERENCE.sub(lambda m: _text(self.reference(block, key, m, depth)), inner) + "}"

    def reference(self, block: Block, key, match: re.Match, depth: int):
        module = self.tree.modules.get(block.module)
        if match.group("each"):
            return self.each(block, key, match.group("each"), depth)
        if match.group("local"):
            name = match.group("local")
            if module is None or name not in module.locals:
                return f"local.{name}"
            return self.value(block, key, module.locals[name], depth + 1)
        if match.group("var"):
            return self.variable(block, match.group("var"), depth)
        if match.group("module"):
            return self.output(block, match.group("module"), match.group("output"), depth)
        return self.attribute(block, key, match, depth)

    def each(self, block: Block, key, what: str, depth: int):
        if what == "key":
            return str(key)
        raw = block.body.get("for_each")
        entries = raw if isinstance(raw, dict) else self.local_map(block, raw)
        if entries is None:  # a for_each over a set (the values are the keys) or one the review cannot list
            return str(key) if _is_set(raw) else f"each.value of {block.address}"
        entry = self.entries_by_label(entries).get(str(key))
        value = self.value(block, key, entry, depth + 1)
        for attr in what.split(".")[1:]:
            value = value.get(attr) if isinstance(value, dict) else f"each.{what}"
        return value

    def entries_by_label(self, entries: dict) -> dict:
        """A for_each map's entries by their labels (the first of equal labels), indexed once per map: a map with
        an entry per account is looked up once per instance."""
        index = self._labelled.get(id(entries))
        if index is None or index[0] is not entries:
            by_label: dict = {}
            for k, v in entries.items():
                by_label.setdefault(label(k), v)
            index = self._labelled[id(entries)] = (entries, by_label)
        return index[1]

    def local_map(self, block: Block, raw) -> dict | None:
        """The object a ``for_each = local.name`` iterates (None when it is anything else)."""
        module = self.tree.modules.get(block.module)
        name = raw[len("${local."):-1] if isinstance(raw, str) and re.fullmatch(r"\$\{local\.\w+\}", raw) else None
        value = module.locals.get(name) if module is not None and name else None
        return value if isinstance(value, dict) else None

    def variable(self, block: Block, name: str, depth: int):
        module = self.tree.modules.get(block.module)
        call = module.call if module is not None else None
        if not call or name not in call:
            return f"var.{name}"
        holder = Block(calling_module(block.module), "resource", "module", "call", {}, "", block.instances)
        return self.value(holder, None, call[name], depth + 1)

    def output(self, block: Block, name: str, output: str, depth: int):
        prefix = join(block.module, f"module.{name}")
        module = self.tree.modules.get(prefix)
        if module is None or output not in module.outputs or "value" not in module.outputs[output]:
            return f"module.{name}.{output}"
        holder = Block(prefix, "resource", "module", "output", {}, "", block.instances)
        return self.value(holder, None, module.outputs[output]["value"], depth + 1)

    def attribute(self, block: Block, key, match: re.Match, depth: int):
        target = self.tree.blocks.get(join(block.module, match.group("res")))
        attr, index = match.group("attr"), match.group("index")
        if target is None:
            return match.group(0)
        target_key = None
        if index is not None:
            target_key = key if index.strip() == "each.key" else label(index.strip())
        if attr in target.body and attr not in ("for_each", "count"):
            return self.value(target, target_key, target.body[attr], depth + 1)
        if target.mode == "data":
            return match.group(0)
        address = target.address if target_key is None else instance_address(target.address, target_key)
        moved = apply_moves(address, self.moves)
        return UNKNOWN_VALUE if moved in self.unknown else f"{attr} of {moved}"


def _is_set(raw) -> bool:
    return isinstance(raw, str) and raw.startswith("${") and ("toset(" in raw or "var.regions" in raw)


def _text(value) -> str:
    return value if isinstance(value, str) else plain(value)


def resource_instances(tree: Tree, moves, steady: set[str] = frozenset()) -> dict[str, tuple[Block, object]]:
    """Every resource instance whose keys are known: address (after the moves) -> (block, key); none of the roots in
    ``steady`` (tree.steady_roots: nothing an argument's value is made of differs there, so nothing is replaced)."""
    out = {}
    for block in tree.blocks.values():
        if block.mode != "resource" or block.instances.kind == "unknown" or root_of(block.module) in steady:
            continue
        keys = [None] if block.instances.kind == "single" else list(block.instances.keys)
        for key in keys:
            address = block.address if key is None else instance_address(block.address, key)
            out[apply_moves(address, moves)] = (block, key)
    return out


def replaced(old: Tree, new: Tree, moves, *, skip_unchanged: bool = True) -> tuple[Replacement, ...]:
    """What Terraform replaces, instance by instance and argument by argument (sorted). ``old`` is the tree as it is
    (not normalized): its references keep the old names; ``moves`` carry its addresses to the new tree's. The
    instances of a block that nothing it is made of changed in (unchanged_blocks.py) are not resolved, unless
    ``skip_unchanged`` is off (the tests compare the two)."""
    before, after = resource_instances(old, moves, new.steady), resource_instances(new, (), new.steady)
    unknown = set(after) - set(before)
    found: dict[tuple[str, str], Replacement] = {}
    unchanged = UnchangedBlocks(old, new) if skip_unchanged and not moves else None
    for _ in range(_MAX_DEPTH):
        old_values, new_values = Resolver(old, moves, set()), Resolver(new, (), unknown)
        for address in sorted(set(before) & set(after)):
            (old_block, old_key), (new_block, new_key) = before[address], after[address]
            if unchanged is not None and unchanged.unchanged(old_block, new_block):
                continue  # resolves to the same values in both trees
            for argument in replacing_arguments(new_block.type):
                if argument == "region" and "region" not in old_block.body and "region" not in new_block.body:
                    continue
                was, now = old_values.argument(old_block, old_key, argument), new_values.argument(new_block, new_key, argument)
                if was != now and (address, argument) not in found:
                    found[(address, argument)] = Replacement(address, argument, _shown(was), _shown(now))
        grown = {address for address, _ in found} - unknown
        if not grown:
            break
        unknown |= grown
    return tuple(found[k] for k in sorted(found))


def _shown(value) -> str:
    return "none" if value is None else _text(value)
