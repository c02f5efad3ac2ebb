"""The same change in many account roots, said once.

An organisation's account roots are alike: a profile change that touches every account (a default tag, a password
policy, the state bucket) makes the same change in each. The summary says it once:

- a line whose text is the same in every root it concerns (merged by review/security.py) names its accounts in front:
  ``account `a`: …``, ``accounts `a`, `b`: …``, from three accounts on ``same change in 3 accounts `a`, `b`, `c`: …``
  (the first five names, then ``…``), and ``every account: …`` when it concerns every account root of the trees;
- lines that differ only by their account (the account's name or id in a path, a key, an ARN), each about one account
  root, from three accounts on become one line: the text with ``<account>`` / ``<account id>`` in place of the name
  and id, named as above; the addresses of every line are kept (the json format lists them all).

Lines that speak of accounts themselves keep one line per account (``account … added``, review/accounts.py) or per
job function (review/reach.py: their addresses are in the identity account's root, not in the accounts reached).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import file_fanout
from .model import Change

FAN_OUT, SHOWN = file_fanout.FAN_OUT, file_fanout.SHOWN  # "same change in N accounts" from FAN_OUT on; names before "…"
_ROOT = re.compile(r"^accounts/([^/:]+)[/:]")
_SELF = ("account", "organisation", "every job function", "job function", "SCP", "RCP")  # lines that name accounts


def account_ids(trees) -> dict[str, str]:
    """Account name -> id, from every account root's provider (``accounts/<name>/providers.tf``) of the trees."""
    return file_fanout.account_ids((path, text) for tree in trees for path, text in tree.texts.items())


def accounts_of(change: Change) -> list[str]:
    """The account roots a line's addresses are in, in order of appearance."""
    return list(dict.fromkeys(m.group(1) for m in map(_ROOT.match, change.addresses) if m))


def fan_out(changes, every: set[str], ids: dict[str, str], *, name: bool = True) -> tuple[Change, ...]:
    """``changes`` with the lines that differ only by their account merged (from FAN_OUT accounts on); ``name``: put
    the accounts of each line in front of it (lines whose text already names its roots: name=False)."""
    groups: dict[tuple[str, str, str], list[Change]] = {}
    order: list[tuple[str, str, str] | Change] = []
    for change in changes:
        key = _template_key(change, ids)
        if key is None:
            order.append(change)
            continue
        if key not in groups:
            order.append(key)
        groups.setdefault(key, []).append(change)
    out = []
    for item in order:
        if isinstance(item, Change):
            out.append(_named(item, every) if name else item)
            continue
        members = groups[item]
        if len(members) < FAN_OUT:
            out += [_named(c, every) if name else c for c in members]
            continue
        accounts = [accounts_of(c)[0] for c in members]
        addresses = tuple(dict.fromkeys(a for c in members for a in c.addresses))
        out.append(Change(item[0], item[1], f"{_prefix(accounts, every)}: {item[2]}", addresses))
    return tuple(out)


def _template_key(change: Change, ids: dict[str, str]) -> tuple[str, str, str] | None:
    """(area, action, text with the account's name and id replaced) of a line about one account root whose text
    names that account; None for every other line."""
    accounts = accounts_of(change)
    if len(accounts) != 1 or change.text.startswith(_SELF):
        return None
    account = accounts[0]
    text = file_fanout.as_any_account(change.text, account, ids.get(account))
    return None if text == change.text else (change.area, change.action, text)


def _prefix(accounts: list[str], every: set[str]) -> str:
    if len(accounts) > 1 and set(accounts) == every:
        return "every account"
    if len(accounts) < FAN_OUT:
        return f"{'account' if len(accounts) == 1 else 'accounts'} " + ", ".join(f"`{a}`" for a in accounts)
    shown = ", ".join(f"`{a}`" for a in accounts[:SHOWN]) + (", …" if len(accounts) > SHOWN else "")
    return f"same change in {len(accounts):,} accounts {shown}"


def _named(change: Change, every: set[str]) -> Change:
    """In the organisation layout, a line about resources of account roots names the accounts (one line for the
    same change in several accounts: a job function's role changes in each)."""
    accounts = accounts_of(change)
    if not accounts or change.text.startswith(_SELF):  # the organisation: one, in the management account
        return change
    return replace(change, text=f"{_prefix(accounts, every)}: {change.text}")
