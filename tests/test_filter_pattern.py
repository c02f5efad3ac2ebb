"""pattern_problem: real CIS / Security Hub patterns pass, malformed ones get one exact message."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baselinegen.components.monitoring.filter_pattern import MAX_PATTERN_LENGTH, pattern_problem

# Byte-exact patterns from CIS AWS Foundations / Security Hub controls and the CloudWatch docs.
WELL_FORMED = [
    '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    '{(($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && (($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket"))}',
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)}",
    "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",
    '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    "{($.eventSource = ec2.amazonaws.com) && ($.eventName =CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName =ReplaceRoute) }",
    "{ ($.eventName = RunInstances) && (($.requestParameters.instanceType = *.8xlarge) || ($.requestParameters.instanceType = *.4xlarge)) }",
    "{ $.latency > 50 }",
    '{ $.user.id = 1 && $.users[0].email = "John.Doe@example.com" }',
    "{ $.errorCode IS NULL }",
    "ERROR",
    '"Failed authentication"',
    "?ERROR ?WARN",
    "[ip, user, username, timestamp, request, status_code = 4*, bytes]",
    "[..., status_code = 404, size > 1000]",
]

MORE_WELL_FORMED = [
    "{ $.sourceIPAddress != 123.123.* }",
    "{ $.message = %bind: address already in use% }",
    "{ $.error IS TRUE || $.flag IS FALSE }",
    "{ $.latency EXISTS && $.resources[*].ARN = arn:aws:s3:::bucket/* }",
    '{ $.a.* = "x \\" y" }',
    "  { $.latency >= -1.5e3 }  ",
    "ERROR -DEBUG",
    '""',
    "[w1 = ERROR || w1 = WARN, w2]",
]


@pytest.mark.parametrize("pattern", WELL_FORMED + MORE_WELL_FORMED)
def test_well_formed_patterns_are_accepted(pattern):
    assert pattern_problem(pattern) is None


MALFORMED = {
    "unbalanced-open-paren": ("{ ($.a = 1 }", "unbalanced parentheses: '(' at character 3 is never closed"),
    "unbalanced-close-paren": ("{ $.a = 1 ) }", "unbalanced parentheses: ')' at character 11 has no matching '('"),
    "missing-closing-brace": (
        '{ $.eventName = "CreateTrail" && $.x = 1',
        "a JSON pattern must end with '}' (found end of pattern at character 41)",
    ),
    "trailing-and": ("{ $.a = 1 && }", "'&&' at character 11 has nothing after it"),
    "trailing-or-in-parens": ("{ ($.a = 1 ||) }", "'||' at character 12 has nothing after it"),
    "missing-operator": (
        '{ $.eventName "CreateTrail" }',
        "expected a comparison operator (=, !=, <, >, <=, >=) or IS / EXISTS / NOT EXISTS after $.eventName "
        'at character 15, found "CreateTrail"',
    ),
    "missing-dollar": (
        "{ ( eventName = CreateTrail ) }",
        "expected a selector such as $.eventName at character 5, found 'eventName'",
    ),
    "unterminated-string": ('{ $.eventName = "CreateTrail }', "unterminated string starting at character 17"),
    "non-numeric-less-than": ('{ $.latency < "abc" }', "'<' needs a number, found \"abc\" at character 15"),
    "bare-word-greater-equal": ("{ $.latency >= high }", "'>=' needs a number, found 'high' at character 16"),
    "text-after-brace": ("{ $.a = 1 } x", "text after the closing '}' at character 13: 'x'"),
    "empty-pattern": ("", "the pattern is empty: it would match every log event"),
    "blank-pattern": ("   ", "the pattern is empty: it would match every log event"),
    "too-long": (
        "{ $.a = " + "x" * 1020 + " }",
        "the pattern is 1030 characters long; CloudWatch Logs allows at most 1024",
    ),
    "bracket-never-closed": ("[ip, user, status_code = 404", "'[' at character 1 is never closed: expected ']'"),
    "empty-field": ("[a,,b]", "empty field at character 4: expected a field name or '...'"),
    "trailing-comma": ("[a, b,]", "empty field at character 7: expected a field name or '...'"),
    "fields-without-comma": ("[a b]", "expected ',' or ']' at character 4, found 'b'"),
    "and-right-after-paren": ("{ ( && $.a = 1) }", "expected a selector such as $.eventName at character 5, found '&&'"),
    "empty-braces": ("{}", "expected a selector such as $.eventName at character 2, found '}'"),
    "bang-space-equals": ("{ $.a ! = 1 }", "'!' at character 7 must be followed directly by '=' ('!=' is one operator)"),
    "single-ampersand": ("{ $.a = 1 & $.b = 2 }", "'&' at character 11 is not an operator: use '&&'"),
    "missing-value": ("{ $.a = }", "expected a value after '=' at character 9, found '}'"),
    "double-dot-selector": ("{ $..a = 1 }", "expected a field name after '.' in the selector $..a at character 4"),
    "bad-index": ("{ $.a[x] = 1 }", "expected an index such as [0] or [*] in the selector $.a[x] at character 6"),
    "is-maybe": ("{ $.a IS maybe }", "expected TRUE / FALSE / NULL after IS at character 10, found 'maybe'"),
    "not-without-exists": ("{ $.a NOT = 1 }", "expected EXISTS after NOT at character 11, found '='"),
    "missing-and-between-terms": ("{ $.a = 1 $.b = 2 }", "expected '&&', '||' or '}' at character 11, found '$.b'"),
    "single-quotes": ("{ $.a = 'x' }", "expected a value after '=' at character 9, found \"'\""),
    "unterminated-regex": ("{ $.a = %abc }", "unterminated regular expression starting at character 9"),
    "term-unterminated-string": ('ERROR "Failed', "unterminated string starting at character 7"),
    "term-lone-exclusion": ("ERROR -", "'-' at character 7 must be followed directly by a term"),
    "selector-without-braces": (
        "$.eventName = CreateTrail",
        "the selector '$.eventName' at character 1 only works in a JSON pattern: wrap the pattern in { }",
    ),
}


@pytest.mark.parametrize(("pattern", "message"), list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_pattern_gets_exact_message(pattern, message):
    assert pattern_problem(pattern) == message


def test_length_limit_is_inclusive():
    at_limit = "{ $.a = " + "x" * (MAX_PATTERN_LENGTH - 10) + " }"
    assert len(at_limit) == MAX_PATTERN_LENGTH
    assert pattern_problem(at_limit) is None


# --- property tests: random well-formed JSON patterns ---------------------------------------

blank = st.sampled_from(["", " ", "  ", "\t", "\n"])
some_blank = st.sampled_from([" ", "  ", "\t", "\n"])  # around IS / EXISTS / NOT, which are words
name = st.from_regex(r"[A-Za-z_@][A-Za-z0-9_\-]{0,8}", fullmatch=True)
step = st.one_of(name.map(lambda n: "." + n), st.sampled_from(["[0]", "[12]", "[*]", ".*"]))
selector = st.builds(lambda first, rest: "$." + first + "".join(rest), name, st.lists(step, max_size=3))
number = st.one_of(st.integers(-10**6, 10**6).map(str), st.from_regex(r"-?[0-9]{1,4}\.[0-9]{1,3}", fullmatch=True))
quoted = st.text(st.characters(blacklist_characters='"\\', blacklist_categories=("Cs",)), max_size=12).map(
    lambda s: f'"{s}"'
)
bare = st.from_regex(r"[A-Za-z0-9._*:/@+][A-Za-z0-9._\-*:/@+]{0,11}", fullmatch=True)
regex_value = st.from_regex(r"%[A-Za-z0-9 .*:^$-]{1,10}%", fullmatch=True)
equality = st.tuples(st.sampled_from(["=", "!="]), st.one_of(quoted, bare, number, regex_value))
ordering = st.tuples(st.sampled_from(["<", ">", "<=", ">="]), number)
comparison = st.one_of(
    st.builds(lambda s, b1, op_value, b2: f"{s}{b1}{op_value[0]}{b2}{op_value[1]}",
              selector, blank, st.one_of(equality, ordering), blank),
    st.builds(lambda s, b1, word, b2: f"{s}{b1}IS{b2}{word}",
              selector, some_blank, st.sampled_from(["TRUE", "FALSE", "NULL"]), some_blank),
    st.builds(lambda s, b1, b2: f"{s}{b1}NOT{b2}EXISTS", selector, some_blank, some_blank),
    st.builds(lambda s, b: f"{s}{b}EXISTS", selector, some_blank),
)


def _combine(children):
    grouped = st.builds(lambda b1, e, b2: f"({b1}{e}{b2})", blank, children, blank)
    joined = st.builds(lambda a, b1, conj, b2, c: f"{a}{b1}{conj}{b2}{c}",
                       children, blank, st.sampled_from(["&&", "||"]), blank, children)
    return st.one_of(grouped, joined)


expression = st.recursive(comparison, _combine, max_leaves=8)
json_pattern = st.builds(lambda b1, e, b2: f"{{{b1}{e}{b2}}}", blank, expression, blank).filter(
    lambda p: len(p) <= MAX_PATTERN_LENGTH
)


@given(json_pattern)
def test_random_well_formed_json_patterns_are_accepted(pattern):
    assert pattern_problem(pattern) is None


@given(json_pattern)
def test_dropping_the_closing_brace_is_always_reported(pattern):
    assert pattern.endswith("}")
    assert pattern_problem(pattern[:-1]) is not None
