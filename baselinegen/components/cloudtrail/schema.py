"""The ``logging`` section: the CloudTrail trail, its buckets and its CloudWatch Logs delivery."""

from __future__ import annotations

from ...errors import Problem
from .. import control_tower
from ...profile.aws_rules import LOG_GROUP
from ...profile.loader import LoadedDocument, problem_at as _problem
from ..kms.schema import DEFAULT_KEY, key_reference_problems

# What CloudWatch Logs accepts for retention_in_days (0 = never expire).
LOG_RETENTION_DAYS = (0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
STORAGE_CLASSES = ("DEEP_ARCHIVE", "GLACIER", "GLACIER_IR", "INTELLIGENT_TIERING", "ONEZONE_IA", "STANDARD_IA")
# Bucket names: the <account> token stands for the account id (12 digits).
BUCKET_NAME_RE = r"^(?:[a-z0-9]|<account>)(?:[a-z0-9.-]|<account>)*(?:[a-z0-9]|<account>)$"
ACCOUNT_ID_LENGTH = 12
TRAIL_NAME_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$"
LOG_GROUP_NAME_RE = LOG_GROUP.pattern

BUCKET_ALLOWED = "3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit; <account> stands for the account id"

BUCKET_NAME_TOO_LONG = "longer than 63 characters once <account> becomes the 12-digit account id"


def lifecycle_schema(what: str) -> dict:
    """The lifecycle keys every log bucket of the profile has; ``what`` names its objects ("log files")."""
    return {
        "transition_days": {"type": "integer", "min": 1, "max": 36500, "nullable": True, "default": 90,
                            "meta": {"description": f"Days until {what} move to storage_class; null = never."}},
        "storage_class": {"type": "string", "allowed": list(STORAGE_CLASSES), "default": "GLACIER",
                          "meta": {"description": f"S3 storage class {what} move to after transition_days."}},
        "expiration_days": {"type": "integer", "min": 1, "max": 36500, "nullable": True, "default": 2555,
                            "meta": {"description": f"Days until {what} are deleted, later than transition_days; null = kept forever."}},
        "noncurrent_expiration_days": {"type": "integer", "min": 1, "max": 36500, "default": 90,
                                       "meta": {"description": "Days a replaced or deleted object version is kept."}},
    }


def lifecycle_problems(doc: LoadedDocument, path: tuple, bucket: dict, what: str, code: str) -> list[Problem]:
    """Objects must not expire before (or when) they move to the cheaper storage class."""
    transition, expiration = bucket["transition_days"], bucket["expiration_days"]
    if transition is None or expiration is None or expiration > transition:
        return []
    return [_problem(doc, path + ("expiration_days",),
                     f"{what} would expire ({expiration} days) before or when they move to {bucket['storage_class']} ({transition} days); make expiration_days larger or transition_days null", code)]


def bucket_name_too_long(name: str) -> bool:
    return len(name.replace("<account>", "0" * ACCOUNT_ID_LENGTH)) > 63


SCHEMA = {
    "logging": {
        "type": "dict",
        "default": {},
        "meta": {"description": "The audit trail."},
        "schema": {
            "cloudtrail": {
                "type": "dict",
                "default": {},
                "meta": {"description": "A multi-Region CloudTrail trail in the home Region (CIS 3.1-3.7, 3.10, 3.11 in v1.4.0)."},
                "schema": {
                    "enabled": {"type": "boolean", "default": True,
                                "meta": {"description": "false only when another trail (e.g. Control Tower's organization trail) records this account: warning W405."}},
                    "name": {"type": "string", "regex": TRAIL_NAME_RE,
                             "meta": {"description": "The trail's name; at most 48 characters, as its CloudWatch Logs delivery role is "
                                                     "<name>-cloudwatch-logs (E256).", "default": "`<organization.name>-trail`",
                                      "allowed": "3-128 letters, digits, . _ -, starting and ending with a letter or digit"}},
                    "kms_key": {"type": "string", "default": DEFAULT_KEY,
                                "meta": {"description": "Key of encryption.keys that encrypts the log files and the trail bucket "
                                                        "(E212); it must list cloudtrail, and cloudwatch-logs unless cloudwatch_logs.kms_key "
                                                        "names another key (E213).",
                                         "allowed": "a key of encryption.keys"}},
                    "log_file_validation": {"type": "boolean", "default": True,
                                            "meta": {"description": "Digest files that prove log files were not changed (CIS 3.2); false: warning W405."}},
                    "bucket": {
                        "type": "dict",
                        "default": {},
                        "meta": {"description": "The trail's bucket and the bucket of its server access logs, both hardened."},
                        "schema": {
                            "name": {"type": "string", "regex": BUCKET_NAME_RE,
                                     "meta": {"description": "The trail bucket; at most 63 characters with <account> as the 12-digit id (E214); "
                                                             "the other S3 naming rules: E120.",
                                              "default": "`<organization.name>-cloudtrail-<account>`", "allowed": BUCKET_ALLOWED}},
                            "access_log_bucket_name": {"type": "string", "regex": BUCKET_NAME_RE,
                                                       "meta": {"description": "The server access log bucket, not the trail bucket; at most 63 "
                                                                               "characters with <account> as the 12-digit id (E214); the "
                                                                               "other S3 naming rules: E120.",
                                                                "default": "`<organization.name>-s3-access-logs-<account>`",
                                                                "allowed": BUCKET_ALLOWED}},
                            **lifecycle_schema("log files"),
                            "access_log_expiration_days": {"type": "integer", "min": 1, "max": 36500, "default": 365,
                                                           "meta": {"description": "Days server access logs are kept."}},
                        },
                    },
                    "cloudwatch_logs": {
                        "type": "dict",
                        "default": {},
                        "meta": {"description": "Delivery to CloudWatch Logs, where the alarms' metric filters run (CIS 3.4)."},
                        "schema": {
                            "log_group_name": {"type": "string", "regex": LOG_GROUP_NAME_RE,
                                               "meta": {"description": "The log group.", "default": "the trail's name",
                                                        "allowed": f"1-512 {LOG_GROUP.allowed}"}},
                            "retention_days": {"type": "integer", "allowed": list(LOG_RETENTION_DAYS), "default": 365,
                                               "meta": {"description": "Days CloudWatch Logs keeps the events; 0 = never expire; "
                                                                       "below 365: warning W406."}},
                            "kms_key": {"type": "string",
                                        "meta": {"description": "Key of encryption.keys for the log group; it must list cloudwatch-logs (E213).",
                                                 "default": "the trail's `kms_key`", "allowed": "a key of encryption.keys"}},
                        },
                    },
                    "data_events": {
                        "type": "dict",
                        "default": {},
                        "meta": {"description": "Data events (billed per event): S3 object-level logging (CIS 3.10, 3.11) and Lambda invocations."},
                        "schema": {
                            "s3": {"type": "string", "allowed": ["none", "read", "write", "all"], "default": "none",
                                   "meta": {"description": "S3 object-level operations to record: write (CIS 3.10 in v1.4.0, "
                                                           "3.8 in v3.0.0), read (CIS 3.11, 3.9), all, or none."}},
                            "s3_buckets": {"type": "list", "default": [],
                                           "schema": {"type": "string", "regex": BUCKET_NAME_RE, "meta": {"allowed": BUCKET_ALLOWED}},
                                           "meta": {"description": "Buckets to log; empty = every bucket except the trail's own; each follows the S3 "
                                                                   "naming rules (E120).",
                                                    "example": ["acme-payments-<account>", "acme-exports"]}},
                            "lambda": {"type": "boolean", "default": False,
                                       "meta": {"description": "Record the invocations of every Lambda function."}},
                        },
                    },
                },
            },
        },
    },
}



def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    trail = data["logging"]["cloudtrail"]
    base = ("logging", "cloudtrail")
    if control_tower.on_in(data):
        return []  # Control Tower's trail records the organisation: profile/control_tower_checks.py (W444)
    if not trail["enabled"]:
        return [_problem(doc, base + ("enabled",), "no trail: CIS 3.1 (multi-Region trail) must be met by another trail that records this account", "W405", "warning")]
    problems = key_reference_problems(data, doc, base + ("kms_key",), trail["kms_key"], "cloudtrail", "the trail")
    logs = trail["cloudwatch_logs"]
    if "kms_key" in logs:
        problems += key_reference_problems(data, doc, base + ("cloudwatch_logs", "kms_key"), logs["kms_key"], "cloudwatch-logs", "the trail's log group")
    elif not any(p.code == "E212" for p in problems):
        problems += key_reference_problems(data, doc, base + ("kms_key",), trail["kms_key"], "cloudwatch-logs",
                                           "the trail's log group (cloudwatch_logs.kms_key defaults to this key)")
    bucket = trail["bucket"]
    problems += lifecycle_problems(doc, base + ("bucket",), bucket, "log files", "E214")
    for key in ("name", "access_log_bucket_name"):
        if key in bucket and bucket_name_too_long(bucket[key]):
            problems.append(_problem(doc, base + ("bucket", key), BUCKET_NAME_TOO_LONG, "E214"))
    names = [bucket.get("name"), bucket.get("access_log_bucket_name")]
    if names[0] and names[0] == names[1]:
        problems.append(_problem(doc, base + ("bucket", "access_log_bucket_name"), "the access logs need a bucket of their own (a bucket that logs into itself loops)", "E214"))
    if not trail["log_file_validation"]:
        problems.append(_problem(doc, base + ("log_file_validation",), "log file validation is off (CIS 3.2; Security Hub CloudTrail.4)", "W405", "warning"))
    if 0 < logs["retention_days"] < 365:
        problems.append(_problem(doc, base + ("cloudwatch_logs", "retention_days"), f"{logs['retention_days']} days is less than a year of searchable trail events (checkov CKV_AWS_338)", "W406", "warning"))
    return problems
