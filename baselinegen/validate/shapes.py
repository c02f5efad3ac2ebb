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
_ID = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
_NOT_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")
_NOT_AFTER_NAME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_STAND_IN = re.compile(NAME_STAND_IN + "|" + r"(?<![0-9])" + _ID_STAND_IN_PREFIX + r"[0-9]{3}(?![0-9])")


@dataclass(frozen=True)
class Shape:
    text: str  # the file with its values replaced by stand-ins
    values: tuple[tuple[str, str], ...]  # (stand-in, value) of each value the file holds


def shape_of(path: str, text: str) -> Shape | None:
    """The shape of an account root's ``.tf`` file, or None (not an account root file, nothing to replace, or a
    value in a place where replacing it could change the parse)."""
    found = _ACCOUNT_ROOT.fullmatch(path)
    if found is None or "\\" in text or NAME_STAND_IN in text or _STAND_IN.search(text):
        return None
    name = found.group(1)
    values = []
    if name in text:
        if not _bounded_everywhere(text, name, _NOT_AFTER_NAME):
            return None
        text = text.replace(name, NAME_STAND_IN)
        values.append((NAME_STAND_IN, name))
    ids: dict[str, str] = {}
    for match in _ID.finditer(text):
        start, end = match.span()
        if (start and text[start - 1] in _NOT_BEFORE) or (end < len(text) and text[end] in _NOT_BEFORE):
            return None
        if match.group() not in ids:
            if len(ids) == _MAX_IDS:
                return None
            ids[match.group()] = f"{_ID_STAND_IN_PREFIX}{len(ids):03d}"
    if ids:
        text = _ID.sub(lambda m: ids[m.group()], text)
        values += [(stand_in, value) for value, stand_in in ids.items()]
    return Shape(text, tuple(values)) if values else None


def _bounded_everywhere(text: str, word: str, not_after: frozenset) -> bool:
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        if (start and text[start - 1] in _NOT_BEFORE) or (end < len(text) and text[end] in not_after):
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
    lookup = dict(values)
    return _fill(parsed, lambda match: lookup[match.group()])


def _fill(value, replace):
    if isinstance(value, str):
        return _STAND_IN.sub(replace, value) if _holds_stand_in(value) else value
    if isinstance(value, dict):
        out = {_fill(k, replace): _fill(v, replace) for k, v in value.items()}
        return value if _same(out, value) else out
    if isinstance(value, list):
        out = [_fill(v, replace) for v in value]
        return value if all(a is b for a, b in zip(out, value)) else out
    return value


def _same(out: dict, value: dict) -> bool:
    return all(k1 is k2 and v1 is v2 for (k1, v1), (k2, v2) in zip(out.items(), value.items()))


def _holds_stand_in(text: str) -> bool:
    return NAME_STAND_IN in text or _ID_STAND_IN_PREFIX in text
