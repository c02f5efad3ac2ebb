"""How one ``.tf`` file is parsed: whole, as the chunks of a large file (chunks.py), or as an account root's shape
(shapes.py); what is parsed (``pieces``) and how the file's parse is made from theirs (``result``)."""

from __future__ import annotations

from dataclasses import dataclass

from . import chunks, parse_cache, shapes


_READ: dict[tuple[str, str], "Reading"] = {}  # (path of a shape or "", key of the text) -> its reading, in this process
_READ_SIZE = 1 << 16


@dataclass
class Reading:
    """How one file is parsed: whole, as the chunks of a large file, or as an account root's shape."""

    text: str
    key: str  # of the whole text
    pieces: list[tuple[str, str]]  # (key, text) of what is parsed
    values: tuple | None = None  # a shape's values
    _done: object = None

    @classmethod
    def of(cls, path: str, text: str) -> Reading:
        """The reading of ``text`` at ``path``; the same one (with its result) when this process read it before:
        a render's files are read again by its checks and by the review of what it changes."""
        key = parse_cache.key(text)
        known = _READ.get(("", key)) or _READ.get((path, key))  # a shape's reading depends on the path, others do not
        if known is not None:
            return known
        pieces = chunks.chunks(text)
        where = ""  # identical texts share one reading, and so one result
        if pieces is not None:
            reading = cls(text, key, [(parse_cache.key(piece), piece) for piece in pieces])
        elif (shape := shapes.shape_of(path, text)) is not None:
            reading, where = cls(text, key, [(parse_cache.key(shape.text), shape.text)], shape.values), path
        else:
            reading = cls(text, key, [(key, text)])
        if len(_READ) >= _READ_SIZE:
            _READ.clear()
        _READ[(where, key)] = reading
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
