"""The same file change in many account roots, listed once.

A profile change that touches every account (a default tag, the state bucket) changes the same file of every account
root (``accounts/<name>/providers.tf``) in the same way. What lists files (render's and check's lines, check's and
diff's file diffs) lists such files once, from FAN_OUT accounts on: ``accounts/<account>/providers.tf``, with the
number of accounts and the first SHOWN names, at the place of the first of them. Files are alike when the caller's
``same`` says so; for a diff, its lines with the account's own name and id put as ``<account>`` and ``<account
id>`` (``as_any_account``), so that a line that names the account does not keep thousands of diffs apart while any
other difference does. Fewer accounts, or files outside account roots, keep a line each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Generic, Iterable, TypeVar

T = TypeVar("T")
FAN_OUT = 3  # from this many accounts on, one line for all of them
SHOWN = 5  # account names shown before "…"
_ROOT = re.compile(r"accounts/([^/]+)/(.+)")
_ACCOUNT_IDS = re.compile(r'allowed_account_ids\s*=\s*\[\s*"(\d{12})"\s*\]')
_WORD = re.compile(r"[\w-]+")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Listed(Generic[T]):
    """One line of a listing: ``item`` (the first of the group), and for a group the path inside each root and the
    accounts, in listing order (``accounts`` empty: the item alone, under its own path)."""

    item: T
    inside: str = ""
    accounts: tuple[str, ...] = ()

    def path(self, own: str) -> str:
        """The path to show: ``own`` (the item's) alone, ``accounts/<account>/...`` for a group."""
        return f"accounts/<account>/{self.inside}" if self.accounts else own


def listed(items: Iterable[T], path: Callable[[T], str], same: Callable[[T, str], object] = lambda item, account: None) -> list[Listed[T]]:
    """``items`` in their order, those of FAN_OUT or more account roots with the same path inside their root and
    the same ``same(item, account)`` (hashable) as one line at the place of the first."""
    items = list(items)
    keys: list[tuple | None] = []
    accounts: dict[tuple, list[str]] = {}
    for item in items:
        found = _ROOT.fullmatch(path(item))
        key = (found.group(2), same(item, found.group(1))) if found else None
        keys.append(key)
        if key is not None:
            accounts.setdefault(key, []).append(found.group(1))
    out, placed = [], set()
    for item, key in zip(items, keys):
        if key is None or len(accounts[key]) < FAN_OUT:
            out.append(Listed(item))
        elif key not in placed:
            placed.add(key)
            out.append(Listed(item, key[0], tuple(accounts[key])))
    return out


def named(accounts: tuple[str, ...] | list[str]) -> str:
    """``500 accounts: a, b, c, d, e, …``."""
    shown = ", ".join(accounts[:SHOWN]) + (", …" if len(accounts) > SHOWN else "")
    return f"{len(accounts):,} accounts: {shown}"


def account_ids(texts: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Account name -> id, from the provider of each account root (``accounts/<name>/providers.tf``) among the
    (path, text) pairs; the first found counts."""
    found: dict[str, str] = {}
    for path, text in texts:
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "accounts" and parts[2] == "providers.tf":
            for account_id in _ACCOUNT_IDS.findall(text):
                found.setdefault(parts[1], account_id)
    return found


def as_any_account(text: str, account: str, account_id: str | None) -> str:
    """``text`` with the account's name (as a whole word: no letter, digit, ``_`` or ``-`` next to it) and id (as a
    whole number) put as placeholders. A name of word characters is matched as a word of the text, without a pattern
    of its own: thousands of accounts would each compile one."""
    if account in text:
        if _WORD.fullmatch(account):
            text = _WORD.sub(lambda found: "<account>" if found.group() == account else found.group(), text)
        else:
            text = re.sub(rf"(?<![\w-]){re.escape(account)}(?![\w-])", "<account>", text)
    if account_id and account_id in text:
        text = _NUMBER.sub(lambda found: "<account id>" if found.group() == account_id else found.group(), text)
    return text


def diff_body(diff: str) -> str:
    """A unified diff without its two header lines (``---``/``+++``: they name the file)."""
    lines = diff.split("\n", 2)
    return lines[2] if len(lines) == 3 and lines[0].startswith("---") and lines[1].startswith("+++") else diff


def listed_diffs(items: Iterable[T], path: Callable[[T], str], diff: Callable[[T], str], ids: dict[str, str]) -> list[Listed[T]]:
    """``listed`` for items shown with a unified diff: alike when their diffs are, but for the header and the account's
    own name and id (``ids``: account name -> id)."""
    return listed(items, path, lambda item, account: as_any_account(diff_body(diff(item)), account, ids.get(account)))


def others_note(one: Listed, diff: str, ids: dict[str, str]) -> str:
    """The line after a group's diff (the first account's): the other accounts, and whether their diffs name them."""
    first = one.accounts[0]
    body = diff_body(diff)
    own = " (each with its own name and id)" if as_any_account(body, first, ids.get(first)) != body else ""
    return f"... and the same diff in {named(one.accounts[1:])}{own}"
