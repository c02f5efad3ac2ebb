"""AWS's own rules for names, tags and policy statements, checked offline: the one place that knows them.

Every function returns what AWS would refuse about a value, in words (``None`` or ``[]`` when AWS takes it), so the
schema checks, the cross-reference checks, the CLI and the tests all share one table per rule. Character classes are
spelled out in ASCII: Python's ``\\w`` and ``\\d`` also match letters and digits of every other script, which IAM,
CloudWatch Logs, SNS, KMS and S3 refuse in names.

Sources: IAM quotas and the CreateUser/CreateGroup/CreateRole/CreatePolicy parameter patterns, the IAM JSON policy
reference (ARN format, condition operators), CloudWatch Logs CreateLogGroup, SNS CreateTopic, KMS CreateAlias, the S3
general purpose bucket naming rules, and the tagging rules (at most 50 tags per resource; keys 1-128 and values 0-256
Unicode letters, digits, spaces and ``_ . : / = + - @``; keys never start with ``aws:``).
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------------------- names


@dataclass(frozen=True)
class NameRule:
    """A kind of AWS name: what it is called, its length limits and the ASCII characters it takes."""

    what: str  # with its article: "an IAM role name"
    max_length: int
    characters: str  # a regex character class body, ASCII only
    allowed: str  # the characters in words, for messages and docs
    min_length: int = 1
    reserved_prefix: str = ""  # a start AWS keeps for itself ("aws/" for log groups)

    @property
    def pattern(self) -> str:
        """The whole-value regex (for cerberus and the JSON Schema)."""
        reserved = f"(?!{re.escape(self.reserved_prefix)})" if self.reserved_prefix else ""
        return rf"^{reserved}[{self.characters}]{{{self.min_length},{self.max_length}}}$"


_IAM_CHARACTERS = "A-Za-z0-9_+=,.@-"
_IAM_ALLOWED = "ASCII letters, digits and + = , . @ _ - (no spaces)"

IAM_USER = NameRule("an IAM user name", 64, _IAM_CHARACTERS, _IAM_ALLOWED)
IAM_GROUP = NameRule("an IAM group name", 128, _IAM_CHARACTERS, _IAM_ALLOWED)
IAM_ROLE = NameRule("an IAM role name", 64, _IAM_CHARACTERS, _IAM_ALLOWED)
IAM_POLICY = NameRule("an IAM policy name", 128, _IAM_CHARACTERS, _IAM_ALLOWED)
LOG_GROUP = NameRule("a CloudWatch Logs group name", 512, "A-Za-z0-9_./#-", "ASCII letters, digits and _ - / . #, not starting "
                     "with aws/ (/aws/... is fine)", reserved_prefix="aws/")
METRIC_NAMESPACE = NameRule("a CloudWatch metric namespace", 255, "A-Za-z0-9/_.#-", "ASCII letters, digits and / _ . # -, not "
                            "starting with AWS/", reserved_prefix="AWS/")
SNS_TOPIC = NameRule("an SNS topic name", 256, "A-Za-z0-9_-", "ASCII letters, digits, _ and -")
KMS_ALIAS = NameRule("a KMS alias", 256, "A-Za-z0-9/_-", "alias/ and ASCII letters, digits, / _ -", min_length=7,
                     reserved_prefix="alias/aws/")
IAM_PATH_MAX = 512


def name_problem(rule: NameRule, name: str) -> str | None:
    """What ``rule`` refuses about ``name`` (its length, then the characters it does not take), as the end of a sentence
    about the name: "has 65 characters; an IAM role name has 1 to 64"."""
    if not rule.min_length <= len(name) <= rule.max_length:
        return f"has {len(name)} characters; {rule.what} has {rule.min_length} to {rule.max_length}"
    bad = outside(name, rule.characters)
    if bad:
        return f"has characters {rule.what} cannot have: {bad}; allowed: {rule.allowed}"
    if rule.reserved_prefix and name.startswith(rule.reserved_prefix):
        return f"starts with {rule.reserved_prefix}, which AWS reserves for itself"
    if rule is KMS_ALIAS and not name.startswith("alias/"):
        return "must start with alias/"
    return None


def iam_path_problem(path: str) -> str | None:
    """IAM paths: ``/`` or ``/a/b/``, printable ASCII other than space, at most 512 characters."""
    if len(path) > IAM_PATH_MAX:
        return f"has {len(path)} characters; an IAM path has at most {IAM_PATH_MAX}"
    if not re.fullmatch(r"/(?:[\x21-\x7e]*/)?", path):
        return "is not an IAM path: / or /name/.../ of printable ASCII characters without spaces"
    return None


def outside(value: str, characters: str) -> str:
    """The distinct characters of ``value`` outside the class, quoted, in order of appearance."""
    seen = []
    for char in value:
        if not re.fullmatch(f"[{characters}]", char) and repr(char) not in seen:
            seen.append(repr(char))
    return ", ".join(seen)


# --------------------------------------------------------------------------------------------------- account ids

ACCOUNT_ID_PATTERN = r"^[0-9]{12}(?!\n)$"  # (?!\n): re.match's $ would take a trailing newline


def is_account_id(value: object) -> bool:
    """Exactly 12 ASCII digits (``str.isdigit`` and ``\\d`` take other scripts' digits too)."""
    return isinstance(value, str) and re.fullmatch(ACCOUNT_ID_PATTERN, value) is not None


# ---------------------------------------------------------------------------------------------------- S3 buckets

BUCKET_MIN, BUCKET_MAX = 3, 63
BUCKET_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
BUCKET_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
_IPV4 = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")


def bucket_name_problems(name: str) -> list[str]:
    """Every S3 general purpose bucket naming rule ``name`` breaks, in the order AWS lists them."""
    problems = []
    if not BUCKET_MIN <= len(name) <= BUCKET_MAX:
        problems.append(f"has {len(name)} characters; a bucket name has {BUCKET_MIN} to {BUCKET_MAX}")
    bad = outside(name, "a-z0-9.-")
    if bad:
        problems.append(f"has characters a bucket name cannot have: {bad}; allowed: lowercase letters, digits, dots and hyphens")
    if name and not (re.fullmatch("[a-z0-9]", name[0]) and re.fullmatch("[a-z0-9]", name[-1])):
        problems.append("must begin and end with a lowercase letter or digit")
    if ".." in name:
        problems.append("has two adjacent periods")
    if ".-" in name or "-." in name:
        problems.append("has a period next to a hyphen")
    if _IPV4.fullmatch(name):
        problems.append("is formatted as an IP address")
    problems += [f"starts with {prefix!r}, a prefix S3 reserves" for prefix in BUCKET_RESERVED_PREFIXES if name.startswith(prefix)]
    problems += [f"ends with {suffix!r}, a suffix S3 reserves" for suffix in BUCKET_RESERVED_SUFFIXES if name.endswith(suffix)]
    return problems


# ------------------------------------------------------------------------------------------------------------ tags

MAX_TAGS = 50
TAG_KEY_MAX, TAG_VALUE_MAX = 128, 256
# Tag keys and values as regexes, for the schema and the JSON Schema. Python's ``\w`` is exactly "a Unicode letter or
# digit, or _" (str.isalnum), all of which AWS takes; spaces other than U+0020 are left out on purpose.
TAG_KEY_PATTERN = rf"^(?![aA][wW][sS]:)[\w .:/=+@-]{{1,{TAG_KEY_MAX}}}$"
TAG_VALUE_PATTERN = rf"^[\w .:/=+@-]{{0,{TAG_VALUE_MAX}}}$"
TAG_KEY_ALLOWED = "1-128 Unicode letters, digits, spaces and _ . : / = + - @, not starting with aws: (in any case)"
# GuardDuty's own tag key pattern, ^(?!aws:)[a-zA-Z+-=._:/]+$ (TagResource, CreateDetector): the range +-= is + , - . /
# 0-9 : ; < =, so no space, no @ and no letter outside ASCII. Default tags reach the detector too, so their keys take
# what both take:
DEFAULT_TAG_KEY_CHARACTERS = "A-Za-z0-9_.:/=+\\-"
DEFAULT_TAG_KEY_ALLOWED = "ASCII letters, digits and _ . : / = + -"
TAG_VALUE_ALLOWED = "0-256 Unicode letters, digits, spaces and _ . : / = + - @"
# The cerberus rules of a tags map's keys and values (organization.tags, iam.users[].tags).
TAG_RULES = {
    "keysrules": {"type": "string", "regex": TAG_KEY_PATTERN, "meta": {"allowed": TAG_KEY_ALLOWED}},
    "valuesrules": {"type": "string", "regex": TAG_VALUE_PATTERN, "meta": {"allowed": TAG_VALUE_ALLOWED}},
}


# ------------------------------------------------------------------------------------------------ policy statements

PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
PARTITION_TOKEN, ACCOUNT_TOKEN = "<partition>", "<account>"  # policy/document.py's tokens
ACTION_PATTERN = r"^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$"
CONDITION_KEY_PATTERN = r"^[A-Za-z0-9_:/.-]+$"

# IAM's condition operators (IAM JSON policy reference, "Condition operators").
CONDITION_OPERATORS = (
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
    "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
    "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
)
SET_QUALIFIERS = ("ForAllValues:", "ForAnyValue:")
IF_EXISTS = "IfExists"


def _operator_forms() -> tuple[str, ...]:
    """Every operator IAM takes: each base, its IfExists form (not Null's), each with or without a set qualifier."""
    plain = [op for base in CONDITION_OPERATORS for op in ((base,) if base == "Null" else (base, base + IF_EXISTS))]
    return tuple(plain + [q + op for q in SET_QUALIFIERS for op in plain])


CONDITION_OPERATOR_FORMS = frozenset(_operator_forms())


def condition_operator_problem(operator: str) -> str | None:
    if operator in CONDITION_OPERATOR_FORMS:
        return None
    if operator.endswith("Null" + IF_EXISTS):
        return f"{operator!r} is not a condition operator: Null has no IfExists form"
    close = difflib.get_close_matches(operator, sorted(CONDITION_OPERATOR_FORMS), n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"{operator!r} is not an IAM condition operator{hint}; allowed: IAM's operators (README: AWS's own rules), "
            f"each with IfExists (not Null) and with ForAllValues: or ForAnyValue: before it")


_SERVICE = re.compile(r"[a-z0-9*?-]+")
_REGION = re.compile(r"[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}")
_WILDCARD_REGION = re.compile(r"[a-z0-9*?-]+")
_POLICY_VARIABLE = re.compile(r"\$\{[A-Za-z0-9:/_.-]+\}")  # ${aws:RequestedRegion}, ${aws:PrincipalAccount}
_ACCOUNT = re.compile(r"[0-9]{12}|aws|<account>")  # or a wildcard pattern of digits, or a policy variable
_WILDCARD_ACCOUNT = re.compile(r"(?=.*[*?])[0-9*?]{1,12}")
_RESOURCE_CHARACTERS = re.compile(r"[^\s\x00-\x1f\x7f]+")


def _partition_ok(partition: str) -> bool:
    if partition == PARTITION_TOKEN or partition in PARTITIONS:
        return True
    return any(ch in partition for ch in "*?") and any(fnmatch.fnmatchcase(p, partition) for p in PARTITIONS)


def _arn_fields(text: str) -> list[str]:
    """The six fields of an ARN, split at colons outside policy variables (``${aws:PrincipalAccount}``); the last
    field keeps its colons (``log-group:/aws/x:*``)."""
    fields, start, depth = [], 0, 0
    for i, char in enumerate(text):
        if text.startswith("${", i):
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif char == ":" and not depth and len(fields) < 5:
            fields.append(text[start:i])
            start = i + 1
    return fields + [text[start:]]


def arn_problem(resource: str) -> str | None:
    """What IAM refuses in a statement's resource: ``*``, or ``arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`` with a
    known partition (or the <partition> token), a service, an empty or Region-shaped region, an empty, 12-digit,
    ``aws`` or wildcard account (or the <account> token), and a resource. Wildcards * and ? may stand anywhere."""
    if resource == "*":
        return None
    parts = _arn_fields(resource)
    if parts[0] != "arn" or len(parts) < 6:
        return f"{resource!r} is not an ARN: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (six fields separated by colons) or *"
    _, partition, service, region, account, rest = parts
    if not _partition_ok(partition):
        return f"{resource!r}: partition {partition!r} is not one of {', '.join(PARTITIONS)} (or <partition>)"
    if not _SERVICE.fullmatch(service):
        return f"{resource!r}: service {service!r} is not a service prefix (lowercase letters, digits and -, e.g. s3)"
    wildcard = any(ch in region for ch in "*?")
    if region and not (_POLICY_VARIABLE.fullmatch(region) or (_WILDCARD_REGION if wildcard else _REGION).fullmatch(region)):
        return f"{resource!r}: region {region!r} is not a Region such as us-east-1 (or empty, or a pattern with * and ?)"
    if account and not any(p.fullmatch(account) for p in (_ACCOUNT, _WILDCARD_ACCOUNT, _POLICY_VARIABLE)):
        return f"{resource!r}: account {account!r} is not 12 digits, aws, <account> or a pattern with * and ? (or empty)"
    if not _RESOURCE_CHARACTERS.fullmatch(rest):
        return f"{resource!r}: the resource part after the account is empty or has spaces or control characters"
    return None

# An e-mail address (alarm subscribers, Identity Store users).
EMAIL_RE = r"^[A-Za-z0-9.!#&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
