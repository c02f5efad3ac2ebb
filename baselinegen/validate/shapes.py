"""Account roots parsed once per shape: the files of ``accounts/<name>/`` differ from one account to the next only
by the account's name and by account ids, so python-hcl2 parses each distinct *shape* once (the text with those
values replaced by stand-ins) and every file of that shape gets the shape's parse with its own values put back.

This gives exactly what parsing the file would give, because the values cannot change how the text splits into
tokens, which this module checks text by text before it uses a shape (else the file is parsed on its own):

- the account name (from the path; ``^[a-z][a-z0-9-]*[a-z0-9]$``) and its stand-in are both identifier-like words
  starting with a letter, and every place the name occurs is bounded: no letter, digit, ``_`` or ``.`` just before
  it, none of the first three just after it (so it never merges into a number such as ``1e5``);
- an account id is a run of exactly 12 digits with neither a letter, a digit, ``_`` nor ``.`` on either side; its
  stand-in is 12 digits too. Written bare (a number, not in a string) it would parse to an int the stand-in cannot
  carry, so a shape whose parse holds a number with a stand-in in it is not used;
- the text has no backslash (an escape such as ``\\u`` reads the characters after it) and no stand-in of its own.

python-hcl2 copies every token's text into its output (strings keep their quotes, expressions are written back from
their tokens), so replacing the stand-ins in every string of the shape's parse, mapping keys included, gives the
file's parse. Parts of the parse without a stand-in are shared between the files (parses are read-only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME_STAND_IN = "zzbaselinegenshapeaccount"
_ID_STAND_IN_PREFIX = "900000000"  # + three digits: the first, second, ... distinct id of the file
_MAX_IDS = 1000
_ACCOUNT_ROOT = re.compile(r"accounts/([a-z][a-z0-9-]*[a-z0-9])/[^/]+\.tf")
_ID = re.compile(r"[0-9]{12}(?![0-9])")  # a digit before it is checked by the replacement (twice as fast as a lookbehind)
_NOT_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")
_NOT_AFTER_NAME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_STAND_IN = re.compile(NAME_STAND_IN + "|" + r"(?<![0-9])" + _ID_STAND_IN_PREFIX + r"[0-9]{3}(?![0-9])")
_STAND_IN_PARTS = re.compile(f"({_STAND_IN.pattern})")


@dataclass(frozen=True)
class Shape:
    text: str  # the file with its values replaced by stand-ins
    values: tuple[tuple[str, str], ...]  # (stand-in, value) of each value the file holds


def shape_of(path: str, text: str) -> Shape | None:
    """The shape of an account root's ``.tf`` file, or None (not an account root file, nothing to replace, or a
    value in a place where replacing it could change the parse)."""
    found = _ACCOUNT_ROOT.fullmatch(path)
    if found is None or "\\" in text or NAME_STAND_IN in text or _ID_STAND_IN_PREFIX in text:
        return None
    name = found.group(1)
    values = []
    if name in text:
        if not _bounded_everywhere(text, name):
            return None
        text = text.replace(name, NAME_STAND_IN)
        values.append((NAME_STAND_IN, name))
    ids: dict[str, str] = {}
    unbounded = []

    def stand_in(match: re.Match) -> str:
        value, start, end = match.group(), match.start(), match.end()
        if start and "0" <= text[start - 1] <= "9":
            return value  # the end of a longer run of digits: not an id (the run is unbounded where it starts)
        if (start and text[start - 1] in _NOT_BEFORE) or (end < len(text) and text[end] in _NOT_BEFORE):
            unbounded.append(value)
        if value not in ids:
            ids[value] = f"{_ID_STAND_IN_PREFIX}{len(ids):03d}"
        return ids[value]

    text = _ID.sub(stand_in, text)
    if unbounded or len(ids) > _MAX_IDS:
        return None
    values += [(stand_in, value) for value, stand_in in ids.items()]
    return Shape(text, tuple(values)) if values else None


def _bounded_everywhere(text: str, word: str) -> bool:
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        if (start and text[start - 1] in _NOT_BEFORE) or (end < len(text) and text[end] in _NOT_AFTER_NAME):
            return False
        start = text.find(word, end)
    return True


def usable(parsed) -> bool:
    """Whether a shape's parse can be filled in: no number holds a stand-in (an id written bare)."""
    if isinstance(parsed, dict):
        return all(usable(k) and usable(v) for k, v in parsed.items())
    if isinstance(parsed, list):
        return all(usable(v) for v in parsed)
    if isinstance(parsed, (int, float)) and not isinstance(parsed, bool):
        return not _STAND_IN.search(str(parsed))
    return True


def filled(parsed, values: tuple[tuple[str, str], ...]):
    """The shape's parse with ``values`` in place of their stand-ins; what holds no stand-in is shared, not copied."""
    plan = _PLANS.get(id(parsed))
    if plan is None or plan[0] is not parsed:
        if len(_PLANS) >= 4096:
            _PLANS.clear()
        plan = _PLANS[id(parsed)] = (parsed, _plan(parsed))  # the shape kept with its plan: its id stays its own
    fill = plan[1]
    return fill(dict(values)) if fill is not None else parsed


_PLANS: dict[int, tuple[object, object]] = {}  # id(a shape's parse) -> (it, how to fill it in): made once per shape


def _plan(value):
    """A function of the stand-ins' values that gives ``value`` filled in, or None when it holds no stand-in (it is
    then used as it is). Only what leads to a stand-in is walked when a file is filled in."""
    if isinstance(value, str):
        if NAME_STAND_IN not in value and _ID_STAND_IN_PREFIX not in value:
            return None
        parts = _STAND_IN_PARTS.split(value)  # literal, stand-in, literal, ...
        if len(parts) == 1:
            return None
        return lambda lookup: "".join(part if i % 2 == 0 else lookup[part] for i, part in enumerate(parts))
    if isinstance(value, dict):
        plans = [(k, _plan(k), v, _plan(v)) for k, v in value.items()]
        if all(kp is None and vp is None for _, kp, _, vp in plans):
            return None
        return lambda lookup: {(kp(lookup) if kp else k): (vp(lookup) if vp else v) for k, kp, v, vp in plans}
    if isinstance(value, list):
        plans = [(v, _plan(v)) for v in value]
        if all(vp is None for _, vp in plans):
            return None
        return lambda lookup: [vp(lookup) if vp else v for v, vp in plans]
    return None
