"""AWS's naming rules, checked offline: IAM, CloudWatch Logs, SNS and KMS names, IAM paths, account ids and S3 bucket
names take exactly what AWS takes (ASCII where AWS wants ASCII, the exact limits), in the profile and on the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from baselinegen.profile import aws_rules
from baselinegen.profile.aws_rules import (IAM_GROUP, IAM_POLICY, IAM_ROLE, IAM_USER, KMS_ALIAS, LOG_GROUP, METRIC_NAMESPACE, SNS_TOPIC,
                                           bucket_name_problems, iam_path_problem, is_account_id, name_problem)
from support.profile_problems import BASE, STATE, problems

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme.yaml"

NAME_CASES = [
    # (case, rule, name, expected message or None)
    ("user name at 64 characters", IAM_USER, "u" * 64, None),
    ("user name at 65 characters", IAM_USER, "u" * 65, "has 65 characters; an IAM user name has 1 to 64"),
    ("user name of one character", IAM_USER, "u", None),
    ("empty user name", IAM_USER, "", "has 0 characters; an IAM user name has 1 to 64"),
    ("user name with every allowed symbol", IAM_USER, "a+b=c,d.e@f_g-h", None),
    ("user name with a Latin letter outside ASCII", IAM_USER, "josé",
     "has characters an IAM user name cannot have: 'é'; allowed: ASCII letters, digits and + = , . @ _ - (no spaces)"),
    ("user name with Arabic-Indic digits", IAM_USER, "bot٣",
     "has characters an IAM user name cannot have: '٣'; allowed: ASCII letters, digits and + = , . @ _ - (no spaces)"),
    ("user name with a space and a slash", IAM_USER, "a b/c",
     "has characters an IAM user name cannot have: ' ', '/'; allowed: ASCII letters, digits and + = , . @ _ - (no spaces)"),
    ("group name at 128 characters", IAM_GROUP, "G" * 128, None),
    ("group name at 129 characters", IAM_GROUP, "G" * 129, "has 129 characters; an IAM group name has 1 to 128"),
    ("group name in Japanese", IAM_GROUP, "管理者",
     "has characters an IAM group name cannot have: '管', '理', '者'; allowed: ASCII letters, digits and + = , . @ _ - (no spaces)"),
    ("role name at 64 characters", IAM_ROLE, "r" * 64, None),
    ("role name at 65 characters", IAM_ROLE, "r" * 65, "has 65 characters; an IAM role name has 1 to 64"),
    ("policy name at 128 characters", IAM_POLICY, "p" * 128, None),
    ("policy name at 129 characters", IAM_POLICY, "p" * 129, "has 129 characters; an IAM policy name has 1 to 128"),
    ("log group name at 512 characters", LOG_GROUP, "/" + "l" * 511, None),
    ("log group name at 513 characters", LOG_GROUP, "l" * 513, "has 513 characters; a CloudWatch Logs group name has 1 to 512"),
    ("log group name with # and dots", LOG_GROUP, "/aws/cloudtrail/acme.trail#1", None),
    ("log group name in AWS's reserved space", LOG_GROUP, "aws/cloudtrail", "starts with aws/, which AWS reserves for itself"),
    ("log group name starting with aws but not aws/", LOG_GROUP, "aws-cloudtrail", None),
    ("log group name with a fullwidth letter", LOG_GROUP, "/aws/ｌogs",
     "has characters a CloudWatch Logs group name cannot have: 'ｌ'; allowed: ASCII letters, digits and _ - / . #, not starting with "
     "aws/ (/aws/... is fine)"),
    ("namespace at 255 characters", METRIC_NAMESPACE, "n" * 255, None),
    ("namespace starting with AWS/", METRIC_NAMESPACE, "AWS/Baseline", "starts with AWS/, which AWS reserves for itself"),
    ("namespace starting with AWSome/", METRIC_NAMESPACE, "AWSome/Baseline", None),
    ("topic name at 256 characters", SNS_TOPIC, "t" * 256, None),
    ("topic name at 257 characters", SNS_TOPIC, "t" * 257, "has 257 characters; an SNS topic name has 1 to 256"),
    ("topic name with a dot", SNS_TOPIC, "acme.alarms",
     "has characters an SNS topic name cannot have: '.'; allowed: ASCII letters, digits, _ and -"),
    ("alias at 256 characters", KMS_ALIAS, "alias/" + "k" * 250, None),
    ("alias at 257 characters", KMS_ALIAS, "alias/" + "k" * 251, "has 257 characters; a KMS alias has 7 to 256"),
    ("alias in AWS's reserved space", KMS_ALIAS, "alias/aws/s3", "starts with alias/aws/, which AWS reserves for itself"),
    ("alias starting with aws but not alias/aws/", KMS_ALIAS, "alias/aws-logs", None),
    ("alias without alias/", KMS_ALIAS, "acme-logs", "must start with alias/"),
]


@pytest.mark.parametrize("rule, name, expected", [c[1:] for c in NAME_CASES], ids=[c[0] for c in NAME_CASES])
def test_names_take_exactly_what_aws_takes(rule, name, expected):
    assert name_problem(rule, name) == expected


@pytest.mark.parametrize("rule", [IAM_USER, IAM_GROUP, IAM_ROLE, IAM_POLICY, LOG_GROUP, SNS_TOPIC], ids=lambda r: r.what)
def test_each_name_pattern_agrees_with_its_rule_at_the_limits(rule):
    import re

    longest, too_long = "a" * rule.max_length, "a" * (rule.max_length + 1)
    assert re.fullmatch(rule.pattern, longest) and name_problem(rule, longest) is None
    assert not re.fullmatch(rule.pattern, too_long) and name_problem(rule, too_long) is not None
    assert not re.fullmatch(rule.pattern, "aé") and not re.fullmatch(rule.pattern, "a\n")


PATH_CASES = [
    ("root path", "/", None),
    ("the baseline's path", "/baseline/", None),
    ("nested path with symbols", "/a/b-c_d+e/", None),
    ("path at 512 characters", "/" + "p" * 510 + "/", None),
    ("path at 513 characters", "/" + "p" * 511 + "/", "has 513 characters; an IAM path has at most 512"),
    ("path without the closing slash", "/baseline", "is not an IAM path: / or /name/.../ of printable ASCII characters without spaces"),
    ("path with a space", "/base line/", "is not an IAM path: / or /name/.../ of printable ASCII characters without spaces"),
    ("path with a non-ASCII letter", "/bäse/", "is not an IAM path: / or /name/.../ of printable ASCII characters without spaces"),
]


@pytest.mark.parametrize("path, expected", [c[1:] for c in PATH_CASES], ids=[c[0] for c in PATH_CASES])
def test_iam_paths(path, expected):
    assert iam_path_problem(path) == expected


ACCOUNT_ID_CASES = [
    ("twelve ASCII digits", "012345678901", True),
    ("eleven digits", "01234567890", False),
    ("thirteen digits", "0123456789012", False),
    ("Arabic-Indic digits", "٠١٢٣٤٥٦٧٨٩٠١", False),
    ("fullwidth digits", "０１２３４５６７８９０１", False),
    ("trailing newline", "012345678901\n", False),
    ("a number, not a string", 12345678901, False),
]


@pytest.mark.parametrize("value, expected", [c[1:] for c in ACCOUNT_ID_CASES], ids=[c[0] for c in ACCOUNT_ID_CASES])
def test_account_ids_are_twelve_ascii_digits(value, expected):
    assert is_account_id(value) is expected


BUCKET_CASES = [
    ("three characters", "abc", []),
    ("sixty-three characters", "a" * 63, []),
    ("dots and hyphens inside", "acme.logs-2024.archive", []),
    ("digits only", "123", []),
    ("three numbers with dots, not an IP address", "1.2.3", []),
    ("xn without the two hyphens", "xn-acme", []),
    ("s3alias without its hyphen", "acmes3alias", []),
    ("mrap without its dot", "acme-mrap", []),
    ("two characters", "ab", ["has 2 characters; a bucket name has 3 to 63"]),
    ("sixty-four characters", "a" * 64, ["has 64 characters; a bucket name has 3 to 63"]),
    ("uppercase", "Acme-logs", ["has characters a bucket name cannot have: 'A'; allowed: lowercase letters, digits, dots and hyphens",
                                "must begin and end with a lowercase letter or digit"]),
    ("underscore", "acme_logs", ["has characters a bucket name cannot have: '_'; allowed: lowercase letters, digits, dots and hyphens"]),
    ("non-ASCII letter", "acmé-logs", ["has characters a bucket name cannot have: 'é'; allowed: lowercase letters, digits, dots and hyphens"]),
    ("starts with a hyphen", "-acme", ["must begin and end with a lowercase letter or digit"]),
    ("ends with a dot", "acme.", ["must begin and end with a lowercase letter or digit"]),
    ("two adjacent periods", "acme..logs", ["has two adjacent periods"]),
    ("period before a hyphen", "acme.-logs", ["has a period next to a hyphen"]),
    ("hyphen before a period", "acme-.logs", ["has a period next to a hyphen"]),
    ("an IP address", "192.168.5.4", ["is formatted as an IP address"]),
    ("xn-- prefix", "xn--acme", ["starts with 'xn--', a prefix S3 reserves"]),
    ("sthree- prefix", "sthree-acme", ["starts with 'sthree-', a prefix S3 reserves"]),
    ("sthree-configurator prefix", "sthree-configurator-x", ["starts with 'sthree-', a prefix S3 reserves"]),
    ("amzn-s3-demo- prefix", "amzn-s3-demo-acme", ["starts with 'amzn-s3-demo-', a prefix S3 reserves"]),
    ("-s3alias suffix", "acme-s3alias", ["ends with '-s3alias', a suffix S3 reserves"]),
    ("--ol-s3 suffix", "acme--ol-s3", ["ends with '--ol-s3', a suffix S3 reserves"]),
    (".mrap suffix", "acme.mrap", ["ends with '.mrap', a suffix S3 reserves"]),
    ("--x-s3 suffix", "acme--x-s3", ["ends with '--x-s3', a suffix S3 reserves"]),
    ("--table-s3 suffix", "acme--table-s3", ["ends with '--table-s3', a suffix S3 reserves"]),
    ("several rules at once", "xn--a..b-s3alias", ["has two adjacent periods", "starts with 'xn--', a prefix S3 reserves",
                                                   "ends with '-s3alias', a suffix S3 reserves"]),
]


@pytest.mark.parametrize("name, expected", [c[1:] for c in BUCKET_CASES], ids=[c[0] for c in BUCKET_CASES])
def test_bucket_names_follow_every_general_purpose_naming_rule(name, expected):
    assert bucket_name_problems(name) == expected


def test_the_reserved_prefixes_and_suffixes_are_the_current_list():
    assert aws_rules.BUCKET_RESERVED_PREFIXES == ("xn--", "sthree-", "amzn-s3-demo-")
    assert aws_rules.BUCKET_RESERVED_SUFFIXES == ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


PROFILE_NAME_CASES = [
    ("group name with a non-ASCII letter", "iam:\n  groups:\n    - {name: Admïns, duty: read-only}\n",
     ["10:14: iam.groups[0].name: 'Admïns' is not valid; allowed: 1-128 ASCII letters, digits and + = , . @ _ - (no spaces) [E117]"]),
    ("user name with Devanagari digits", "iam:\n  users:\n    - {name: bot१२, programmatic: true}\n",
     ["10:14: iam.users[0].name: 'bot१२' is not valid; allowed: 1-64 ASCII letters, digits and + = , . @ _ - (no spaces) [E117]"]),
    ("log group name with a non-ASCII letter", "logging:\n  cloudtrail:\n    cloudwatch_logs: {log_group_name: /aws/trail/ü}\n",
     ["10:39: logging.cloudtrail.cloudwatch_logs.log_group_name: '/aws/trail/ü' is not valid; allowed: 1-512 ASCII letters, "
      "digits and _ - / . #, not starting with aws/ (/aws/... is fine) [E117]"]),
    ("log group name in AWS's reserved space", "logging:\n  cloudtrail:\n    cloudwatch_logs: {log_group_name: aws/cloudtrail}\n",
     ["10:39: logging.cloudtrail.cloudwatch_logs.log_group_name: 'aws/cloudtrail' is not valid; allowed: 1-512 ASCII letters, "
      "digits and _ - / . #, not starting with aws/ (/aws/... is fine) [E117]"]),
    ("trail bucket with two adjacent periods", "logging:\n  cloudtrail:\n    bucket: {name: 'acme..trail-<account>'}\n",
     ["10:20: logging.cloudtrail.bucket.name: S3 refuses the bucket name 'acme..trail-<account>' (with <account> as a 12-digit "
      "id): it has two adjacent periods [E120]"]),
    ("access log bucket like an IP address", "logging:\n  cloudtrail:\n    bucket: {access_log_bucket_name: 10.0.0.1}\n",
     ["10:38: logging.cloudtrail.bucket.access_log_bucket_name: S3 refuses the bucket name '10.0.0.1': it is formatted as an IP "
      "address [E120]"]),
    ("data event buckets with reserved prefixes and suffixes",
     "logging:\n  cloudtrail:\n    data_events: {s3: write, s3_buckets: [xn--acme, acme--ol-s3, ab, acme-<account>.mrap]}\n",
     ["10:43: logging.cloudtrail.data_events.s3_buckets[0]: S3 refuses the bucket name 'xn--acme': it starts with 'xn--', a "
      "prefix S3 reserves [E120]",
      "10:53: logging.cloudtrail.data_events.s3_buckets[1]: S3 refuses the bucket name 'acme--ol-s3': it ends with '--ol-s3', a "
      "suffix S3 reserves [E120]",
      "10:66: logging.cloudtrail.data_events.s3_buckets[2]: S3 refuses the bucket name 'ab': it has 2 characters; a bucket name "
      "has 3 to 63 [E120]",
      "10:70: logging.cloudtrail.data_events.s3_buckets[3]: S3 refuses the bucket name 'acme-<account>.mrap' (with <account> as "
      "a 12-digit id): it ends with '.mrap', a suffix S3 reserves [E120]"]),
    ("data event bucket too long once the account id is in", "logging:\n  cloudtrail:\n    data_events: {s3: write, s3_buckets: ["
     + "a" * 51 + "-<account>]}\n",
     ["10:43: logging.cloudtrail.data_events.s3_buckets[0]: S3 refuses the bucket name '" + "a" * 51 + "-<account>' (with <account> "
      "as a 12-digit id): it has 64 characters; a bucket name has 3 to 63 [E120]"]),
    ("config bucket with a period next to a hyphen", "config:\n  bucket: {name: acme.-config-<account>}\n",
     ["9:18: config.bucket.name: S3 refuses the bucket name 'acme.-config-<account>' (with <account> as a 12-digit id): it has a "
      "period next to a hyphen [E120]"]),
    ("config bucket too long and with a reserved prefix: the length is E232's",
     "config:\n  bucket: {name: sthree-" + "c" * 45 + "-<account>}\n",
     ["9:18: config.bucket.name: S3 refuses the bucket name 'sthree-" + "c" * 45 + "-<account>' (with <account> as a 12-digit id): "
      "it starts with 'sthree-', a prefix S3 reserves [E120]",
      "9:18: config.bucket.name: longer than 63 characters once <account> becomes the 12-digit account id [E232]"]),
    ("account id in fullwidth digits",
     "  id: o-a1b2c3d4e5\naccounts:\n  - {name: management, id: '１１１１１１１１１１１１', role: management}\n"
     "iam: {identity_account: management}\n",
     ["8:28: accounts[0].id: '１１１１１１１１１１１１' is not valid; allowed: exactly 12 digits, quoted, e.g. \"012345678901\" [E117]"]),
    ("deployment role with a non-ASCII letter",
     "  id: o-a1b2c3d4e5\n  deployment_role: Zugriffsrollé\naccounts:\n  - {name: management, id: '111111111111', role: management}\n"
     "iam: {identity_account: management}\n",
     ["7:20: organization.deployment_role: 'Zugriffsrollé' is not valid; allowed: an IAM role name: 1-64 ASCII letters, digits "
      "and + = , . @ _ - (no spaces) [E117]"]),
]


@pytest.mark.parametrize("extra, expected", [c[1:] for c in PROFILE_NAME_CASES], ids=[c[0] for c in PROFILE_NAME_CASES])
def test_validate_reports_names_aws_refuses_at_their_location(tmp_path, extra, expected):
    text = BASE.replace("  regions: [us-east-1]\n", "  regions: [us-east-1]\n" + extra) if extra.startswith("  id:") else BASE + extra
    assert problems(tmp_path, text) == expected


def test_a_metric_namespace_in_aws_own_space_is_refused(tmp_path):
    text = BASE.replace("  topic: {email: [soc@acme.example]}\n", "  topic: {email: [soc@acme.example]}\n  alarms: {namespace: AWS/Logs}\n")
    assert problems(tmp_path, text) == ["8:23: monitoring.alarms.namespace: 'AWS/Logs' is not valid; allowed: 1-255 ASCII letters, "
                                        "digits and / _ . # -, not starting with AWS/ [E117]"]


def test_bucket_names_at_the_exact_limits_are_valid(tmp_path):
    extra = ("logging:\n  cloudtrail:\n    bucket: {name: " + "t" * 50 + "-<account>, access_log_bucket_name: abc}\n"
             "    data_events: {s3: write, s3_buckets: [" + "d" * 63 + ", a.b-c.d, 1.2.3]}\n"
             "config:\n  bucket: {name: " + "c" * 51 + "<account>}\n")
    assert problems(tmp_path, BASE + extra + STATE, codes=("E", "W")) == []


def test_every_problem_is_reported_in_one_run(tmp_path):
    extra = ("iam:\n  groups:\n    - {name: Grüne, duty: read-only}\n"
             "config:\n  bucket: {name: xn--config}\n")
    assert [line.rsplit(" ", 1)[1] for line in problems(tmp_path, BASE + extra)] == ["[E117]", "[E120]"]


def test_aws_rules_are_checked_next_to_sections_of_the_wrong_type(tmp_path):
    extra = "iam: [not, a, mapping]\nlogging: {cloudtrail: {data_events: {s3: write, s3_buckets: [xn--logs]}}}\n"
    assert problems(tmp_path, BASE + extra) == [
        "8:6: iam: must be a mapping, not a list [E112]",
        "9:62: logging.cloudtrail.data_events.s3_buckets[0]: S3 refuses the bucket name 'xn--logs': it starts with 'xn--', a "
        "prefix S3 reserves [E120]",
    ]


def test_render_of_a_profile_with_a_bucket_name_s3_refuses_writes_nothing(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text(BASE + "config:\n  bucket: {name: 192.168.0.1}\n" + STATE, encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "baselinegen", "render", str(profile), "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == (f"{profile}:9:18: config.bucket.name: S3 refuses the bucket name '192.168.0.1': it is formatted as an "
                             "IP address [E120]\n1 error(s), 0 warning(s); nothing was written.\n")
    assert not out.exists()


@pytest.mark.parametrize("account_id", ["١٢٣٤٥٦٧٨٩٠١٢", "12345678901", "1234567890123", "12345678901a"],
                         ids=["Arabic-Indic digits", "eleven digits", "thirteen digits", "a letter"])
def test_policies_refuses_an_account_id_that_is_not_twelve_ascii_digits(tmp_path, account_id):
    out = tmp_path / "policies"
    result = subprocess.run([sys.executable, "-m", "baselinegen", "policies", str(EXAMPLE), "-o", str(out), "--account-id", account_id],
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"error: --account-id {account_id!r} is not valid; allowed: 12 digits 0-9\n"
    assert not out.exists()


def test_policies_takes_twelve_ascii_digits(tmp_path):
    out = tmp_path / "policies"
    result = subprocess.run([sys.executable, "-m", "baselinegen", "policies", str(EXAMPLE), "-o", str(out), "--account-id", "012345678901"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "012345678901" in (out / "index.json").read_text(encoding="utf-8")
