"""AWS's own rules applied to the profile (rules in profile/aws_rules.py), after the schema:

* E120: a bucket name S3 refuses (every general purpose bucket naming rule; its length once <account> is an id is
  E214 / E232, the sections' own checks);
* E121: a statement resource that is not a well-formed ARN;
* E122: a condition operator IAM does not have (with a suggestion);
* E256: a name baselinegen derives from profile values that AWS refuses (too long once prefix and suffix are added);
* E257: more than 50 tags on one resource once the provider's default tags and the resource's own are merged;
* E258: a default tag key the GuardDuty detector refuses (its keys take fewer characters than other services').
"""

from __future__ import annotations

from ..errors import Problem
from ..policy.document import ACCOUNT_TOKEN
from .aws_rules import (BUCKET_MAX, DEFAULT_TAG_KEY_ALLOWED, DEFAULT_TAG_KEY_CHARACTERS, IAM_ROLE, MAX_TAGS, arn_problem,
                        bucket_name_problems, condition_operator_problem, name_problem, outside)
from .loader import LoadedDocument, dotted_path, problem_at
from .model import MANAGED_BY_TAG_KEY as MANAGED_BY_TAG, PROTECTED_TAG_KEY as PROTECTED_TAG, TRAIL_ROLE_SUFFIX

ACCOUNT_STAND_IN = "0" * 12  # <account> becomes a 12-digit id; which one changes no rule but the length
# The closed default security groups' own tags (templates/guards/main.tf.j2), the most any generated resource adds;
# tests/test_aws_tag_limits.py counts the tags of every resource of a render.
DEFAULT_SECURITY_GROUP_TAGS = ("Name", PROTECTED_TAG)


# Bucket keys whose length with <account> as an id their section checks already (E214, E232).
_LENGTH_CHECKED = {("logging", "cloudtrail", "bucket", "name"), ("logging", "cloudtrail", "bucket", "access_log_bucket_name"),
                   ("config", "bucket", "name")}


def _at(data, *keys) -> dict:
    """The mapping at ``keys``, or {} where the profile has something else (the schema reports that)."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _list_at(data, *keys) -> list:
    value = _at(data, *keys[:-1]).get(keys[-1])
    return value if isinstance(value, list) else []


def _bucket_paths(data: dict):
    """(path, name) of every bucket name written in the profile."""
    trail = _at(data, "logging", "cloudtrail")
    bucket = _at(trail, "bucket")
    for key in ("name", "access_log_bucket_name"):
        if isinstance(bucket.get(key), str):
            yield ("logging", "cloudtrail", "bucket", key), bucket[key]
    for i, name in enumerate(_list_at(trail, "data_events", "s3_buckets")):
        if isinstance(name, str):
            yield ("logging", "cloudtrail", "data_events", "s3_buckets", i), name
    config_bucket = _at(data, "config", "bucket")
    if isinstance(config_bucket.get("name"), str):
        yield ("config", "bucket", "name"), config_bucket["name"]
    if isinstance(_at(data, "state").get("bucket"), str):
        yield ("state", "bucket"), data["state"]["bucket"]


def bucket_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    problems = []
    for path, name in _bucket_paths(data):
        concrete = name.replace(ACCOUNT_TOKEN, ACCOUNT_STAND_IN)
        broken = bucket_name_problems(concrete)
        if path in _LENGTH_CHECKED and len(concrete) > BUCKET_MAX:
            broken = broken[1:]  # the first rule, the length, has its own message there
        if broken:
            shown = f"{name!r} (with <account> as a 12-digit id)" if ACCOUNT_TOKEN in name else repr(name)
            problems.append(problem_at(doc, path, f"S3 refuses the bucket name {shown}: it {'; it '.join(broken)}", "E120"))
    return problems


def _statement_lists(data: dict):
    """(path, statements) of every list of policy statements the profile writes."""
    for section in ("groups", "users"):
        for i, item in enumerate(_list_at(data, "iam", section)):
            if isinstance(item, dict) and isinstance(item.get("statements"), list):
                yield ("iam", section, i, "statements"), item["statements"]


def statement_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    problems = []
    for base, statements in _statement_lists(data):
        for j, statement in enumerate(statements):
            if not isinstance(statement, dict):
                continue
            for k, resource in enumerate(_list_at(statement, "resources")):
                message = arn_problem(resource) if isinstance(resource, str) else None
                if message:
                    problems.append(problem_at(doc, base + (j, "resources", k), message, "E121"))
            for k, condition in enumerate(_list_at(statement, "conditions")):
                test = condition.get("test") if isinstance(condition, dict) else None
                message = condition_operator_problem(test) if isinstance(test, str) else None
                if message:
                    problems.append(problem_at(doc, base + (j, "conditions", k, "test"), message, "E122"))
    return problems


def _derived_names(data: dict):
    """(path of the profile value, the value, rule, derived name, what it names) of each name baselinegen derives that
    the limits of its inputs do not already keep within AWS's (tests/test_aws_derived_names.py renders the longest
    names every input allows and checks every name in the output)."""
    trail = _at(data, "logging", "cloudtrail")
    if trail.get("enabled", True) is not False and isinstance(trail.get("name"), str):  # the default, <organization.name>-trail, fits
        yield (("logging", "cloudtrail", "name"), trail["name"], IAM_ROLE, f"{trail['name']}{TRAIL_ROLE_SUFFIX}",
               f"the trail's CloudWatch Logs delivery role (<trail name>{TRAIL_ROLE_SUFFIX})")


def _default_buckets(data: dict) -> list[tuple[str, str]]:
    """(key that would name it, default name) of each bucket the profile leaves to its default, <organization.name>-..."""
    org = _at(data, "organization").get("name")
    trail, trail_bucket, config = _at(data, "logging", "cloudtrail"), _at(data, "logging", "cloudtrail", "bucket"), _at(data, "config")
    if not isinstance(org, str):
        return []
    defaults = []
    if trail.get("enabled", True) is not False:
        defaults += [("logging.cloudtrail.bucket." + key, f"{org}-{middle}-{ACCOUNT_TOKEN}")
                     for key, middle in (("name", "cloudtrail"), ("access_log_bucket_name", "s3-access-logs")) if key not in trail_bucket]
    if config.get("enabled", True) is not False and "name" not in _at(config, "bucket"):
        defaults.append(("config.bucket.name", f"{org}-config-{ACCOUNT_TOKEN}"))
    return defaults


def _default_bucket_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    """organization.name begins every default bucket name: S3's reserved prefixes (xn--, sthree-, ...) refuse them all."""
    broken = [(key, name, bucket_name_problems(name.replace(ACCOUNT_TOKEN, ACCOUNT_STAND_IN))) for key, name in _default_buckets(data)]
    broken = [item for item in broken if item[2]]
    if not broken:
        return []
    names = ", ".join(repr(name) for _, name, _ in broken)
    return [problem_at(doc, ("organization", "name"), f"S3 refuses the default bucket names {names}: each {'; each '.join(broken[0][2])}; "
                                                      f"change organization.name or name the buckets ({', '.join(k for k, _, _ in broken)})",
                       "E256")]


def derived_name_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    problems = _default_bucket_problems(data, doc)
    for path, value, rule, name, what in _derived_names(data):
        message = name_problem(rule, name)
        if message:
            room = rule.max_length - (len(name) - len(value))
            problems.append(problem_at(doc, path, f"AWS refuses {what} {name!r}: it {message}; make this value at most "
                                                  f"{room} characters", "E256"))
    return problems


def tag_count_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    """Tags are merged per resource: the provider's default tags (organization.tags and ManagedBy) with the resource's
    own (the Name and baselinegen:protected tags of the generated resources, an IAM user's tags); AWS allows 50."""
    org_tags = _at(data, "organization", "tags")
    defaults = set(org_tags) | {MANAGED_BY_TAG}
    closes_groups = _at(data, "encryption").get("close_default_security_groups") is True
    added, where = ((DEFAULT_SECURITY_GROUP_TAGS, "the closed default security groups") if closes_groups
                    else ((PROTECTED_TAG,), "the resources the guardrails protect (KMS keys, the trail, ...)"))
    most = defaults | set(added)
    if len(most) > MAX_TAGS:
        return [problem_at(doc, ("organization", "tags"),
                           f"{len(org_tags)} tags here, with {MANAGED_BY_TAG} and the tags baselinegen adds ({', '.join(added)}), "
                           f"make {len(most)} tags on {where}; AWS allows {MAX_TAGS} per resource: remove {len(most) - MAX_TAGS}", "E257")]
    problems = []
    for i, user in enumerate(_list_at(data, "iam", "users")):
        tags = user.get("tags") if isinstance(user, dict) else None
        if isinstance(tags, dict) and len(defaults | set(tags)) > MAX_TAGS:
            total = len(defaults | set(tags))
            problems.append(problem_at(doc, ("iam", "users", i, "tags"),
                                       f"the user would carry {total} tags: {len(set(tags) - defaults)} of its own and the "
                                       f"{len(defaults)} default tags (organization.tags and {MANAGED_BY_TAG}); AWS allows "
                                       f"{MAX_TAGS} per resource: remove {total - MAX_TAGS}", "E257"))
    return problems


def default_tag_key_problems(data: dict, doc: LoadedDocument) -> list[Problem]:
    """organization.tags become default tags of every resource, the GuardDuty detector included, whose keys take less
    than other services' (E258)."""
    if _at(data, "detection", "guardduty").get("enabled", True) is False:
        return []
    problems = []
    for key in _at(data, "organization", "tags"):
        bad = outside(key, DEFAULT_TAG_KEY_CHARACTERS) if isinstance(key, str) else ""
        if bad:
            path = ("organization", "tags", key)
            problems.append(Problem(doc.locate(path, prefer_key=True), dotted_path(path),
                                    f"GuardDuty refuses the tag key {key!r} on its detectors, which get the default tags too: it has {bad}; "
                                    f"with GuardDuty on, default tag keys take {DEFAULT_TAG_KEY_ALLOWED} only", "E258"))
    return problems


CHECKS = (bucket_problems, statement_problems, derived_name_problems, tag_count_problems, default_tag_key_problems)


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    return [problem for run in CHECKS for problem in run(data, doc)]
