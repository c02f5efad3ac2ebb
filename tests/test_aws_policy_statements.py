"""Policy statements written in the profile are checked as IAM checks them: resources are well-formed ARNs or *,
actions are service:Action, condition operators come from IAM's list (with IfExists and the set qualifiers)."""

from __future__ import annotations

import pytest

from baselinegen.profile.aws_rules import CONDITION_OPERATORS, arn_problem, condition_operator_problem
from support.profile_problems import BASE, problems

ARN_CASES = [
    # (case, resource, expected message or None)
    ("every resource", "*", None),
    ("bucket without region and account", "arn:aws:s3:::acme-reports", None),
    ("object pattern with a policy variable", "arn:aws:s3:::acme-home/${aws:username}/*", None),
    ("the partition and account tokens", "arn:<partition>:iam::<account>:role/payments-*", None),
    ("China partition", "arn:aws-cn:logs:cn-north-1:123456789012:log-group:/aws/x:*", None),
    ("GovCloud partition", "arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts", None),
    ("ISO partition", "arn:aws-iso-b:s3:::bucket", None),
    ("wildcard partition that matches a known one", "arn:aws*:s3:::bucket", None),
    ("AWS managed policy", "arn:aws:iam::aws:policy/ReadOnlyAccess", None),
    ("wildcard region and account", "arn:aws:ec2:*:*:instance/*", None),
    ("region pattern", "arn:aws:ec2:us-*:123456789012:volume/*", None),
    ("account pattern of digits", "arn:aws:iam::1234*:role/x", None),
    ("account from a policy variable", "arn:aws:iam::${aws:PrincipalAccount}:role/x", None),
    ("region from a policy variable", "arn:aws:ec2:${aws:RequestedRegion}:123456789012:instance/*", None),
    ("region that is half a policy variable", "arn:aws:ec2:${aws:Requested:123456789012:instance/*",
     "'arn:aws:ec2:${aws:Requested:123456789012:instance/*' is not an ARN: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (six "
     "fields separated by colons) or *"),
    ("policy variable with a colon in the resource", "arn:aws:s3:::acme/${aws:PrincipalTag/team}/*", None),
    ("resource with colons", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x:log-stream:*", None),
    ("eusc Region", "arn:aws-eusc:sqs:eusc-de-east-1:123456789012:queue", None),
    ("not an ARN", "acme-reports", "'acme-reports' is not an ARN: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (six fields "
                                   "separated by colons) or *"),
    ("five fields", "arn:aws:iam::123456789012", "'arn:aws:iam::123456789012' is not an ARN: arn:PARTITION:SERVICE:REGION:ACCOUNT:"
                                                 "RESOURCE (six fields separated by colons) or *"),
    ("misspelt partition", "arn:amazon:s3:::b", "'arn:amazon:s3:::b': partition 'amazon' is not one of aws, aws-cn, aws-us-gov, "
                                                "aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc (or <partition>)"),
    ("empty partition", "arn::s3:::b", "'arn::s3:::b': partition '' is not one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, "
                                       "aws-iso-e, aws-iso-f, aws-eusc (or <partition>)"),
    ("wildcard partition that matches none", "arn:gcp*:s3:::b", "'arn:gcp*:s3:::b': partition 'gcp*' is not one of aws, aws-cn, "
                                                               "aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc (or <partition>)"),
    ("empty service", "arn:aws::us-east-1:123456789012:x", "'arn:aws::us-east-1:123456789012:x': service '' is not a service prefix "
                                                           "(lowercase letters, digits and -, e.g. s3)"),
    ("uppercase service", "arn:aws:S3:::b", "'arn:aws:S3:::b': service 'S3' is not a service prefix (lowercase letters, digits and -, "
                                            "e.g. s3)"),
    ("region that is no Region", "arn:aws:sqs:tokyo:123456789012:q", "'arn:aws:sqs:tokyo:123456789012:q': region 'tokyo' is not a "
                                                                     "Region such as us-east-1 (or empty, or a pattern with * and ?)"),
    ("account of eleven digits", "arn:aws:sqs:us-east-1:12345678901:q", "'arn:aws:sqs:us-east-1:12345678901:q': account '12345678901' "
                                                                        "is not 12 digits, aws, <account> or a pattern with * and ? (or empty)"),
    ("account of non-ASCII digits", "arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/x", "'arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/x': account "
                                                                         "'١٢٣٤٥٦٧٨٩٠١٢' is not 12 digits, aws, <account> or a pattern "
                                                                         "with * and ? (or empty)"),
    ("account name instead of id", "arn:aws:iam::payments:role/x", "'arn:aws:iam::payments:role/x': account 'payments' is not 12 "
                                                                   "digits, aws, <account> or a pattern with * and ? (or empty)"),
    ("empty resource", "arn:aws:s3:::", "'arn:aws:s3:::': the resource part after the account is empty or has spaces or control "
                                        "characters"),
]


@pytest.mark.parametrize("resource, expected", [c[1:] for c in ARN_CASES], ids=[c[0] for c in ARN_CASES])
def test_statement_resources_are_well_formed_arns(resource, expected):
    assert arn_problem(resource) == expected


SUFFIX = "allowed: IAM's operators (README: AWS's own rules), each with IfExists (not Null) and with ForAllValues: or ForAnyValue: before it"
OPERATOR_CASES = [
    ("plain operator", "StringEquals", None),
    ("IfExists form", "ArnLikeIfExists", None),
    ("set qualifier", "ForAllValues:StringLike", None),
    ("set qualifier and IfExists", "ForAnyValue:StringNotEqualsIgnoreCaseIfExists", None),
    ("Null", "Null", None),
    ("Null with a set qualifier", "ForAnyValue:Null", None),
    ("BinaryEquals", "BinaryEqualsIfExists", None),
    ("a missing s", "StringEqual", f"'StringEqual' is not an IAM condition operator (did you mean 'StringEquals'?); {SUFFIX}"),
    ("wrong case", "stringequals", f"'stringequals' is not an IAM condition operator (did you mean 'StringEquals'?); {SUFFIX}"),
    ("misspelt qualifier", "ForAllValue:StringLike",
     f"'ForAllValue:StringLike' is not an IAM condition operator (did you mean 'ForAllValues:StringLike'?); {SUFFIX}"),
    ("Null with IfExists", "NullIfExists", "'NullIfExists' is not a condition operator: Null has no IfExists form"),
    ("Null with IfExists and a qualifier", "ForAnyValue:NullIfExists",
     "'ForAnyValue:NullIfExists' is not a condition operator: Null has no IfExists form"),
    ("part of an operator", "Equals", f"'Equals' is not an IAM condition operator (did you mean 'ArnEquals'?); {SUFFIX}"),
    ("nothing like an operator", "Matches", f"'Matches' is not an IAM condition operator; {SUFFIX}"),
    ("a qualifier alone", "ForAllValues:",
     f"'ForAllValues:' is not an IAM condition operator (did you mean 'ForAllValues:Null'?); {SUFFIX}"),
]


@pytest.mark.parametrize("operator, expected", [c[1:] for c in OPERATOR_CASES], ids=[c[0] for c in OPERATOR_CASES])
def test_condition_operators_come_from_iams_list(operator, expected):
    assert condition_operator_problem(operator) == expected


def test_every_base_operator_takes_ifexists_and_the_qualifiers_except_null_ifexists():
    for base in CONDITION_OPERATORS:
        for qualifier in ("", "ForAllValues:", "ForAnyValue:"):
            assert condition_operator_problem(qualifier + base) is None
            assert (condition_operator_problem(qualifier + base + "IfExists") is None) == (base != "Null")


CUSTOM_GROUP = """\
iam:
  groups:
    - name: Reports
      duty: custom
      statements:
        - sid: Read
          actions: [{actions}]
          resources: [{resources}]
          conditions:
            - {{test: {test}, variable: {variable}, values: ["x"]}}
"""


def _group(actions="s3:GetObject", resources='"*"', test="StringEquals", variable="aws:PrincipalTag/team") -> str:
    return BASE + CUSTOM_GROUP.format(actions=actions, resources=resources, test=test, variable=variable)


PROFILE_CASES = [
    ("well-formed statement", _group(resources='"arn:<partition>:s3:::acme-reports/*", "arn:aws:s3:::acme-reports"',
                                     test="ForAnyValue:StringLikeIfExists"), []),
    ("malformed ARNs, each reported", _group(resources='"arn:aws:s3:::", "arn:aws:sqs:us-east-1:1234:q", "*"'),
     ["15:23: iam.groups[0].statements[0].resources[0]: 'arn:aws:s3:::': the resource part after the account is empty or has "
      "spaces or control characters [E121]",
      "15:40: iam.groups[0].statements[0].resources[1]: 'arn:aws:sqs:us-east-1:1234:q': account '1234' is not 12 digits, aws, "
      "<account> or a pattern with * and ? (or empty) [E121]"]),
    ("a resource with a space is not an ARN at all", _group(resources='"arn:aws:s3:::a b"'),
     ["15:23: iam.groups[0].statements[0].resources[0]: 'arn:aws:s3:::a b' is not valid; allowed: an ARN (may contain * and the "
      "tokens <partition> and <account>) or * [E117]"]),
    ("misspelt condition operator", _group(test="StringEqualsIfExist"),
     ["17:22: iam.groups[0].statements[0].conditions[0].test: 'StringEqualsIfExist' is not an IAM condition operator (did you mean "
      f"'StringEqualsIfExists'?); {SUFFIX} [E122]"]),
    ("condition key with a non-ASCII letter", _group(variable="aws:PrincipalTag/équipe"),
     ["17:46: iam.groups[0].statements[0].conditions[0].variable: 'aws:PrincipalTag/équipe' is not valid; allowed: a condition key "
      "such as aws:RequestedRegion [E117]"]),
    ("action with a non-ASCII letter", _group(actions="s3:GetÖbject"),
     ["14:21: iam.groups[0].statements[0].actions[0]: 's3:GetÖbject' is not valid; allowed: service:Action, wildcards * and ? "
      "allowed in the action, e.g. s3:GetObject [E117]"]),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in PROFILE_CASES], ids=[c[0] for c in PROFILE_CASES])
def test_validate_checks_the_profiles_statements_as_iam_does(tmp_path, text, expected):
    assert problems(tmp_path, text) == expected


@pytest.mark.parametrize("arn, expected", [
    ("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", []),
    ("arn:aws-us-gov:iam::123456789012:policy/team/Reports_Read+Write", []),
    ("arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:policy/Reports", ["12:29: iam.groups[0].managed_policy_arns[0]: 'arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:policy/Reports' "
                                                  "is not valid; allowed: an IAM policy ARN, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess [E117]"]),
    ("arn:aws:iam::123456789012:policy/Rapports_Réservés", ["12:29: iam.groups[0].managed_policy_arns[0]: 'arn:aws:iam::123456789012:"
                                                            "policy/Rapports_Réservés' is not valid; allowed: an IAM policy ARN, e.g. "
                                                            "arn:aws:iam::aws:policy/ReadOnlyAccess [E117]"]),
], ids=["AWS managed policy on a path", "customer managed policy", "account id in Arabic-Indic digits", "policy name with a non-ASCII letter"])
def test_managed_policy_arns_take_ascii_account_ids_and_names(tmp_path, arn, expected):
    text = BASE + f"iam:\n  groups:\n    - name: Reports\n      duty: read-only\n      managed_policy_arns: [\"{arn}\"]\n"
    assert problems(tmp_path, text) == expected


def test_a_programmatic_users_statements_are_checked_too(tmp_path):
    text = BASE + """\
iam:
  mfa: {require_for_console: false}
  users:
    - name: deploy-bot
      programmatic: true
      statements:
        - sid: Deploy
          actions: ["lambda:UpdateFunctionCode"]
          resources: ["arn:aws:lambda:us-east-1:123456789012:function:payments-*", "arn:aws:lambda:us-east1:123456789012:function:x"]
          conditions:
            - {test: IpAdress, variable: "aws:SourceIp", values: ["10.0.0.0/8"]}
"""
    assert problems(tmp_path, text) == [
        "16:84: iam.users[0].statements[0].resources[1]: 'arn:aws:lambda:us-east1:123456789012:function:x': region 'us-east1' is "
        "not a Region such as us-east-1 (or empty, or a pattern with * and ?) [E121]",
        f"18:22: iam.users[0].statements[0].conditions[0].test: 'IpAdress' is not an IAM condition operator (did you mean "
        f"'IpAddress'?); {SUFFIX} [E122]",
    ]
