"""python-hcl2 with the options every parse in baselinegen uses. python-hcl2 is imported when something is
parsed: a render that changes nothing parses nothing, and making a cache key never imports it."""

from __future__ import annotations

import gc


# Pinned python-hcl2 8.x options: blocks marked, strings keep their quotes, no comments.
SERIALIZATION_OPTIONS = {
    "with_comments": False, "with_meta": False, "wrap_objects": False, "wrap_tuples": False, "explicit_blocks": True,
    "preserve_heredocs": True, "force_operation_parentheses": False, "preserve_scientific_notation": True,
    "strip_string_quotes": False,
}


def serialization_options():
    import hcl2  # imported when something is parsed: a render that changes nothing parses nothing

    return hcl2.SerializationOptions(**SERIALIZATION_OPTIONS)


def _parse(text: str) -> dict:
    import hcl2

    return hcl2.loads(text, serialization_options=serialization_options())


def _load_parser() -> None:
    _safe_parse("")


def _parse_in_worker(text: str):
    return _safe_parse(text)


def _safe_parse(text: str):
    collecting = gc.isenabled()
    gc.disable()  # a parse makes many objects that live on: collecting during it costs up to half of a large file's parse
    try:
        return _parse(text)
    except Exception as exc:  # lark raises many exception types; report them all the same way
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"{type(exc).__name__}: {first}"
    finally:
        if collecting:
            gc.enable()
