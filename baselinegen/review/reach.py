"""Who can now do what, where: job functions' reach into accounts, read from the assume-role policies of the
identity account's groups and said once per account for every job function at once.

A group's assume-role policy lists the ARN of its role in every account it reaches. Adding an account adds one
ARN to every group's list; the reviewer reads "every job function, Administrators included, can now assume its
role in account 666666666666 (payments-dev)", not one ``statement … changed: resources`` line per group. The
statement's resources change is then marked explained (``Context.explain``) so the IAM lines leave it out.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..components.iam.review_model import IamSide
from .context import Context, area_of
from .direction import set_verdict
from .policies import document
from .values import plain, scalars

_ROLE_ARN = re.compile(r"^arn:[^:]*:iam::(\d{12}):role/(?:[^/]+/)*[^/]+$")
_ACCOUNT_IDS = re.compile(r'allowed_account_ids\s*=\s*\[\s*"(\d{12})"\s*\]')


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


def reach_rules(ctx: Context) -> None:
    old, new = IamSide(ctx, "old"), IamSide(ctx, "new")
    gained, lost = defaultdict(list), defaultdict(list)  # account id -> job functions (group names)
    every, administrators, addresses = set(), set(), defaultdict(list)
    for address in sorted(set(old.policies) & set(new.policies)):
        groups = sorted(new.principal_name(p) for p in new.attached_to.get(address, ()) if p in new.groups)
        if not groups:
            continue
        doc_old, body_old = document(ctx, "old", old.policies[address])
        doc_new, body_new = document(ctx, "new", new.policies[address])
        a, b = _reach(body_old), _reach(body_new)
        if not b:
            continue
        every.update(groups)
        administrators.update(g for g in groups if new.duties.get(g) == "administrator")
        for sid in set(a) & set(b):
            if a[sid] == b[sid]:
                continue
            if doc_new:
                ctx.explain(doc_new, sid, "resources")
            for account in b[sid] - a[sid]:
                gained[account] += groups
                addresses[account].append(address)
            for account in a[sid] - b[sid]:
                lost[account] += groups
                addresses[account].append(address)
    said = ctx.memo.setdefault("reach said", set())  # (group, account id, gained): the job roles' lines leave these out
    said.update((g, account, True) for account, who in gained.items() for g in who)
    said.update((g, account, False) for account, who in lost.items() for g in who)
    area = area_of(next(iter(new.groups.values())).module) if new.groups else "iam"
    for verb, changes in (("now", gained), ("no longer", lost)):
        for account in sorted(changes):
            who = sorted(set(changes[account]))
            words = set_verdict("job_function.reach", who if verb == "now" else (), who if verb != "now" else ())
            ctx.add(area, "added" if verb == "now" else "removed",
                    f"{_who(who, every, administrators)} {verb} assume {'its' if len(who) == 1 or set(who) == every else 'their'} "
                    f"role in {account_words(ctx, account)}{words}", addresses[account])


def _who(groups: list[str], every: set[str], administrators: set[str]) -> str:
    if set(groups) == every and len(groups) > 1:
        included = sorted(administrators & set(groups))
        return "every job function" + (f", {', '.join(included)} included," if included else "") + " can"
    if len(groups) == 1:
        return f"job function {groups[0]} can"
    return f"job functions {', '.join(groups)} can"
