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


def refilled(path: str, shape_text: str, values: tuple) -> str | None:
    """The text of the account root file at ``path`` that an earlier render remembered as a shape (``shape_text``,
    from shape_of) and its ``values``, or None unless the shape stands for that text as shape_of's shapes do. What
    makes a shape's parse the file's parse is checked here as shape_of checks it: every stand-in of the shape is
    bounded, the name stands for the path's account name and every id for 12 digits, every value is used, and the
    text has no backslash and no stand-in of its own."""
    found = _ACCOUNT_ROOT.fullmatch(path)
    parts = _bounded_parts(shape_text) if found is not None and 0 < len(values) <= _MAX_IDS + 1 else None
    if parts is None:
        return None
    name, lookup = found.group(1), {}
    for pair in values:
        if len(pair) != 2:
            return None
        stand_in, value = pair
        if type(stand_in) is not str or type(value) is not str or stand_in in lookup:
            return None
        if stand_in == NAME_STAND_IN:
            if value != name:
                return None
        elif not (_is_digits(stand_in) and stand_in.startswith(_ID_STAND_IN_PREFIX) and _is_digits(value)):
            return None
        lookup[stand_in] = value
    try:
        text = "".join([part if i % 2 == 0 else lookup[part] for i, part in enumerate(parts)])
    except KeyError:  # a stand-in without its value
        return None
    if NAME_STAND_IN in text or _ID_STAND_IN_PREFIX in text:  # the name was a stand-in, or is a literal one
        return None
    return text if lookup.keys() == set(parts[1::2]) else None  # every value stands somewhere, as in shape_of's


def _is_digits(value: str) -> bool:
    """Exactly 12 ASCII digits (an account id, or an id's stand-in)."""
    return len(value) == 12 and value.isascii() and value.isdigit()


def _bounded_parts(shape_text: str) -> list[str] | None:
    """The shape split into literal, stand-in, literal, ... when every stand-in is bounded as shape_of bounds the
    values it replaces (two stand-ins side by side are not); None otherwise. Worked out once per shape."""
    if shape_text in _PARTS:
        return _PARTS[shape_text]
    parts: list[str] | None = _STAND_IN_PARTS.split(shape_text)
    if "\\" in shape_text:
        parts = None
    last = len(parts) - 1 if parts else 0
    for i in range(1, last, 2):
        before, after = parts[i - 1], parts[i + 1]
        not_after = _NOT_AFTER_NAME if parts[i] == NAME_STAND_IN else _NOT_BEFORE
        if ((not before and i > 1) or (not after and i + 1 < last) or before[-1:] in _NOT_BEFORE
                or after[:1] in not_after):
            parts = None
            break
    if len(_PARTS) >= 4096:
        _PARTS.clear()
    _PARTS[shape_text] = parts
    return parts


_PARTS: dict[str, list[str] | None] = {}  # a remembered shape's text -> _bounded_parts


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
