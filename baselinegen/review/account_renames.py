"""A renamed account's root: ``accounts/<old>/`` leaves the tree and ``accounts/<new>/`` arrives for the same account
(the provider's ``allowed_account_ids``). W430 tells the user to move the state object with it, so Terraform plans the
new root over the old state: nothing of the account is destroyed or created again. The review pairs the two roots as
one move of a whole configuration, written with the folders (``accounts/payments-staging/``), and compares the old
root under the new root's name (``rerooted``), so the destroy and replace lists, the summary and Terraform's plan of
the new root agree. The moved blocks of the shared roots (placement, Security Hub and Inspector members) come from
organization/account_renames.py.

    renamed_roots(old_tree, new_tree)   # (("accounts/payments-staging/", "accounts/payments-test/"),)
    rerooted(old_tree, pairs)           # the old tree with accounts/payments-staging: read as accounts/payments-test:
"""

from __future__ import annotations

import dataclasses

from .model import Change
from .tree import Tree


def _account_roots(tree: Tree) -> dict[str, str]:
    """Root prefix (``accounts/x:``) -> the one account id its provider is allowed to reach."""
    out = {}
    for prefix, module in tree.modules.items():
        if module.call is not None or not prefix.endswith(":"):
            continue
        allowed = (module.providers.get("aws") or {}).get("allowed_account_ids")
        if isinstance(allowed, list) and len(allowed) == 1 and isinstance(allowed[0], str):
            out[prefix] = allowed[0].strip('"')
    return out


def renamed_roots(old: Tree, new: Tree) -> tuple[tuple[str, str], ...]:
    """(old folder/, new folder/) for each root only the old tree has whose account has a root only in the new tree."""
    before, after = _account_roots(old), _account_roots(new)
    gone = [(account, prefix) for prefix, account in before.items() if prefix not in after]
    arrived = [(account, prefix) for prefix, account in after.items() if prefix not in before]
    pairs = []
    for account, source in gone:
        targets = [prefix for a, prefix in arrived if a == account]
        if len(targets) == 1 and [a for a, _ in gone].count(account) == 1:  # one root left, one arrived: a rename
            pairs.append((source[:-1] + "/", targets[0][:-1] + "/"))
    return tuple(sorted(pairs))


def root_of(address: str) -> str:
    """``accounts/x:module.a.b`` -> ``accounts/x/``; ``""`` for the output root."""
    return address.partition(":")[0] + "/" if ":" in address.split("[", 1)[0] else ""


def renamed_root_changes(pairs: tuple[tuple[str, str], ...], old: Tree) -> tuple[Change, ...]:
    """One summary line per renamed account root, with the number of resources that move with it."""
    out = []
    for source, target in pairs:
        count = sum(1 for b in old.blocks.values() if b.mode == "resource" and root_of(b.address) == source
                    for _ in (b.instance_addresses() or (b.address,)))
        name, new_name = source.rstrip("/").rpartition("/")[2], target.rstrip("/").rpartition("/")[2]
        out.append(Change("root", "changed", f"account `{name}` renamed to `{new_name}`: its configuration moves from "
                          f"{source} to {target} with its state ({count} resources keep their place, none is destroyed "
                          f"or created again) once the state object is copied as W430 says, before the first plan of {target}",
                          (target,)))
    return tuple(out)


def _renamed(address: str, prefixes: dict[str, str]) -> str:
    head, sep, rest = address.partition(":")
    return prefixes[head + sep] + rest if sep and head + sep in prefixes else address


def rerooted(tree: Tree, pairs: tuple[tuple[str, str], ...]) -> Tree:
    """``tree`` with each renamed root's addresses and module prefixes under the new root's name (files stay where
    they are)."""
    if not pairs:
        return tree
    prefixes = {source[:-1] + ":": target[:-1] + ":" for source, target in pairs}
    blocks = {}
    for address, block in tree.blocks.items():
        blocks[_renamed(address, prefixes)] = dataclasses.replace(block, module=_renamed(block.module, prefixes))
    modules = {_renamed(prefix, prefixes): dataclasses.replace(module, prefix=_renamed(module.prefix, prefixes))
               for prefix, module in tree.modules.items()}
    moved = [(_renamed(a, prefixes), _renamed(b, prefixes)) for a, b in tree.moved]
    return dataclasses.replace(tree, blocks=blocks, modules=modules, moved=moved)


def renamed_accounts(old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """Former name -> new name of each account that appears under another name with the same id (``name -> id`` on
    each side): a rename, which moved blocks carry, not one account removed and another added."""
    gone = {account_id: name for name, account_id in old.items() if name not in new}
    return {gone[account_id]: name for name, account_id in new.items() if name not in old and account_id in gone}


def with_new_name(value, old_directory: str, new_directory: str):
    """``value`` (a parsed body) with the old root's account name written as the new one, so that what follows the
    name alone (the provider's role session name) is not reported as a change of a renamed root."""
    old, new = old_directory.rpartition("/")[2], new_directory.rpartition("/")[2]
    if isinstance(value, dict):
        return {k: with_new_name(v, old_directory, new_directory) for k, v in value.items()}
    if isinstance(value, list):
        return [with_new_name(v, old_directory, new_directory) for v in value]
    return value.replace(old, new) if isinstance(value, str) and old else value
