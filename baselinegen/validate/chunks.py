"""A large ``.tf`` file parsed in pieces: its top-level blocks, grouped into chunks, each parsed (and cached) on
its own, and their parses joined. A change to one block parses that block's chunk again, not the whole file, and the
chunks of one file spread over the parse workers. python-hcl2 parses a large file more slowly per byte than a small
one, so the pieces also cost less in all.

A file is cut only before a line that starts a top-level block (a letter at the start of the line, as ``terraform
fmt`` writes every nested line indented), never in a file with a heredoc (whose lines are not indented). Each chunk
must parse on its own; then the file parses as the chunks joined, and python-hcl2's parse of it is theirs joined:
each top-level key in the order it first appears, the blocks of a key in file order. Anything else (a chunk that does
not parse, a key that is not a list of blocks in two chunks) means the file is parsed whole.

Where a chunk ends does not depend on the size of what comes before it: a new chunk starts at a block whose text
hashes to a multiple of ``_SPREAD`` (or when a chunk passed ``_MAX_CHUNK`` characters), so inserting or changing a
block changes the chunk it falls in and leaves the others as they were (and their parses cached).
"""

from __future__ import annotations

import re
import zlib

MIN_SIZE = 32_000  # smaller files are parsed whole
_SPREAD = 6  # about one block in this many starts a chunk: a change parses a few kB again
_MAX_CHUNK = 12_000
_BLOCK_START = re.compile(r"^[A-Za-z_]", re.MULTILINE)


def chunks(text: str) -> list[str] | None:
    """The chunks of ``text`` (joined, they are ``text``), or None when it is parsed whole."""
    if len(text) < MIN_SIZE or "<<" in text:
        return None
    starts = [m.start() for m in _BLOCK_START.finditer(text)]
    if len(starts) < 2:
        return None
    cuts, last = [0], 0
    for start, end in zip(starts[1:], starts[2:] + [len(text)]):
        block = text[start:end].encode("utf-8", "surrogatepass")  # the whole block: many blocks begin alike (import {)
        if zlib.crc32(block) % _SPREAD == 0 or start - last > _MAX_CHUNK:
            cuts.append(start)
            last = start
    if len(cuts) < 2:
        return None
    return [text[a:b] for a, b in zip(cuts, cuts[1:] + [len(text)])]


def joined(parses: list) -> dict | None:
    """The parse of the whole file from its chunks' parses (each a dict), or None when they cannot be joined."""
    out: dict = {}
    joins: dict[str, list] = {}  # key -> the lists of blocks it is joined from (each checked once)
    for parse in parses:
        for key, value in parse.items():
            if key not in out:
                out[key] = value
            elif (key in joins or _blocks(out[key])) and _blocks(value):
                joins.setdefault(key, [out[key]]).append(value)
                out[key] = None  # joined below
            else:
                return None
    for key, lists in joins.items():
        out[key] = [block for blocks in lists for block in blocks]  # a new list: the chunks' parses are shared, never changed
    return out


def _blocks(value) -> bool:
    """A top-level key's blocks: each ``{label: {label: {..., "__is_block__": True}}}`` (as many labels as it has)."""
    return isinstance(value, list) and all(_is_block(item) for item in value)


def _is_block(item) -> bool:
    while isinstance(item, dict) and item.get("__is_block__") is not True:
        if len(item) != 1:
            return False
        [item] = item.values()
    return isinstance(item, dict)
