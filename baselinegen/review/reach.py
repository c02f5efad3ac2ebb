"""Who can now do what, where: job functions' reach into accounts, said once per account and direction for every job
function at once. One rule, from two readings of the same fact:

- the assume-role policies of the identity account's groups: a group's policy lists the ARN of its role in every
  account it reaches, so adding an account adds one ARN to every group's list;
- the ``job_roles`` module of each account root: a role without ``count`` is in the account; a role counted by
  ``contains(var.reached_job_functions, "<Group>")`` is there when the root passes the group's name;
- in Identity Center mode, the permission sets' account assignments (``aws_ssoadmin_account_assignment``): "job
  functions Administrators, IAMAdmins can now use their permission set in account …", one line per account.

Both are merged per account and direction: the reviewer reads "every job function, Administrators included, can now
assume its role in account 666666666666 (payments-dev) (weaker)", not one ``statement … changed: resources`` line per
group nor one role line per account. The lines explain what restates them: the statement's resources
(``Context.explain``; ``explained_by_reach`` for the IAM lines), the roles, their attachments and the module input.
An account root added or removed is review/accounts.py's line; its reach still reads here from the identity account.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..components.iam.reach import REACH_INPUT
from ..components.iam.review_model import IamSide
from .context import Context, area_of
from .direction import set_verdict
from .policies import document
from .regions import root_of
from .values import plain, scalars

_ROLE_ARN = re.compile(r"^arn:[^:]*:iam::(\d{12}):role/(?:[^/]+/)*[^/]+$")
_ACCOUNT_IDS = re.compile(r'allowed_account_ids\s*=\s*\[\s*"(\d{12})"\s*\]')
_COUNTED = re.compile(r'^\$\{contains\(var\.' + REACH_INPUT + r', "([^"]+)"\) \? 1 : 0\}$')
ROLES_AREA = "job_roles"


def account_names(ctx: Context) -> dict[str, str]:
    """Account id -> account name, from every account root's provider (``accounts/<name>/providers.tf``), both trees."""
    found = ctx.memo.get("account names")
    if found is None:
        found = ctx.memo["account names"] = {}
        for tree in (ctx.old, ctx.new):
            for path, text in tree.texts.items():
                parts = path.split("/")
                if len(parts) == 3 and parts[0] == "accounts" and parts[2] == "providers.tf":
                    for account_id in _ACCOUNT_IDS.findall(text):
                        found.setdefault(account_id, parts[1])
    return found


def account_words(ctx: Context, account_id: str) -> str:
    name = account_names(ctx).get(account_id)
    return f"account {account_id} ({name})" if name else f"account {account_id}"


def _reach(body: dict | None) -> dict[str, set[str]]:
    """sid -> the accounts an ``sts:AssumeRole`` statement's role ARNs are in."""
    out = {}
    for i, raw in enumerate((body or {}).get("statement", [])):
        sid = plain(raw["sid"]) if "sid" in raw else f"#{i + 1}"
        if plain(raw.get("effect", '"Allow"')) != "Allow" or "sts:AssumeRole" not in (scalars(raw.get("actions")) or []):
            continue
        arns = scalars(raw.get("resources")) or []
        matches = [_ROLE_ARN.match(arn) for arn in arns]
        if matches and all(matches):  # role ARNs only: the accounts are the statement's whole reach
            out[sid] = {m.group(1) for m in matches}
    return out


class _Changes:
    """(account id, gained) -> job functions (group names), and the addresses that say so."""

    def __init__(self):
        self.groups: dict[tuple[str, bool], set[str]] = defaultdict(set)
        self.addresses: dict[tuple[str, bool], list[str]] = defaultdict(list)
        self.every: set[str] = set()  # the job functions with an assume-role policy
        self.administrators: set[str] = set()

    def add(self, account: str, gained: bool, groups, address: str) -> None:
        self.groups[(account, gained)].update(groups)
        if address not in self.addresses[(account, gained)]:
            self.addresses[(account, gained)].append(address)


def _from_policies(ctx: Context, changes: _Changes) -> None:
    old, new = IamSide(ctx, "old"), IamSide(ctx, "new")
    for address in sorted(set(old.policies) & set(new.policies)):
        groups = sorted(new.principal_name(p) for p in new.attached_to.get(address, ()) if p in new.groups)
        if not groups:
            continue
        doc_old, body_old = document(ctx, "old", old.policies[address])
        doc_new, body_new = document(ctx, "new", new.policies[address])
        a, b = _reach(body_old), _reach(body_new)
        if not b:
            continue
        changes.every.update(groups)
        changes.administrators.update(g for g in groups if new.duties.get(g) == "administrator")
        for sid in set(a) & set(b):
            if a[sid] == b[sid]:
                continue
            if doc_new:
                ctx.explain(doc_new, sid, "resources")
            for account in b[sid] - a[sid]:
                changes.add(account, True, groups, address)
            for account in a[sid] - b[sid]:
                changes.add(account, False, groups, address)


def _group_of(role_name: str, groups: list[str]) -> str:
    """The group of a role ``<org>-<Group>``: the longest group name it ends with."""
    found = [g for g in groups if role_name.endswith("-" + g)]
    return max(found, key=len) if found else role_name


def _presence(ctx: Context, side: str) -> dict[tuple[str, str], set[str]]:
    """(group, role block address relative to its root) -> the account ids whose root (in both trees) holds the role."""
    groups = [plain(b.body.get("name")) for b in ctx.of_type(side, "aws_iam_group").values()]
    tree = ctx.old if side == "old" else ctx.new
    out: dict[tuple[str, str], set[str]] = {}
    for address, block in ctx.of_type(side, "aws_iam_role").items():
        root = root_of(block.module)
        if area_of(block.module) != ROLES_AREA or not root.startswith("accounts/"):
            continue
        key = (_group_of(plain(block.body.get("name")), groups), address[len(root):])
        here = out.setdefault(key, set())
        counted = _COUNTED.match(block.body.get("count")) if isinstance(block.body.get("count"), str) else None
        module = tree.modules.get(block.module)
        if counted and counted.group(1) not in (scalars(((module.call or {}) if module else {}).get(REACH_INPUT)) or []):
            continue
        if root in ctx.old.modules and root in ctx.new.modules:  # an account added or removed: review/accounts.py
            ids = scalars((tree.modules[root].providers.get("aws") or {}).get("allowed_account_ids")) or []
            here.update(ids[:1])
    return out


def _from_roles(ctx: Context, changes: _Changes) -> None:
    old, new = _presence(ctx, "old"), _presence(ctx, "new")
    for key in sorted(set(old) & set(new)):
        group, relative = key
        for accounts, gained in ((new[key] - old[key], True), (old[key] - new[key], False)):
            for account in sorted(accounts):
                root = f"accounts/{account_names(ctx).get(account, '?')}:"
                changes.add(account, gained, [group], root + relative)
        _cover_roles(ctx, relative)


def _cover_roles(ctx: Context, relative: str) -> None:
    """The role, its attachments and the module input in every account: the reach lines say what they change."""
    attachment = relative.replace(".aws_iam_role.", ".aws_iam_role_policy_attachment.")
    for tree in (ctx.old, ctx.new):
        for root in [p for p in tree.modules if p.startswith("accounts/") and p.endswith(":")]:
            for address in (root + relative, root + attachment):
                if address in ctx.old.blocks and address in ctx.new.blocks:
                    ctx.cover_block_and_instances(address)
    ctx.changes[:] = [c for c in ctx.changes
                      if not (c.area == ROLES_AREA and f"module `{ROLES_AREA}` input `{REACH_INPUT}`" in c.text)]


def _from_permission_sets(ctx: Context, changes: _Changes) -> None:
    """Identity Center: the accounts each permission set (named as its job function) is assigned in."""
    for address, before, after in ctx.pairs("aws_ssoadmin_permission_set"):
        if after is not None:
            changes.every.add(plain(after.body.get("name")))
        if before is None or after is None:
            continue  # a permission set added or removed: its own line names its accounts
        targets = [_assignments(ctx, side, address) for side in ("old", "new")]
        name = plain(after.body.get("name"))
        for accounts, gained in ((targets[1] - targets[0], True), (targets[0] - targets[1], False)):
            for account in sorted(accounts):
                changes.add(account, gained, [name], address.replace(".aws_ssoadmin_permission_set.", ".aws_ssoadmin_account_assignment."))


def _assignments(ctx: Context, side: str, address: str) -> set[str]:
    block = ctx.block(side, address.replace(".aws_ssoadmin_permission_set.", ".aws_ssoadmin_account_assignment."))
    each = block.body.get("for_each") if block is not None else None
    return {plain(v) for k, v in each.items() if k != "__is_block__"} if isinstance(each, dict) else set()


def reach_rules(ctx: Context) -> None:
    roles, sets = _Changes(), _Changes()
    _from_policies(ctx, roles)
    _from_roles(ctx, roles)
    _from_permission_sets(ctx, sets)
    groups = IamSide(ctx, "new").groups
    area = area_of(next(iter(groups.values())).module) if groups else ROLES_AREA
    for changes, what, where in ((roles, "role", area), (sets, "permission set", "identity_center")):
        for gained in (True, False):
            for account in sorted(a for a, g in changes.groups if g == gained):
                who = sorted(changes.groups[(account, gained)])
                words = set_verdict("job_function.reach", who if gained else (), () if gained else who)
                them = "its" if len(who) == 1 or set(who) == changes.every else "their"
                verb = ("assume" if what == "role" else "use")
                ctx.add(where, "added" if gained else "removed",
                        f"{_who(who, changes.every, changes.administrators)} {'now' if gained else 'no longer'} {verb} {them} "
                        f"{what} in {account_words(ctx, account)}{words}", changes.addresses[(account, gained)])


def _who(groups: list[str], every: set[str], administrators: set[str]) -> str:
    if set(groups) == every and len(groups) > 1:
        included = sorted(administrators & set(groups))
        return "every job function" + (f", {', '.join(included)} included," if included else "") + " can"
    if len(groups) == 1:
        return f"job function {groups[0]} can"
    return f"job functions {', '.join(groups)} can"


def explained_by_reach(title: str, phrase: str) -> bool:
    """A group's assume-role policy whose role ARNs (resources) or description changed: the reach lines say it."""
    return title.endswith("-assume-role`") and (phrase.endswith("changed: resources") or phrase == "description changed")
