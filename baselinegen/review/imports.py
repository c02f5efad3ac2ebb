"""The review's import lines: ``import`` blocks of each root's ``imports.tf`` that a regeneration adds (the resource
is adopted: imported, not created) or removes (nothing changes in AWS: the resource stays, and in the state).
The generated files hold one ``import { to = ... id = ... }`` block each, as templates/root/imports.tf.j2 writes.

An adopted resource's line lists the settings the same apply brings it to: the literal arguments of its block in the
new tree (and, for a GuardDuty detector, the protection plans its module sets on it). The review cannot know the
resource's current values in AWS: these are the profile's, which the plan enforces; those that differ show in the
plan as changes of the imported resource.

A renamed account (``accounts[].renamed_from``, W430) is no adoption: its own root's import blocks move with its root
(``roots``, review/account_renames.py: the same blocks under the new folder say nothing), and the import block a shared
root keys by the account's name (the placement, organization/account_renames.py) follows the name next to a moved
block: one line says the resource keeps its place, through the moved block."""

from __future__ import annotations

import posixpath
import re

from .names import type_name
from .tree import Tree
from .values import flatten, plain

FILE = "imports.tf"
_TO = re.compile(r'^import \{\n  to = (\S+)\n', re.M)
_BLOCK = re.compile(r'^import \{\n  to = (\S+)\n  id = "([^"\n]*)"\n', re.M)
_NAMED = re.compile(r'\.(?:aws_accessanalyzer_analyzer|aws_config_configuration_recorder|aws_config_delivery_channel)'
                    r'\.this\["[^"]+"\]$|\.aws_cloudtrail\.this$|\.aws_config_configuration_aggregator\.organization$')
_ADDRESS = re.compile(r'(?:^|\.)(aws_[a-z0-9_]+)\.[\w-]+(?:\["([^"]+)"\])?$')
_KEY = re.compile(r'\["([^"]+)"\]$')
_IS_REGION = re.compile(r'\$\{each\.value == "([^"]+)"\}')
_LOCAL = re.compile(r'\$\{local\.(\w+)\}')
# Arguments that place or wire a resource rather than set it, and the names it is imported by.
_PLUMBING = ("for_each", "count", "region", "depends_on", "lifecycle", "provider", "tags", "tags_all", "name", "analyzer_name")
_MOST = 12  # settings listed per line; the rest are counted


def _targets(files: dict[str, str]) -> set[tuple[str, str]]:
    """(root folder, address) of every import block."""
    return {(posixpath.dirname(path), to) for path, text in files.items()
            if posixpath.basename(path) == FILE for to in _TO.findall(text)}


def _what(root: str, address: str) -> str:
    match = _ADDRESS.search(address)
    kind = type_name(match[1]) if match else "resource"
    where = f" in {match[2]}" if match and match[2] and re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", match[2]) else ""
    account = f"{root}: " if root else ""
    return f"{account}{kind[:1].upper()}{kind[1:]}{where}"


def _named(files: dict[str, str]) -> dict[tuple[str, str], str]:
    """(root folder, address) -> the existing name an import block of an analyzer, a trail, a Config recorder, delivery
    channel or organisation aggregator adopted (adopt ``name`` / ``delivery_channel``)."""
    found = {}
    for path, text in files.items():
        if posixpath.basename(path) == FILE:
            for to, id_ in _BLOCK.findall(text):
                if _NAMED.search(to) and not id_.startswith("default@"):
                    found[(posixpath.dirname(path), to)] = id_.rsplit("/", 1)[-1].split("@", 1)[0]
    return found


def _renamed(old_root: str, root: str, to: str, name: str, old: dict[str, str], new: dict[str, str]) -> bool:
    """Whether the resource an adopt entry named loses that name in the new render (its name forces a replacement):
    the name the old render wrote (root ``analyzer_names``, the trail module) is nowhere in the new one. ``old_root``:
    the root's folder in the old tree (another for a renamed account)."""
    quoted = f'"{name}"'
    module_file = ("modules/cloudtrail/main.tf" if to.endswith(".aws_cloudtrail.this") else
                   "modules/detection/organization.tf" if to.endswith(".aws_config_configuration_aggregator.organization") else None)
    if module_file:  # the trail's and the organisation aggregator's names are written in their module
        return any(quoted in old[p] and quoted not in new.get(p, "") for p in old if p.endswith(module_file))
    # analyzer_names, recorder_names, delivery_channel_names
    return quoted in old.get(posixpath.join(old_root, "main.tf"), "") and quoted not in new.get(posixpath.join(root, "main.tf"), "")


def _value(value, key: str | None, local: dict):
    """A literal argument as the plan sets it in instance ``key``; None for an expression only known in AWS or at plan
    time; ``each.value == "<region>"`` is decided by the instance's Region, ``local.<name>`` by a literal local."""
    if isinstance(value, str):
        match = _IS_REGION.fullmatch(value)
        if match and key:
            return "true" if match[1] == key else "false"
        match = _LOCAL.fullmatch(value)
        if match and isinstance(local.get(match[1]), (str, int, bool)) and "${" not in str(local[match[1]]):
            return plain(local[match[1]])
        if "${" in value:
            return None
    return plain(value)


def _features(tree: Tree, module: str, local: dict) -> list[str]:
    """A GuardDuty detector's protection plans as its module sets them (locals.guardduty_features and the feature
    blocks with a literal name), by status."""
    features = local.get("guardduty_features")
    pairs = [(plain(n), plain(v)) for n, v in (features.items() if isinstance(features, dict) else ())]
    pairs += [(plain(b.body["name"]), plain(b.body["status"])) for b in tree.of_type("aws_guardduty_detector_feature").values()
              if b.module == module and "${" not in str(b.body.get("name", "${")) + str(b.body.get("status", "${"))]
    by_status: dict[str, list[str]] = {}
    for name, status in pairs:
        by_status.setdefault(status.lower(), []).append(name)
    ordered = sorted(by_status.items(), key=lambda item: item[0] != "enabled")  # enabled first
    return [f"protection plans {status}: {', '.join(names)}" for status, names in ordered]


def settings(tree: Tree | None, root: str, to: str) -> list[str]:
    """The settings the plan brings the resource imported to ``to`` (in root folder ``root``) to, in block order."""
    key = _KEY.search(to)
    address = (f"{root}:" if root else "") + (to[:key.start()] if key else to)
    block = tree.blocks.get(address) if tree else None
    if block is None:
        return []
    instance = tree.modules.get(block.module)
    local = instance.locals if instance else {}
    found = []
    for path, value in flatten({k: v for k, v in block.body.items() if k not in _PLUMBING}).items():
        shown = _value(value, key[1] if key else None, local)
        if shown is not None:
            found.append(f"{path} {shown}")
    if block.type == "aws_guardduty_detector":
        found += _features(tree, block.module, local)
    return found


def _brought(tree: Tree | None, root: str, to: str) -> str:
    found = settings(tree, root, to)
    if not found:
        return "its settings are brought to the profile by the same apply"
    listed = ", ".join(found[:_MOST]) + (f" and {len(found) - _MOST} more" if len(found) > _MOST else "")
    return (f"settings brought to the profile by the same apply: {listed} (the profile's values: the review cannot see the "
            "current ones in AWS; the plan shows those that differ as changes)")


def _rerooted(targets: set[tuple[str, str]], roots: tuple[tuple[str, str], ...]) -> set[tuple[str, str]]:
    """``targets`` with each renamed account root's folder (``accounts/old/``) read as its new one."""
    folders = {source.rstrip("/"): target.rstrip("/") for source, target in roots}
    return {(folders.get(root, root), to) for root, to in targets}


def _follows(before: set, after: set, new_tree: Tree | None) -> list[tuple[str, str, str]]:
    """(root, former address, new address) of each import block that a moved block of the new tree carries to its new
    key (a renamed account's key in a shared root)."""
    moved = dict(new_tree.moved) if new_tree else {}
    prefix = lambda root: f"{root}:" if root else ""  # noqa: E731
    return [(root, to, moved[prefix(root) + to][len(prefix(root)):]) for root, to in sorted(before - after)
            if prefix(root) + to in moved and moved[prefix(root) + to].startswith(prefix(root))
            and (root, moved[prefix(root) + to][len(prefix(root)):]) in after - before]


def _followed(root: str, source: str, target: str) -> str:
    old_key, new_key = _KEY.search(source), _KEY.search(target)
    what = (f"{_what(root, target)} {old_key[1]} renamed to {new_key[1]}" if old_key and new_key
            else f"{_what(root, target)} moved")
    return (f"{what}: keeps its place, through the moved block (`{source}` → `{target}`): nothing is created or "
            "destroyed; its import block follows the new name and imports the resource only if no apply has imported "
            "it yet")


def import_lines(old: dict[str, str], new: dict[str, str], new_tree: Tree | None = None,
                 roots: tuple[tuple[str, str], ...] = ()) -> tuple[str, ...]:
    """One line per import block added or removed, added first, each sorted by root and address; then one line per
    import block a moved block carries to a renamed account's new key. ``new_tree``: the new tree indexed
    (review/tree.py), which gives each adopted resource's settings and the moved blocks; ``roots``: the renamed
    account roots (old folder/, new folder/), whose import blocks move with them."""
    before, after = _rerooted(_targets(old), roots), _targets(new)
    follows = _follows(before, after, new_tree)
    before -= {(root, source) for root, source, _ in follows}
    after -= {(root, target) for root, _, target in follows}
    added = [f"{_what(root, to)}: adopted (imported, not created; `{to}`); {_brought(new_tree, root, to)}; the import "
             "block is safe to remove after that first apply (before it, Terraform would create the resource again)"
             for root, to in sorted(after - before)]
    folders = {source.rstrip("/"): target.rstrip("/") for source, target in roots}
    back = {target: source for source, target in folders.items()}
    named = {(folders.get(root, root), to): name for (root, to), name in _named(old).items()}
    removed = [f"{_what(root, to)}: import block removed with the adopt entry that named it `{named[(root, to)]}`: the "
               f"baseline's name comes back, and a new name replaces the resource (`{to}`); keep the entry"
               f"{' (or logging.cloudtrail.name)' if to.endswith('.aws_cloudtrail.this') else ''} to keep the name (weaker)"
               if (root, to) in named and _renamed(back.get(root, root), root, to, named[(root, to)], old, new) else
               f"{_what(root, to)}: import block removed: nothing changes in AWS (`{to}`; Terraform keeps managing it "
               "once an apply imported it)" for root, to in sorted(before - after)]
    return tuple(added + removed + [_followed(*follow) for follow in follows])
