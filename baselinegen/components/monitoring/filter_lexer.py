"""The tokens of a CloudWatch Logs metric-filter pattern, one at a time (``filter_pattern`` checks the grammar)."""

from __future__ import annotations

import re
from dataclasses import dataclass

OPERATORS = ("<=", ">=", "!=", "=", "<", ">")  # two-character ones first
NUMERIC_OPERATORS = frozenset({"<", ">", "<=", ">="})
_PUNCTUATION = "{}()[],"
_SELECTOR = re.compile(r"\$[\w.\-@:*\[\]$]*", re.ASCII)
_BARE = re.compile(r"[A-Za-z0-9._\-*:/@+]+")


class Malformed(Exception):
    """Raised with the one message pattern_problem returns."""


def shortened(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def closing_quote(text: str, start: int, quote: str) -> int | None:
    """Index of the quote closing the one at ``start`` (backslash escapes skipped), or None."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == quote:
            return i
        else:
            i += 1
    return None


@dataclass(frozen=True)
class Token:
    kind: str  # 'end', 'op', 'string', 'regex', 'selector', 'word', 'other', or the text of '&&', '||', '{' ...
    text: str
    pos: int  # 1-based

    def describe(self) -> str:
        if self.kind == "end":
            return "end of pattern"
        quote = "" if self.kind == "string" else "'" if "'" not in self.text else '"'
        return f"{quote}{shortened(self.text)}{quote}"


class Lexer:
    """Hands out tokens one at a time, so text after the end of the pattern is never lexed."""

    def __init__(self, text: str, start: int) -> None:
        self.text, self.i = text, start
        self._peeked: Token | None = None

    def peek(self) -> Token:
        if self._peeked is None:
            self._peeked = self._scan()
        return self._peeked

    def take(self) -> Token:
        token = self.peek()
        self._peeked = None
        return token

    def _scan(self) -> Token:
        text = self.text
        while self.i < len(text) and text[self.i].isspace():
            self.i += 1
        start, pos = self.i, self.i + 1
        if start == len(text):
            return Token("end", "", pos)
        char, pair = text[start], text[start : start + 2]
        if pair in ("&&", "||"):
            self.i += 2
            return Token(pair, pair, pos)
        if char in "&|":
            raise Malformed(f"'{char}' at character {pos} is not an operator: use '{char * 2}'")
        for op in OPERATORS:
            if text.startswith(op, start):
                self.i += len(op)
                return Token("op", op, pos)
        if char == "!":
            raise Malformed(f"'!' at character {pos} must be followed directly by '=' ('!=' is one operator)")
        if char in _PUNCTUATION:
            self.i += 1
            return Token(char, char, pos)
        if char in "\"%":
            end = closing_quote(text, start, char)
            if end is None:
                what = "string" if char == '"' else "regular expression"
                raise Malformed(f"unterminated {what} starting at character {pos}")
            if char == "%" and end == start + 1:
                raise Malformed(f"empty regular expression '%%' at character {pos}")
            self.i = end + 1
            return Token("string" if char == '"' else "regex", text[start : end + 1], pos)
        for kind, regex in (("selector", _SELECTOR), ("word", _BARE)):
            match = regex.match(text, start)
            if match:
                self.i = match.end()
                return Token(kind, match.group(), pos)
        self.i += 1
        return Token("other", char, pos)
