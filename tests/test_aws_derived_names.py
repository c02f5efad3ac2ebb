"""Names baselinegen derives from profile values (organisation prefix + value + suffix) stay within AWS's rules: a
profile whose names are as long as validate lets them be renders only names AWS takes, and a value that would
make a derived name too long is refused by validate (E256) instead of by `terraform apply`."""

from __future__ import annotations

import pytest

from baselinegen import api
from baselinegen.profile import aws_rules
from baselinegen.profile.aws_rules import bucket_name_problems, iam_path_problem, name_problem
from baselinegen.validate.hclcheck import blocks, parse_files, unquote
from support.profile_problems import BASE, problems

ORG = "o" + "r" * 30 + "g"  # 32 characters, the longest organization.name
KEY = "l" + "k" * 31  # the longest key name
ACCOUNT_ID = "123456789012"


def _name(prefix: str, length: int, fill: str = "x") -> str:
    return prefix + fill * (length - len(prefix))


def longest_profile(group_length: int, organisation: bool) -> str:
    """Every name the profile takes at its longest (group names at ``group_length``), every component on."""
    groups = [("Admins", "administrator"), ("Infra", "infra-admin"), ("Security", "security-admin"), ("IAM", "iam-admin"),
              ("Ops", "operator"), ("Readers", "read-only")]
    admins = _name("Admins", group_length)
    org_keys = ""
    if organisation:
        org_keys = (f"  id: o-{'a' * 32}\n  deployment_role: {_name('R', 64)}\naccounts:\n"
                    + "".join(f"  - {{name: {_name(role[0], 32)}, id: '{digit * 12}', role: {role}}}\n"
                              for role, digit in (("management", "1"), ("log-archive", "2"), ("security", "3"), ("workload", "4"))))
    return f"""\
version: 1
organization:
  name: {ORG}
  home_region: us-east-1
  regions: [us-east-1, eu-west-1]
  tags: {{Owner: platform}}
{org_keys}iam:
{f"  identity_account: {_name('w', 32)}" if organisation else ""}
  groups:
{"".join(f"    - {{name: {_name(prefix, group_length)}, duty: {duty}}}" + chr(10) for prefix, duty in groups)}\
    - {{name: {_name("Apps", group_length)}, duty: app-developer, services: [lambda, s3, sqs], resource_prefix: {_name("p", 63, "q")}}}
    - name: {_name("Custom", group_length)}
      duty: custom
      statements: [{{sid: Read, actions: ["s3:GetObject"], resources: ["arn:<partition>:s3:::reports/*"]}}]
  users:
    - {{name: {_name("alice", 64)}, groups: [{admins}]}}
    - {{name: {_name("bob", 64)}, groups: [{admins}]}}
    - name: {_name("deploy", 64)}
      programmatic: true
      statements: [{{sid: Deploy, actions: ["lambda:UpdateFunctionCode"], resources: ["*"]}}]
encryption:
  keys:
    - {{name: {KEY}, services: [cloudtrail, cloudwatch-logs, config, sns], multi_region: true}}
  ebs_default_key: {KEY}
  close_default_security_groups: true
logging:
  cloudtrail:
    name: {_name("t", 48)}
    kms_key: {KEY}
    bucket: {{name: {_name("b", 51)}<account>, access_log_bucket_name: {_name("a", 51)}<account>}}
    cloudwatch_logs: {{log_group_name: {_name("/aws/", 512, "g")}}}
monitoring:
  topic: {{name: {_name("T", 256)}, kms_key: {KEY}, email: [soc@example.com]}}
  alarms:
    custom:
      - {{id: {_name("c", 64, "a")}, description: A custom alarm., pattern: '{{ $.eventName = DeleteBucket }}'}}
config:
  kms_key: {KEY}
  bucket: {{name: {_name("c", 51)}<account>}}
patching:
  groups: [staging, production, {_name("g", 32)}]
"""


# What each resource type names, and the rule of each attribute.
NAMED = {
    "aws_iam_user": {"name": aws_rules.IAM_USER, "path": None},
    "aws_iam_group": {"name": aws_rules.IAM_GROUP, "path": None},
    "aws_iam_role": {"name": aws_rules.IAM_ROLE, "path": None},
    "aws_iam_policy": {"name": aws_rules.IAM_POLICY, "path": None},
    "aws_cloudwatch_log_group": {"name": aws_rules.LOG_GROUP},
    "aws_sns_topic": {"name": aws_rules.SNS_TOPIC},
    "aws_kms_alias": {"name": aws_rules.KMS_ALIAS},
    "aws_s3_bucket": {"bucket": "bucket"},
}


def _rendered_names(text: str, tmp_path) -> list[tuple[str, str, str, str]]:
    """(file, resource type, attribute, value) of every name the render writes; ${local.account_id} as an id."""
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    parsed, failures = parse_files(api.render_tree(api.load_profile(path).profile).files)
    assert failures == []
    found = []
    for file, doc in sorted(parsed.items()):
        for type_, _, body in blocks(doc, "resource"):
            for attribute in NAMED.get(type_, {}):
                if attribute in body:
                    found.append((file, type_, attribute, unquote(body[attribute]).replace("${local.account_id}", ACCOUNT_ID)))
    return found


def _refused(names: list[tuple[str, str, str, str]]) -> list[str]:
    refused = []
    for file, type_, attribute, value in names:
        rule = NAMED[type_][attribute]
        if "${" in value:
            message = "is not a literal name (the test cannot check it)"
        elif rule is None:
            message = iam_path_problem(value)
        elif rule == "bucket":
            message = "; ".join(bucket_name_problems(value)) or None
        else:
            message = name_problem(rule, value)
        if message:
            refused.append(f"{file}: {type_}.{attribute} {value!r} {message}")
    return refused


@pytest.mark.parametrize("group_length, organisation", [(128, False), (21, True)], ids=["single account", "organisation"])
def test_the_longest_names_a_profile_takes_render_only_names_aws_takes(tmp_path, group_length, organisation):
    text = longest_profile(group_length, organisation)
    assert problems(tmp_path, text) == []
    names = _rendered_names(text, tmp_path)
    assert _refused(names) == []
    lengths = {(type_, attribute): max(len(v) for _, t, a, v in names if (t, a) == (type_, attribute)) for _, type_, attribute, _ in names}
    # The limits are reached, so the test checks the edge: these names are exactly as long as AWS allows.
    assert lengths[("aws_iam_role", "name")] == 64  # the trail's delivery role, <trail name of 48>-cloudwatch-logs
    assert lengths[("aws_iam_policy", "name")] == (104 if organisation else 128)  # shortened with a hash past 128
    assert lengths[("aws_iam_user", "name")] == 64
    assert lengths[("aws_cloudwatch_log_group", "name")] == 512
    assert lengths[("aws_sns_topic", "name")] == 256
    assert lengths[("aws_s3_bucket", "bucket")] == 63
    assert lengths[("aws_iam_group", "name")] == group_length


TRAIL_CASES = [
    ("trail name of 48 characters: the role has 64", _name("t", 48), []),
    ("trail name of 49 characters", _name("t", 49),
     ["10:11: logging.cloudtrail.name: AWS refuses the trail's CloudWatch Logs delivery role (<trail name>-cloudwatch-logs) '"
      + _name("t", 49) + "-cloudwatch-logs': it has 65 characters; an IAM role name has 1 to 64; make this value at most 48 "
      "characters [E256]"]),
    ("trail name of 128 characters", _name("t", 128),
     ["10:11: logging.cloudtrail.name: AWS refuses the trail's CloudWatch Logs delivery role (<trail name>-cloudwatch-logs) '"
      + _name("t", 128)[:60] + "'... (144 characters): it has 144 characters; an IAM role name has 1 to 64; make this value at "
      "most 48 characters [E256]"]),
]


@pytest.mark.parametrize("trail_name, expected", [c[1:] for c in TRAIL_CASES], ids=[c[0] for c in TRAIL_CASES])
def test_a_trail_name_that_makes_its_delivery_role_too_long_is_refused(tmp_path, trail_name, expected):
    assert problems(tmp_path, BASE + f"logging:\n  cloudtrail:\n    name: {trail_name}\n") == expected


def test_a_long_trail_name_is_no_problem_while_the_trail_is_off(tmp_path):
    text = (BASE.replace("monitoring:\n  topic: {email: [soc@acme.example]}\n", "")
            + f"logging:\n  cloudtrail:\n    enabled: false\n    name: {_name('t', 128)}\nmonitoring:\n  alarms: {{enabled: false}}\n")
    assert problems(tmp_path, text) == []


def _default_buckets_message(org: str, prefix: str) -> str:
    return (f"3:9: organization.name: S3 refuses the default bucket names '{org}-cloudtrail-<account>', "
            f"'{org}-s3-access-logs-<account>', '{org}-config-<account>': each starts with '{prefix}', a prefix S3 reserves; "
            "change organization.name or name the buckets (logging.cloudtrail.bucket.name, "
            "logging.cloudtrail.bucket.access_log_bucket_name, config.bucket.name) [E256]")


ORGANISATION_NAME_CASES = [
    ("xn-- prefix", "xn--acme", [_default_buckets_message("xn--acme", "xn--")]),
    ("sthree: its buckets start with sthree-", "sthree", [_default_buckets_message("sthree", "sthree-")]),
    ("amzn-s3-demo: its buckets start with amzn-s3-demo-", "amzn-s3-demo", [_default_buckets_message("amzn-s3-demo", "amzn-s3-demo-")]),
    ("xn with one hyphen", "xn", []),
    ("sthreeacme", "sthreeacme", []),
    ("the longest name", ORG, []),
]


@pytest.mark.parametrize("org, expected", [c[1:] for c in ORGANISATION_NAME_CASES], ids=[c[0] for c in ORGANISATION_NAME_CASES])
def test_an_organisation_name_that_starts_a_reserved_bucket_prefix_is_refused(tmp_path, org, expected):
    assert problems(tmp_path, BASE.replace("name: acme", f"name: {org}")) == expected


def test_buckets_named_in_the_profile_take_no_default_name_from_the_organisation(tmp_path):
    text = BASE.replace("name: acme", "name: xn--acme") + ("logging:\n  cloudtrail:\n    bucket: {name: acme-trail, "
                                                          "access_log_bucket_name: acme-access}\nconfig:\n  bucket: {name: acme-config}\n")
    assert problems(tmp_path, text) == []


def test_only_the_default_names_in_use_are_named(tmp_path):
    text = BASE.replace("name: acme", "name: xn--acme") + "config: {enabled: false}\nlogging:\n  cloudtrail:\n    bucket: {name: acme-trail}\n"
    assert problems(tmp_path, text) == [
        "3:9: organization.name: S3 refuses the default bucket names 'xn--acme-s3-access-logs-<account>': each starts with 'xn--', a "
        "prefix S3 reserves; change organization.name or name the buckets (logging.cloudtrail.bucket.access_log_bucket_name) [E256]"]
