"""How one ``.tf`` file is parsed: whole, as the chunks of a large file (chunks.py), or as an account root's shape
(shapes.py); what is parsed (``pieces``) and how the file's parse is made from theirs (``result``)."""

from __future__ import annotations

from dataclasses import dataclass

from . import chunks, parse_cache, shapes


_READ: dict[tuple[str, str], "Reading"] = {}  # (path of a shape or "", the text) -> its reading, in this process
_READ_SIZE = 1 << 16


@dataclass
class Reading:
    """How one file is parsed: whole, as the chunks of a large file, or as an account root's shape."""

    text: str
    pieces: list[tuple[str, str]]  # (key, text) of what is parsed
    values: tuple | None = None  # a shape's values
    _done: object = None
    _key: str | None = None  # of the whole text, once asked for

    @property
    def key(self) -> str:
        """The parse cache key of the whole text (asked for only when it is parsed whole)."""
        if self._key is None:
            self._key = parse_cache.key(self.text)
        return self._key

    @classmethod
    def of(cls, path: str, text: str) -> Reading:
        """The reading of ``text`` at ``path``; the same one (with its result) when this process read it before:
        a render's files are read again by its checks and by the review of what it changes."""
        known = _READ.get(("", text)) or _READ.get((path, text))  # a shape's reading depends on the path, others do not
        if known is not None:
            return known
        pieces = chunks.chunks(text)
        where = ""  # identical texts share one reading, and so one result
        if pieces is not None:
            reading = cls(text, [(parse_cache.key(piece), piece) for piece in pieces])
        elif (shape := shapes.shape_of(path, text)) is not None:
            reading, where = cls(text, [(parse_cache.key(shape.text), shape.text)], shape.values), path
        else:
            key = parse_cache.key(text)
            reading = cls(text, [(key, text)], _key=key)
        _keep(where, reading)
        return reading

    def result(self, results: dict[str, object], fits: dict[str, bool]):
        """The file's parse from its pieces' (None: parse the whole text instead); a failure message when parsed whole."""
        if self._done is None:
            found = [results[key] for key, _ in self.pieces]
            if self.values is not None:
                shape_key = self.pieces[0][0]
                if shape_key not in fits:
                    fits[shape_key] = isinstance(found[0], dict) and shapes.usable(found[0])
                self._done = shapes.filled(found[0], self.values) if fits[shape_key] else False
            elif len(self.pieces) > 1:
                self._done = (all(isinstance(f, dict) for f in found) and chunks.joined(found)) or False
            else:
                self._done = found[0]
        return self._done if self._done is not False else None


def _keep(where: str, reading: Reading) -> None:
    if len(_READ) >= _READ_SIZE:
        _READ.clear()
    _READ[(where, reading.text)] = reading


def described(reading: Reading) -> tuple[str, str, list | None]:
    """What remembers a file's text and reading: (key, text, values). For an account root file read as a shape, the
    shape's key and text and its values as JSON ([[stand-in, value], ...]); else the text's own key, itself, None.
    Texts are the same in many roots (a shape, versions.tf): they are kept once, by key (see ``recall``)."""
    if reading.values is None:
        return reading.key, reading.text, None
    shape_key, shape_text = reading.pieces[0]
    return shape_key, shape_text, [list(pair) for pair in reading.values]


def recall(path: str, key: str, text: str, values: object) -> str | None:
    """The file at ``path`` that ``described`` remembered as ``key``, ``text`` (checked: ``known_texts``) and
    ``values`` (from JSON, unchecked). With values, ``text`` is a shape: the file is the shape with its values put
    back (shapes.refilled), and is kept as this process's reading of that file, so its shape is not worked out
    again. None when that does not fit."""
    if values is None:
        return text
    try:
        pairs = tuple(tuple(pair) for pair in values)  # each checked by shapes.refilled
    except TypeError:
        return None
    whole = shapes.refilled(path, text, pairs)
    if whole is None or chunks.chunks(whole) is not None:  # as Reading.of: a file in chunks is not read as a shape
        return None
    _keep(path, Reading(whole, [(key, text)], pairs))
    return whole


def known_texts(stored: dict[str, object]) -> dict[str, str]:
    """The remembered texts (key -> text) whose key is their text's parse cache key."""
    return {key: text for key, text in stored.items() if isinstance(text, str) and parse_cache.key(text) == key}
