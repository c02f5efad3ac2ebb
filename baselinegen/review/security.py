"""The security summary: the specific rules first, each covering what it explains, then the generic lines."""

from __future__ import annotations

from dataclasses import replace

from .accounts import account_rules
from .blocks import block_rules
from .context import Context, area_of, is_root
from .entities import entity_rules
from .fanout import account_ids, fan_out
from .fallback import fallback_rules
from .guardrails import guardrail_rules
from ..components.iam.review import iam_rules
from ..components.kms.review import kms_rules
from ..components.ci.review import ci_rules
from ..components.cloudtrail.review import document_rules, logging_rules
from ..components.governance.review import organization_rules
from ..components.detection.review import security_hub_rules
from ..components.control_tower_review import control_tower_rules
from .alike import Alike
from .model import Change
from .reach import reach_rules
from .regions import root_of, root_rules
from .services import service_rules
from .tree import Tree

# Order matters: a rule leaves alone what an earlier rule covered (module lines before IAM lines, ...).
RULES = (account_rules, root_rules, control_tower_rules, service_rules, reach_rules, iam_rules, ci_rules, kms_rules, logging_rules, organization_rules,
         guardrail_rules, security_hub_rules, entity_rules, block_rules, document_rules, fallback_rules)


def summarize(old: Tree, new: Tree, moves=(), alike: Alike | None = None, accounts: set[str] | None = None) -> tuple[Change, ...]:
    """Every security-relevant change, grouped by area (Regions, then the modules in the root's order).
    ``old`` has its resources under their moved addresses already (destroys.normalized); ``alike``: the roots the
    trees leave out, said like their representatives (review/alike.py); ``accounts``: the names of every account root
    of both trees (default: those the trees indexed), which "every account" means."""
    ctx = Context(old, new, moves)
    for number, rule in enumerate(RULES):
        ctx.rule = number
        rule(ctx)
    found = [(change, ctx.rule_of.get(id(change), len(RULES))) for change in ctx.changes]  # with the rule that found it
    if alike is not None and alike.members:
        found = alike.expand_changes(found)
    rank: dict[str, int] = {"accounts": 0, "regions": 1}
    for area in _module_order((new, old)):
        rank.setdefault(area, len(rank))
    rank.setdefault("root", len(rank))
    merged: dict[tuple[str, str], Change] = {}
    # by area, then rule, then the root the line is about: one order whichever roots a review indexed (review/alike.py)
    for change, _ in sorted(found, key=lambda item: (rank.get(item[0].area, len(rank)), item[1], _root(item[0]))):
        same = merged.get((change.area, change.text))
        merged[(change.area, change.text)] = change if same is None else replace(
            same, addresses=same.addresses + tuple(a for a in change.addresses if a not in same.addresses))
    every = accounts if accounts is not None else every_account(old, new)
    return fan_out(tuple(merged.values()), every, account_ids((old, new)))


def _root(change: Change) -> str:
    """The configuration root of a line's first address (``accounts/x:``; "" for the output root or none)."""
    return root_of(change.addresses[0]) if change.addresses else ""


def every_account(*trees: Tree) -> set[str]:
    """The names of the account roots (``accounts/<name>/``) of the trees."""
    return {m[len("accounts/"):].partition(":")[0] for tree in trees for m in tree.modules if m.startswith("accounts/")}


def _module_order(trees) -> list[str]:
    """The modules' areas in the order the roots call them (each root's calls follow one order), the new tree's first,
    then those only the old tree has; merged per tree, ties by name, so that the result does not depend on which
    roots a review indexed."""
    order: list[str] = []
    for tree in trees:
        after: dict[str, set[str]] = {}
        by_root: dict[str, list[str]] = {}
        for prefix in tree.modules:
            if not is_root(prefix):
                by_root.setdefault(prefix.rpartition(":")[0], []).append(area_of(prefix))
        for areas in by_root.values():
            for i, area in enumerate(areas):
                after.setdefault(area, set()).update(areas[:i])
        todo = [a for a in after if a not in order]
        placed = set(order)
        while todo:
            ready = [a for a in todo if after[a] <= placed | set(order)] or todo
            pick = min(ready)
            order.append(pick)
            todo.remove(pick)
    return order

