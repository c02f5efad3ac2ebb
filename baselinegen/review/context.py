"""What the summary rules share: both trees, the lines found so far, and what those lines already explain.

A rule that explains a resource, an instance or a local ``covers`` it; the generic fallback then reports
only what no rule covered, so every change is reported once.
"""

from __future__ import annotations

from .destroys import apply_moves
from .model import Change
from .tree import Block, Tree, join


def is_root(module: str) -> bool:
    return module == "" or module.endswith(":")


def area_of(module: str) -> str:
    """``module.iam`` -> ``iam``; the root configuration -> ``root``."""
    tail = module.rpartition(":")[2]
    return tail.rpartition(".")[2] if tail else "root"


class Context:
    """``old`` has its resources under their moved addresses already; ``resolve`` does the same for the
    references its bodies hold (``aws_iam_group.x`` after ``moved { from = ...x to = ...y }``)."""

    def __init__(self, old: Tree, new: Tree, moves=()):
        self.old, self.new = old, new
        self.moves = list(moves)
        self.changes: list[Change] = []  # a rule may also take back lines an earlier rule added (it says them better)
        self.rule = 0  # the number of the rule running (review/security.py orders lines by it)
        self.rule_of: dict[int, int] = {}  # id(line) -> the number of the rule that added it
        self.blocks: set[str] = set()
        self.instances: set[str] = set()
        self.locals: set[tuple[str, str, str | None]] = set()
        self.memo: dict = {}  # what a rule works out once per review (an index over a whole tree), by the rule's key
        self.explained: dict[str, dict[str, set[str]]] = {}  # policy document -> sid -> fields an effect line said

    # ---- lines
    def add(self, area: str, action: str, text: str, addresses=()) -> None:
        change = Change(area, action, text, tuple(addresses))
        self.rule_of[id(change)] = self.rule
        self.changes.append(change)

    # ---- coverage
    def cover(self, *addresses: str) -> None:
        self.blocks.update(addresses)

    def cover_instance(self, *addresses: str) -> None:
        self.instances.update(addresses)

    def cover_local(self, module: str, name: str, entry: str | None = None) -> None:
        self.locals.add((module, name, entry))

    def covered(self, address: str) -> bool:
        return address in self.blocks

    def local_covered(self, module: str, name: str, entry: str | None = None) -> bool:
        return (module, name, None) in self.locals or (module, name, entry) in self.locals

    def explain(self, document: str, sid: str, field: str) -> None:
        """An effect line said what the change of this statement's field means: the statement lines leave it out."""
        self.explained.setdefault(document, {}).setdefault(sid, set()).add(field)

    # ---- lookups
    def resolve(self, side: str, address: str) -> str:
        return apply_moves(address, self.moves) if side == "old" and self.moves else address

    def of_type(self, side: str, type_: str, mode: str = "resource") -> dict[str, Block]:
        """Blocks of ``type_`` in one tree, leaving out modules only one tree has (their own line says it)."""
        tree = self.old if side == "old" else self.new
        return {a: b for a, b in tree.of_type(type_, mode).items() if self.module_in_both(b.module)}

    def module_in_both(self, module: str) -> bool:
        """A configuration root counts as present in both trees (only module calls get their own line)."""
        return is_root(module) or (module in self.old.modules and module in self.new.modules)

    def pairs(self, type_: str, mode: str = "resource") -> list[tuple[str, Block | None, Block | None]]:
        """(address, old block, new block) of every block of ``type_`` in either tree, by address."""
        old, new = self.of_type("old", type_, mode), self.of_type("new", type_, mode)
        return [(a, old.get(a), new.get(a)) for a in sorted(set(old) | set(new))]

    def block(self, side: str, address: str) -> Block | None:
        return (self.old if side == "old" else self.new).blocks.get(address)

    def instance_changes(self, address: str) -> tuple[list[str], list[str]]:
        """(added, removed) instance addresses of a block in both trees with known keys."""
        old, new = self.old.blocks.get(address), self.new.blocks.get(address)
        if old is None or new is None:
            return [], []
        a, b = old.instance_addresses(address), new.instance_addresses()
        if a is None or b is None:
            return [], []
        return sorted(set(b) - set(a)), sorted(set(a) - set(b))

    def cover_block_and_instances(self, address: str) -> None:
        self.cover(address)
        added, removed = self.instance_changes(address)
        self.cover_instance(*added, *removed)


def reference(value, kind: str) -> str | None:
    """The ``<kind>.<name>`` a value refers to (``${aws_kms_key.logs.arn}`` -> ``logs`` for kind aws_kms_key)."""
    if isinstance(value, str) and value.startswith("${"):
        inner = value[2:-1]
        prefix = kind + "."
        if inner.startswith(prefix):
            return inner[len(prefix):].split(".")[0].split("[")[0]
    return None


def sibling(block: Block, type_: str, name: str, mode: str = "resource") -> str:
    """The address of block ``type_.name`` in the same module as ``block``."""
    return join(block.module, ("data." if mode == "data" else "") + f"{type_}.{name}")
