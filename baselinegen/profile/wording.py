"""How messages show what a profile holds: values cut to a readable length, key paths for any key, and long
lists of allowed values replaced by a pointer to the profile reference."""

from __future__ import annotations

SHOWN_CHARACTERS = 60  # a value longer than CUT_OVER characters is shown as its first 60 and its length
CUT_OVER = 80
LISTED_ALLOWED = 10  # a longer list of allowed values points to the reference instead
REFERENCE = "docs/profile.md"
REFERENCE_COMMAND = "baselinegen schema --format markdown"


def shown(value) -> str:
    """``value`` for a message: a string quoted (repr), cut after SHOWN_CHARACTERS with its length; a number
    likewise cut after SHOWN_CHARACTERS digits."""
    if isinstance(value, str):
        if len(value) <= CUT_OVER:
            return repr(value)
        return f"{value[:SHOWN_CHARACTERS]!r}... ({len(value):,} characters)"
    text = str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and len(text) > CUT_OVER:
        return f"{text[:SHOWN_CHARACTERS]}... ({len(text):,} digits)"
    return text


def shown_key(key) -> str:
    """One key of a key path: as written when it is plain text, else escaped (control characters) and cut."""
    text = str(key)
    if not text.isprintable():
        text = repr(text)[1:-1]
    if len(text) > CUT_OVER:
        text = f"{text[:SHOWN_CHARACTERS]}... ({len(str(key)):,} characters)"
    return text


def reference_for(section: str | None) -> str:
    """Where the reference documents ``section`` (a top-level key), or the reference itself."""
    anchor = f"#{section}" if section else ""
    return f"{REFERENCE}{anchor} or by {REFERENCE_COMMAND}"


def allowed_list(items, section: str | None = None, *, what: str = "values") -> str:
    """``items`` joined for a message when there are at most LISTED_ALLOWED of them; else their number and where the
    reference lists them (``section``: the top-level key whose reference section does)."""
    items = [str(item) for item in items]
    if len(items) <= LISTED_ALLOWED:
        return ", ".join(items)
    return f"the {len(items)} {what} listed in {reference_for(section)}"


def names_in(names, where: str) -> str:
    """Names the profile defines (groups, keys, accounts) for a message: listed when there are at most
    LISTED_ALLOWED, else their number and where the profile lists them."""
    names = [str(name) for name in names]
    if len(names) <= LISTED_ALLOWED:
        return ", ".join(shown_key(name) for name in names)
    return f"{len(names)} of them, see {where}"
