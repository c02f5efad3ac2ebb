"""Which resource blocks resolve to the same values in both trees, so that replacements.py need not resolve their
instances one by one (an Identity Center module assigns every group in every account: 40,000 instances at 5,000
accounts, which a new user does not touch).

A block's arguments are resolved (replacements.Resolver) from its own body, the locals it names, the variables of
its module (the call's arguments, resolved in the calling module), the outputs of the modules it names and the
bodies of the resources and data sources it names, each in turn from what they name. A block whose body and every
such definition, followed to the end, are the same in both trees resolves to the same values in both. That covers
what the trees do not hold too: a computed attribute is unknown in the new tree only for an instance Terraform
creates or replaces, and either means that something the referenced block is made of differs (its keys, its
values), which the block naming it then reaches. A reference that cannot be followed (a module missing in one
tree) or a loop makes a block count as changed. Trees with ``moved`` blocks are always resolved in full.
"""

from __future__ import annotations

from .references import REFERENCE, calling_module
from .tree import Block, Tree, join


class UnchangedBlocks:
    def __init__(self, old: Tree, new: Tree):
        self.old, self.new = old, new
        self._same: dict[tuple, bool] = {}  # (module, kind, name) -> whether it resolves alike in both trees

    def unchanged(self, old_block: Block, new_block: Block) -> bool:
        """Whether the block (at the same address in both trees) resolves to the same values in both."""
        return self._follow((new_block.module, "block", new_block.address), old_block.body, new_block.body)

    def _follow(self, key: tuple, old_raw, new_raw) -> bool:
        if key not in self._same:
            self._same[key] = False  # while it is followed: a loop counts as changed
            self._same[key] = old_raw == new_raw and all(self._step(key[0], match) for text in _strings(new_raw)
                                                         for match in REFERENCE.finditer(text))
        return self._same[key]

    def _step(self, module: str, match) -> bool:
        if match.group("each"):
            return True  # the block's own for_each: part of its body
        old, new = self.old.modules.get(module), self.new.modules.get(module)
        if old is None or new is None:
            return False
        if match.group("local"):
            name = match.group("local")
            return self._follow((module, "local", name), old.locals.get(name), new.locals.get(name))
        if match.group("var"):
            name = match.group("var")
            if old.call is None or new.call is None:
                return old.call is None and new.call is None  # a root's variable: left as written in both
            return self._follow((calling_module(module), "var", f"{module}.{name}"), old.call.get(name), new.call.get(name))
        if match.group("module"):
            child = join(module, f"module.{match.group('module')}")
            old_child, new_child = self.old.modules.get(child), self.new.modules.get(child)
            if old_child is None or new_child is None:
                return old_child is None and new_child is None  # no such module: left as written in both
            output = match.group("output")
            return self._follow((child, "output", output), old_child.outputs.get(output), new_child.outputs.get(output))
        address = join(module, match.group("res"))
        old_target, new_target = self.old.blocks.get(address), self.new.blocks.get(address)
        if old_target is None or new_target is None:
            return old_target is None and new_target is None  # not a block of the module: left as written in both
        return self._follow((module, "block", address), old_target.body, new_target.body)


def _strings(raw):
    """Every string in a parsed HCL value (the keys of maps too: a key may be an expression)."""
    if isinstance(raw, str):
        yield raw
    elif isinstance(raw, dict):
        for key, value in raw.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(raw, list):
        for item in raw:
            yield from _strings(item)
