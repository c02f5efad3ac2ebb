"""Both trees parsed with python-hcl2 and indexed by Terraform address.

A configuration root is a folder with ``.tf`` files that no ``module`` block uses as its source (the output
root; ``accounts/<name>/`` in a multi-account layout). Each module call is followed, so a block's address
is the one Terraform uses (``module.iam.aws_iam_group.admins``); addresses in a root other than the output
root are prefixed with its folder (``accounts/prod:module.iam...``).
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from ..validate.hclcheck import blocks, parse_paths, unquote
from .instances import UNKNOWN, Instances, KeyEvaluator, expression

_MAX_MODULE_DEPTH = 8


def join(prefix: str, rest: str) -> str:
    return rest if not prefix else (prefix + rest if prefix.endswith(":") else f"{prefix}.{rest}")


def instance_address(address: str, key) -> str:
    return f"{address}[{key}]" if isinstance(key, int) else f'{address}["{key}"]'


@dataclass(frozen=True)
class Block:
    """A ``resource`` or ``data`` block of one module instance."""

    module: str  # "" (the output root), "module.iam", "accounts/prod:module.iam", ...
    mode: str  # "resource" | "data"
    type: str
    name: str
    body: dict
    path: str
    instances: Instances

    @property
    def address(self) -> str:
        return join(self.module, ("data." if self.mode == "data" else "") + f"{self.type}.{self.name}")

    def instance_addresses(self, address: str | None = None) -> tuple[str, ...] | None:
        """Every instance's address (under ``address`` if given); None when the keys are unknown."""
        base = address or self.address
        if self.instances.kind == "single":
            return (base,)
        if self.instances.kind == "unknown":
            return None
        return tuple(instance_address(base, k) for k in self.instances.keys)


@dataclass
class ModuleInstance:
    prefix: str
    directory: str
    call: dict | None  # the module block in the parent; None for a configuration root
    regions: tuple[str, ...] | None
    locals: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)
    providers: dict = field(default_factory=dict)  # "aws" / "aws.<alias>" -> body


@dataclass
class Tree:
    blocks: dict[str, Block] = field(default_factory=dict)
    modules: dict[str, ModuleInstance] = field(default_factory=dict)
    moved: list[tuple[str, str]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    steady: set[str] = field(default_factory=set)  # roots whose resources, calls and modules are as in the other tree

    _by_type: tuple = field(default=(-1, None), init=False, repr=False, compare=False)  # (number of blocks, index)

    def of_type(self, type_: str, mode: str = "resource") -> dict[str, Block]:
        """The blocks of one type. Every type is indexed in one pass, again only when the number of blocks changed
        (they are all added before anything asks); do not change the dict returned."""
        count, index = self._by_type
        if count != len(self.blocks):
            index = {}
            for address, block in self.blocks.items():
                index.setdefault((block.type, block.mode), {})[address] = block
            self._by_type = (len(self.blocks), index)
        return index.get((type_, mode), {})

    def module_texts(self, prefix: str) -> list[str]:
        module = self.modules.get(prefix)
        if module is None:
            return []
        return [t for p, t in sorted(self.texts.items()) if posixpath.dirname(p) == module.directory and p.endswith(".tf")]


def parse_trees(trees: list[dict[str, str]]) -> list[tuple[dict[str, dict], list[str]]]:
    """Parse the ``.tf`` files of several trees; each distinct text (or account root shape) is parsed once (and
    cached, see validate.parse_cache)."""
    out = []
    for results in parse_paths([{path: text for path, text in files.items() if path.endswith(".tf")} for files in trees]):
        docs, problems = {}, []
        for path, result in results.items():
            if isinstance(result, dict):
                docs[path] = result
            else:
                problems.append(f"{path}: does not parse ({result})")
        out.append((docs, problems))
    return out


def keeps_every_address(old: dict[str, str], new: dict[str, str], folder: str) -> bool:
    """Whether every address ``folder``'s ``.tf`` files declare in ``old`` is still declared in ``new``: both parse,
    every resource and data block is still there with at least its instance keys (evaluated as the review evaluates
    them, with the same stand-in for the Regions a caller passes), and the module calls (sources, the Regions they
    pass) and the moved blocks are the same. A change that keeps them, whatever it adds or changes besides, cannot
    make Terraform destroy anything there."""
    shapes = []
    for files in (old, new):
        texts = {path: text for path, text in files.items() if path.endswith(".tf") and posixpath.dirname(path) == folder}
        [(docs, failures)] = parse_trees([texts])
        if failures:
            return False
        shapes.append(_folder_shape(folder, docs))
    (old_blocks, old_calls, old_moved), (new_blocks, new_calls, new_moved) = shapes
    return old_calls == new_calls and old_moved == new_moved and all(
        address in new_blocks and _kept(instances, new_blocks[address]) for address, instances in old_blocks.items())


def _kept(old: Instances, new: Instances) -> bool:
    if "unknown" in (old.kind, new.kind):
        return True  # compared as a whole resource: it is still declared
    if old.kind != new.kind:
        return False
    return old.kind == "single" or set(old.keys) <= set(new.keys)


_STAND_IN_REGIONS = ("\0region-1", "\0region-2")  # no Region (no HCL string) holds a NUL


def _folder_shape(folder: str, docs: dict[str, dict]) -> tuple[dict[str, Instances], list, list]:
    tree = Tree()
    _instantiate(tree, {folder: sorted(docs.items())}, folder, "", None, _STAND_IN_REGIONS, 0)
    evaluator = KeyEvaluator(tree.modules[""].locals, _STAND_IN_REGIONS, lambda ref: UNKNOWN)
    calls = sorted((name, repr(body.get("source")), repr(evaluator.convert(body["regions"])) if "regions" in body else "")
                   for doc in docs.values() for name, _, body in blocks(doc, "module"))
    return {address: b.instances for address, b in tree.blocks.items()}, calls, sorted(tree.moved)


@dataclass(frozen=True)
class Layout:
    """The folders of one parsed tree (folder -> its files, sorted) and the folders each one's module blocks use
    as their source."""

    by_dir: dict[str, list[tuple[str, dict]]]
    calls: dict[str, set[str]]


def layout(docs: dict[str, dict], like: Layout | None = None) -> Layout:
    """``like``: the layout of another tree; a folder whose parsed files are the very same objects there (an
    unchanged folder: see parse_cache) takes its calls from it instead of reading its module blocks again."""
    by_dir: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for path, doc in sorted(docs.items()):
        by_dir[posixpath.dirname(path)].append((path, doc))
    calls = {}
    for directory, entries in by_dir.items():
        other = like.by_dir.get(directory) if like is not None else None
        if other is not None and len(other) == len(entries) and all(
                a[0] == b[0] and a[1] is b[1] for a, b in zip(other, entries)):
            calls[directory] = like.calls[directory]
        else:
            calls[directory] = {target for _, doc in entries for _n, _, body in blocks(doc, "module")
                                if (target := _module_dir(directory, body)) is not None}
    return Layout(dict(by_dir), calls)


def configuration_roots(tree_layout: Layout) -> dict[str, set[str]]:
    """Each configuration root -> every folder its module calls reach (the root included)."""
    calls = tree_layout.calls
    used = set().union(*calls.values()) if calls else set()
    roots = {}
    for root in sorted(set(calls) - used):
        reached, todo = {root}, [root]
        while todo:
            for target in calls.get(todo.pop(), ()):
                if target not in reached:
                    reached.add(target)
                    todo.append(target)
        roots[root] = reached
    return roots


_OUTSIDE_RESOURCES = ("provider", "terraform")  # what a root may change and keep every argument of its resources


def steady_roots(old: Layout, new: Layout, old_roots: dict[str, set[str]], new_roots: dict[str, set[str]],
                 changed: set[str]) -> set[str]:
    """The configuration roots (their address prefixes: ``accounts/x:``) in both trees whose own folder changed only in
    ``provider`` and ``terraform`` blocks (default tags, the role Terraform assumes, the backend) and whose modules did
    not change: every resource, module call, local, output and moved block they hold is the same in both trees."""
    steady = set()
    for root, reached in new_roots.items():
        if root == "" or old_roots.get(root) != reached or (reached - {root}) & changed:
            continue
        before, after = old.by_dir.get(root, []), new.by_dir.get(root, [])
        if [p for p, _ in before] == [p for p, _ in after] and all(
                a is b or _without(a, _OUTSIDE_RESOURCES) == _without(b, _OUTSIDE_RESOURCES) for (_, a), (_, b) in zip(before, after)):
            steady.add(f"{root}:")
    return steady


def _without(doc: dict, keys: tuple[str, ...]) -> dict:
    return {k: v for k, v in doc.items() if k not in keys}


def index_tree(files: dict[str, str], tree_layout: Layout, failures: list[str], roots: set[str] | None = None,
               shallow: set[str] = frozenset()) -> Tree:
    """The tree of every configuration root (of ``roots`` only, when given); of the roots in ``shallow`` only their
    own folder (steady_roots: what their module calls reach is the same in the tree a review compares this one with,
    and adds nothing to the comparison)."""
    tree = Tree(texts=dict(files), failures=list(failures))
    by_dir = tree_layout.by_dir
    used = set().union(*tree_layout.calls.values()) if by_dir else set()
    for directory in sorted(by_dir):
        if directory not in used and (roots is None or directory in roots):
            depth = _MAX_MODULE_DEPTH if directory in shallow else 0
            _instantiate(tree, by_dir, directory, "" if directory == "" else f"{directory}:", None, None, depth)
    return tree


def _module_dir(directory: str, body: dict) -> str | None:
    """The folder a module block in ``directory`` uses as its source (None: not a folder of the tree)."""
    source = unquote(body.get("source"))
    return _source_dir(directory, source) if isinstance(source, str) else None


@lru_cache(maxsize=4096)
def _source_dir(directory: str, source: str) -> str | None:
    if not source.startswith(("./", "../")):
        return None
    target = posixpath.normpath(posixpath.join(directory, source))
    if target == ".." or target.startswith("../"):
        return None  # outside the tree: not ours to index
    return "" if target == "." else target


def _instantiate(tree: Tree, by_dir, directory: str, prefix: str, call: dict | None, regions, depth: int) -> None:
    entries = by_dir.get(directory, [])
    module = ModuleInstance(prefix, directory, call, regions)
    for _, doc in entries:
        for entry in doc.get("locals", []):
            module.locals.update({k: v for k, v in entry.items() if k != "__is_block__"})
        for name, _, body in blocks(doc, "output"):
            module.outputs[name] = body
        for name, _, body in blocks(doc, "provider"):
            alias = unquote(body.get("alias"))
            module.providers[f"{name}.{alias}" if isinstance(alias, str) else name] = body
    tree.modules[prefix] = module
    raw: dict[tuple[str, str, str], tuple[dict, str]] = {}
    for path, doc in entries:
        for mode in ("resource", "data"):
            for type_, name, body in blocks(doc, mode):
                raw[(mode, type_, name)] = (body, path)
        for entry in doc.get("moved", []):
            source, target = expression(entry.get("from")), expression(entry.get("to"))
            if source and target:
                tree.moved.append((join(prefix, source), join(prefix, target)))
    resolved: dict[tuple[str, str, str], Instances] = {}
    busy: set = set()

    def keys_of_block(ref: str):
        mode, _, rest = ref.partition(".") if ref.startswith("data.") else ("resource", "", ref)
        type_, _, name = rest.partition(".")
        key = (mode, type_, name)
        if key not in raw or key in busy:
            return UNKNOWN
        return instances_of(key)

    evaluator = KeyEvaluator(module.locals, regions, keys_of_block)

    def instances_of(key) -> Instances:
        if key not in resolved:
            busy.add(key)
            inner = KeyEvaluator(module.locals, regions, keys_of_block)
            resolved[key] = inner.instances(raw[key][0])
            busy.discard(key)
        return resolved[key]

    for key, (body, path) in sorted(raw.items()):
        block = Block(prefix, key[0], key[1], key[2], body, path, instances_of(key))
        tree.blocks[block.address] = block
    if depth >= _MAX_MODULE_DEPTH:
        return
    for _, doc in entries:
        for name, _, body in blocks(doc, "module"):
            target = _module_dir(directory, body)
            if target is None or target not in by_dir:
                continue
            child_regions = None
            if "regions" in body:
                value = evaluator.convert(body["regions"])
                child_regions = tuple(sorted(value)) if isinstance(value, list) and all(isinstance(v, str) for v in value) else None
            _instantiate(tree, by_dir, target, join(prefix, f"module.{name}"), body, child_regions, depth + 1)
