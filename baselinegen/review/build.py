"""The review engine behind ``baselinegen.review``: both trees indexed (only the roots a change reaches, one of each
group of alike account roots), the rules of review/security.py, the destroy list, the moves and the file diffs."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from .account_renames import renamed_root_changes, renamed_roots, rerooted
from .alike import Alike, Unlike, alike_roots
from .destroys import applicable_moves, destroyed, normalized
from .diffs import file_diffs
from ..components.state.review import state_changes
from .imports import import_lines
from .model import Review
from .replaced_lines import replacement_changes
from .replacements import replaced
from .. import file_fanout
from .fanout import account_ids, fan_out
from .security import summarize
from .verdicts import benchmark_lines, deviation_lines, warning_lines
from .tree import keeps_every_address, configuration_roots, index_tree, layout, parse_trees, steady_roots


def destroyed_between(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[str, ...]:
    """``build_review(old, new).destroyed``, without the rest of the review: nothing at all when every address a
    changed folder declared is still declared there (an attribute changed, a resource added)."""
    old, new = dict(old), dict(new)
    changed = _changed_folders(old, new)
    if not changed or all(keeps_every_address(old, new, folder) for folder in changed):
        return ()
    old_tree, new_tree, alike = _indexed(old, new, changed)
    old_tree = rerooted(old_tree, renamed_roots(old_tree, new_tree))  # a renamed account's root moves with its state
    return alike.expand_addresses(destroyed(old_tree, new_tree, list(applicable_moves(old_tree, new_tree.moved))))


def account_roots(files: dict[str, str]) -> set[str]:
    """The names of the account roots (``accounts/<name>/*.tf``) of a tree."""
    return {parts[1] for parts in (p.split("/") for p in files) if len(parts) == 3 and parts[0] == "accounts" and parts[2].endswith(".tf")}


def _changed_folders(old: dict[str, str], new: dict[str, str]) -> set[str]:
    return {posixpath.dirname(p) for p in set(old) | set(new) if p.endswith(".tf") and old.get(p) != new.get(p)}


def _indexed(old: dict[str, str], new: dict[str, str], changed: set[str] | None, group: bool = True):
    """Both trees, indexed by address, and the alike roots left out of them: every configuration root when
    ``changed`` is None, else only the roots whose module calls reach a folder in ``changed`` (and the roots only
    one tree has). Addresses, instance keys, moved blocks and references never cross roots, so every other root is
    the same in both trees and adds nothing to a comparison of them. Of a root that changed only in its provider
    and terraform blocks (tree.steady_roots: a default tag, in every account) only its own folder is indexed: what
    its modules declare is the same in both. With ``group``, of the account roots that are alike (review/alike.py)
    only one per group is indexed."""
    (old_docs, old_failures), (new_docs, new_failures) = parse_trees([old, new])
    old_layout = layout(old_docs)
    new_layout = layout(new_docs, like=old_layout)
    affected = None
    old_roots, new_roots = configuration_roots(old_layout), configuration_roots(new_layout)
    alike = Alike()
    if changed is not None:
        affected = set(old_roots) ^ set(new_roots)
        affected |= {root for roots in (old_roots, new_roots) for root, reached in roots.items() if reached & changed}
        if group:
            alike = alike_roots(old, new, old_layout, new_layout, (old_roots, new_roots), affected & set(old_roots) & set(new_roots))
            affected -= alike.skipped
    steady = steady_roots(old_layout, new_layout, old_roots, new_roots, changed) if changed is not None else set()
    shallow = {root[:-1] for root in steady}  # their modules are the same in both trees: not indexed in either
    old_tree = index_tree(old, old_layout, old_failures, affected, shallow)
    new_tree = index_tree(new, new_layout, new_failures, affected, shallow)
    new_tree.steady = steady
    return old_tree, new_tree, alike


def build_review(old: Mapping[str, str], new: Mapping[str, str], *, every_root: bool = False) -> Review:
    """Compare two whole trees (relative path -> file text). Only the configuration roots a changed ``.tf`` file
    reaches are indexed, and one of each group of alike account roots (see ``_indexed``); ``every_root`` indexes
    them all, which gives the same review, slower (the tests compare the two)."""
    old, new = dict(old), dict(new)
    files = file_diffs(old, new)
    if not files:
        return Review(summary=(), destroyed=(), moved=(), files=(), empty=True)
    verdicts = {"benchmark": benchmark_lines(old, new), "warnings": warning_lines(old, new),
                "deviations": deviation_lines(old, new), "account_ids": _account_ids(old, new)}
    if not any(f.path.endswith(".tf") for f in files):
        return Review(summary=(), destroyed=(), moved=(), files=files, empty=False, **verdicts)
    changed = None if every_root else _changed_folders(old, new)
    try:
        return _review(old, new, _indexed(old, new, changed), files, verdicts)
    except Unlike:  # a line the representatives cannot say for their groups: every root is indexed
        return _review(old, new, _indexed(old, new, changed, group=False), files, verdicts)


def _account_ids(old: dict[str, str], new: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(name, id) of every account root of the trees, the new tree's id first (file_fanout.account_ids)."""
    providers = [(path, tree[path]) for tree in (new, old) for path in tree if path.endswith("/providers.tf")]
    return tuple(sorted(file_fanout.account_ids(providers).items()))


def _review(old: dict[str, str], new: dict[str, str], indexed, files, verdicts: dict) -> Review:
    old_tree, new_tree, alike = indexed
    roots = renamed_roots(old_tree, new_tree)  # a renamed account's root moves with its state (W430)
    counted, old_tree = old_tree, rerooted(old_tree, roots)
    moves = applicable_moves(old_tree, new_tree.moved)
    notes = tuple(f"{side} tree: {failure}; the summary and the destroy list leave that file out"
                  for side, tree in (("current", old_tree), ("new", new_tree)) for failure in tree.failures)
    replacements = replaced(old_tree, new_tree, moves)
    accounts = account_roots(old) | account_roots(new)  # every account, indexed or not: what "every account" means
    return Review(
        summary=renamed_root_changes(roots, counted) + summarize(normalized(old_tree, list(moves)), new_tree, moves, alike, accounts)
        + fan_out(state_changes(old, new), accounts, account_ids((old_tree, new_tree)), name=False)
        + alike.expand_lines(replacement_changes(replacements, new_tree, moves)),
        destroyed=alike.expand_addresses(destroyed(old_tree, new_tree, list(moves))),
        moved=roots + alike.expand_moves(moves),
        files=files,
        empty=False,
        notes=notes,
        imports=import_lines(old, new, new_tree, roots),
        replaced=alike.expand_replaced(replacements),
        **verdicts,
    )
