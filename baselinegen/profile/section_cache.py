"""Profile sections validated before: a top-level section that is byte for byte what an earlier run validated
without a problem is taken as cerberus normalised it then, so a small change to a large profile validates only
the sections it touches (cerberus takes longer over 500 accounts than the rest of such a render's checks).

Top-level sections are validated independently (no rule of the schema looks across them), so validating some
and remembering the others gives exactly the whole validation's result. An entry's key covers this baselinegen
(usercache.generator_digest: code, schema, presets, the cerberus version), the section's name and its value as
JSON; a value that JSON cannot hold exactly (a YAML date, say) is validated every time. Entries live in the user
cache folder like the parse results: a missing or damaged entry only means validating again.
"""

from __future__ import annotations

import hashlib
import json

from ..usercache import cache_dir, generator_digest, read_json, write_json

_FORMAT = "baselinegen-profile-section-1"


def _as_json(value) -> str | None:
    """``value`` as JSON, or None when JSON would not give it back exactly (dates, tuples, non-string keys...)."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None
    # JSON writes true, 1 and 1.0 apart, so equality finds what it loses: tuples (lists), non-string keys, NaN
    return text if json.loads(text) == value else None


def section_key(name: str, value) -> str | None:
    text = _as_json(value)
    if text is None:
        return None
    digest = hashlib.sha256(f"{_FORMAT}\0{generator_digest()}\0{name}\0".encode())
    digest.update(text.encode("utf-8", errors="surrogatepass"))
    return digest.hexdigest()


def _entry(key: str):
    return cache_dir() / "profile-sections" / key[:2] / f"{key}.json"


def recall(data: dict) -> dict:
    """name -> normalised value of every section of ``data`` validated before."""
    found = {}
    for name, value in data.items():
        key = section_key(name, value)
        stored = read_json(_entry(key)) if key else None
        if isinstance(stored, dict) and stored.get("key") == key and "normalized" in stored:
            found[name] = stored["normalized"]
    return found


def record(data: dict, normalized: dict) -> None:
    """Remember each section of ``data`` (validated without a problem) as ``normalized`` holds it."""
    for name, value in data.items():
        key = section_key(name, value)
        if key is not None and name in normalized and _as_json(normalized[name]) is not None:
            write_json(_entry(key), {"key": key, "normalized": normalized[name]})
