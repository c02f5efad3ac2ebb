"""Offline well-formedness check for CloudWatch Logs metric-filter patterns.

A custom alarm pattern in a profile is checked at validation time, so that a malformed one is
rejected with a message naming the place and the expectation, not by PutMetricFilter during
``terraform apply``. The first non-blank character picks one of three syntaxes.

JSON pattern (``{``), the one every CloudTrail metric filter uses::

    pattern    := '{' expression '}'
    expression := term ( ('&&' | '||') term )*      # '&&' and '||' may be mixed
    term       := '(' expression ')' | comparison
    comparison := selector op value
                | selector 'IS' ('TRUE' | 'FALSE' | 'NULL')
                | selector 'EXISTS' | selector 'NOT' 'EXISTS'
    selector   := '$' ( '.' name | '.*' | '[' digits ']' | '[*]' )+
    op         := '=' | '!=' | '<' | '>' | '<=' | '>='
    value      := "quoted, with \\ escapes" | %regex% | bare token | number
                  (after '<', '>', '<=', '>=' only a number)

Space-delimited pattern (``[``)::

    pattern    := '[' field ( ',' field )* ']'
    field      := '...' | name [ op value ( ('&&' | '||') [name] op value )* ]

Term pattern (anything else): words or "quoted phrases" separated by blanks, each optionally
prefixed with '-' (must not appear) or '?' (any of these).

Whitespace between tokens is optional. Positions in messages are 1-based characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .filter_lexer import NUMERIC_OPERATORS, Lexer, Malformed, Token, closing_quote, shortened

MAX_PATTERN_LENGTH = 1024  # PutMetricFilter's limit on filterPattern

_NAME = re.compile(r"[\w\-@:]+", re.ASCII)
_INDEX = re.compile(r"\[(\d+|\*)\]", re.ASCII)
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?", re.ASCII)
_FIELD = re.compile(r"[A-Za-z_]\w*", re.ASCII)
_OPERATOR_LIST = "(=, !=, <, >, <=, >=)"
_KEYWORD_FOLLOWERS = {"IS": ("TRUE", "FALSE", "NULL"), "NOT": ("EXISTS",)}  # what may follow IS / NOT


def pattern_problem(pattern: str) -> str | None:
    """None when the pattern is well-formed; otherwise one message for a human, saying where
    (character position, 1-based, e.g. 'at character 17') what is wrong and what was expected."""
    if not pattern.strip():
        return "the pattern is empty: it would match every log event"
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"the pattern is {len(pattern)} characters long; CloudWatch Logs allows at most {MAX_PATTERN_LENGTH}"
    start = len(pattern) - len(pattern.lstrip())
    try:
        if pattern[start] == "{":
            _check_structured(pattern, start, _json_pattern)
        elif pattern[start] == "[":
            _check_structured(pattern, start, _field_list)
        else:
            _term_pattern(pattern)
    except Malformed as problem:
        return str(problem)
    return None


def _check_structured(text: str, start: int, parse: Callable[[Lexer], str]) -> None:
    """Parse a '{...}' or '[...]' pattern, then insist nothing but blanks follows it."""
    lexer = Lexer(text, start)
    closer = parse(lexer)
    rest = text[lexer.i :]
    if rest.strip():
        pos = lexer.i + len(rest) - len(rest.lstrip()) + 1
        raise Malformed(f"text after the closing '{closer}' at character {pos}: '{shortened(rest.strip())}'")


# --- JSON patterns ---------------------------------------------------------------------------


def _json_pattern(lexer: Lexer) -> str:
    lexer.take()  # '{'
    _expression(lexer, opener=None)
    return "}"


def _expression(lexer: Lexer, opener: Token | None) -> None:
    """Terms joined by '&&' / '||', up to and including ')' (inside parentheses) or '}'."""
    closer = ")" if opener else "}"
    while True:
        _term(lexer)
        token = lexer.take()
        if token.kind in ("&&", "||"):
            if lexer.peek().kind in ("}", ")", "end"):
                raise Malformed(f"'{token.text}' at character {token.pos} has nothing after it")
            continue
        if token.kind == closer:
            return
        if opener and token.kind in ("}", "end"):
            raise Malformed(f"unbalanced parentheses: '(' at character {opener.pos} is never closed")
        if token.kind == ")":
            raise Malformed(f"unbalanced parentheses: ')' at character {token.pos} has no matching '('")
        if token.kind == "end":
            raise Malformed(f"a JSON pattern must end with '}}' (found end of pattern at character {token.pos})")
        raise Malformed(f"expected '&&', '||' or '{closer}' at character {token.pos}, found {token.describe()}")


def _term(lexer: Lexer) -> None:
    token = lexer.take()
    if token.kind == "(":
        return _expression(lexer, opener=token)
    if token.kind != "selector":
        raise Malformed(f"expected a selector such as $.eventName at character {token.pos}, found {token.describe()}")
    _check_selector(token)
    predicate = lexer.take()
    keyword = predicate.text if predicate.kind == "word" else ""
    if predicate.kind == "op":
        _value(lexer, predicate)
    elif keyword in _KEYWORD_FOLLOWERS:
        allowed = _KEYWORD_FOLLOWERS[keyword]
        after = lexer.take()
        if after.kind != "word" or after.text not in allowed:
            raise Malformed(f"expected {' / '.join(allowed)} after {keyword} at character {after.pos}, found {after.describe()}")
    elif keyword != "EXISTS":
        raise Malformed(
            f"expected a comparison operator {_OPERATOR_LIST} or IS / EXISTS / NOT EXISTS after {token.text} "
            f"at character {predicate.pos}, found {predicate.describe()}"
        )


def _check_selector(token: Token) -> None:
    text, i = token.text, 1
    if text == "$":
        raise Malformed(f"the selector '$' at character {token.pos} names no field: write e.g. $.eventName")
    while i < len(text):
        where = f"in the selector {shortened(text)} at character {token.pos + i}"
        if text[i] == ".":
            name = _NAME.match(text, i + 1)
            if text.startswith("*", i + 1):
                i += 2
            elif name:
                i = name.end()
            else:
                raise Malformed(f"expected a field name after '.' {where}")
        elif text[i] == "[":
            index = _INDEX.match(text, i)
            if not index:
                raise Malformed(f"expected an index such as [0] or [*] {where}")
            i = index.end()
        else:
            raise Malformed(f"expected '.' or '[' {where}, found '{text[i]}'")


def _value(lexer: Lexer, op: Token) -> None:
    token = lexer.take()
    if op.text in NUMERIC_OPERATORS:
        if token.kind == "word" and _NUMBER.fullmatch(token.text):
            return
        if token.kind in ("word", "string", "regex", "selector"):
            raise Malformed(f"'{op.text}' needs a number, found {token.describe()} at character {token.pos}")
    elif token.kind in ("word", "string", "regex"):
        return
    raise Malformed(f"expected a value after '{op.text}' at character {token.pos}, found {token.describe()}")


# --- space-delimited patterns ----------------------------------------------------------------


def _field_list(lexer: Lexer) -> str:
    opener = lexer.take()  # '['
    while True:
        name = lexer.take()
        if name.kind in (",", "]"):
            raise Malformed(f"empty field at character {name.pos}: expected a field name or '...'")
        if name.kind == "end":
            raise Malformed(f"'[' at character {opener.pos} is never closed: expected ']'")
        if not (name.kind == "word" and (name.text == "..." or _FIELD.fullmatch(name.text))):
            raise Malformed(f"expected a field name or '...' at character {name.pos}, found {name.describe()}")
        if name.text != "..." and lexer.peek().kind == "op":
            _field_condition(lexer)
        separator = lexer.take()
        if separator.kind == "]":
            return "]"
        if separator.kind == "end":
            raise Malformed(f"'[' at character {opener.pos} is never closed: expected ']'")
        if separator.kind != ",":
            raise Malformed(f"expected ',' or ']' at character {separator.pos}, found {separator.describe()}")


def _field_condition(lexer: Lexer) -> None:
    """op value ( ('&&' | '||') [name] op value )*, e.g. status_code = 4* || status_code = 5*."""
    _value(lexer, lexer.take())
    while lexer.peek().kind in ("&&", "||"):
        conjunction = lexer.take()
        if lexer.peek().kind in (",", "]", "end"):
            raise Malformed(f"'{conjunction.text}' at character {conjunction.pos} has nothing after it")
        if lexer.peek().kind == "word":
            lexer.take()  # the field name, repeated
        op = lexer.take()
        if op.kind != "op":
            raise Malformed(f"expected a comparison operator {_OPERATOR_LIST} at character {op.pos}, found {op.describe()}")
        _value(lexer, op)


# --- term patterns ---------------------------------------------------------------------------


def _term_pattern(text: str) -> None:
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        if text[i] in "-?":
            i += 1
            if i == len(text) or text[i].isspace():
                raise Malformed(f"'{text[i - 1]}' at character {i} must be followed directly by a term")
        if text[i] == '"':
            end = closing_quote(text, i, '"')
            if end is None:
                raise Malformed(f"unterminated string starting at character {i + 1}")
            i = end + 1
            if i < len(text) and not text[i].isspace():
                raise Malformed(f"expected a blank after the quoted term at character {i + 1}, found '{text[i]}'")
            continue
        start = i
        while i < len(text) and not text[i].isspace():
            if text[i] == '"':
                raise Malformed(f"'\"' at character {i + 1} inside a term: quote the whole term instead")
            i += 1
        if text.startswith("$.", start) or text.startswith("$[", start):
            where = f"the selector '{shortened(text[start:i])}' at character {start + 1}"
            raise Malformed(f"{where} only works in a JSON pattern: wrap the pattern in {{ }}")
