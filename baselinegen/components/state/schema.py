"""The ``state`` section: the S3 bucket that holds every root's Terraform state, created by ``bootstrap/``."""

from __future__ import annotations

import re

from ...errors import Problem
from ...profile.accounts_checks import account_key_problems
from ...profile.accounts_schema import ACCOUNT_NAME_ALLOWED, ACCOUNT_NAME_RE
from ...profile.loader import LoadedDocument, problem_at
from ...policy.document import ACCOUNT_TOKEN
from ...profile.regions import AWS_REGIONS, partition_of

KMS_KEY_ARN_RE = r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key/[0-9a-f-]{36}|key/mrk-[0-9a-f]{32}|alias/[A-Za-z0-9/_-]{1,250})(?!\n)$"

SCHEMA = {
    "state": {
        "type": "dict",
        "meta": {"description": "Where Terraform keeps the state of every root: an S3 bucket (created by the generated bootstrap/ "
                                "root), one key per root, encrypted, with S3-native locking (use_lockfile). Without it, backend.tf "
                                "is an example and state stays on the machine that runs Terraform (warning W435: CI cannot plan).",
                 "default": "none: local state"},
        "schema": {
            "bucket": {"type": "string", "required": True,
                       "meta": {"description": "The state bucket's name (every S3 naming rule, E120); bootstrap/ creates it.",
                                "allowed": "3-63 lowercase letters, digits, dots and hyphens (S3's bucket naming rules, E120); "
                                           "not the name of another bucket of the baseline (E261)"}},
            "region": {"type": "string", "allowed": list(AWS_REGIONS),
                       "meta": {"description": "The bucket's Region.", "default": "`organization.home_region`",
                                "allowed": "a Region of the home Region's partition (E262)"}},
            "account": {"type": "string", "regex": ACCOUNT_NAME_RE,
                        "meta": {"description": "With accounts only: the account (by name) that holds the bucket.",
                                 "default": "the management account", "allowed": ACCOUNT_NAME_ALLOWED}},
            "kms_key": {"type": "string", "regex": KMS_KEY_ARN_RE,
                        "meta": {"description": "The ARN of an existing KMS key (or alias) that encrypts the state; without it "
                                                "bootstrap/ creates a key with rotation on.",
                                 "allowed": "a KMS key or alias ARN in the state bucket's Region and partition (E263)",
                                 "default": "a key bootstrap/ creates"}},
        },
    },
}


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    """W435 without ``state``; E260 ``state.account``; E261 the bucket of another baseline bucket's name; E262 a
    Region outside the profile's partition; E263 a key outside the bucket's Region or partition."""
    state = data.get("state")
    if state is None:
        return [problem_at(doc, ("state",), "no state section: Terraform keeps every root's state in terraform.tfstate on "
                                            "the machine that runs it, so nobody else (CI included) can plan or apply; add "
                                            "state: {bucket: <name>} (bootstrap/ creates the bucket)", "W435", "warning")]
    if not isinstance(state, dict):
        return []
    return _account_problems(data, state, doc) + _bucket_problems(data, state, doc) + _place_problems(data, state, doc)


def _bucket_problems(data: dict, state: dict, doc: LoadedDocument) -> list[Problem]:
    """E261: the state bucket is named like a bucket the baseline creates (the trail, access-log or Config bucket)."""
    bucket = state.get("bucket")
    if not isinstance(bucket, str):
        return []
    org = data["organization"]["name"]
    trail = ((data.get("logging") or {}).get("cloudtrail") or {}).get("bucket") or {}
    config = (data.get("config") or {}).get("bucket") or {}
    others = (("logging.cloudtrail.bucket.name", trail.get("name") or f"{org}-cloudtrail-{ACCOUNT_TOKEN}"),
              ("logging.cloudtrail.bucket.access_log_bucket_name", trail.get("access_log_bucket_name") or f"{org}-s3-access-logs-{ACCOUNT_TOKEN}"),
              ("config.bucket.name", config.get("name") or f"{org}-config-{ACCOUNT_TOKEN}"))
    for key, name in others:
        if isinstance(name, str) and re.fullmatch(re.escape(name).replace(re.escape(ACCOUNT_TOKEN), "[0-9]{12}"), bucket):
            return [problem_at(doc, ("state", "bucket"), f"{bucket!r} is the name of the baseline's bucket {key} "
                                                         f"({name!r}); the state needs a bucket of its own: choose another name", "E261")]
    return []


def _place_problems(data: dict, state: dict, doc: LoadedDocument) -> list[Problem]:
    """E262: the Region in another partition than the home Region; E263: the key in another Region or partition."""
    home = data["organization"]["home_region"]
    region = state.get("region", home)
    problems = []
    if isinstance(region, str) and partition_of(region) != partition_of(home):
        problems.append(problem_at(doc, ("state", "region"), f"{region!r} is in the {partition_of(region)} partition, the "
                                                             f"home Region {home} in {partition_of(home)}: the baseline's "
                                                             "credentials cannot reach it; choose a Region of the home "
                                                             "Region's partition", "E262"))
    key = state.get("kms_key")
    if isinstance(key, str) and isinstance(region, str) and key.count(":") >= 5:
        partition, key_region = key.split(":")[1], key.split(":")[3]
        if (partition, key_region) != (partition_of(region), region):
            problems.append(problem_at(doc, ("state", "kms_key"), f"the key is in {key_region} ({partition}), the state "
                                                                  f"bucket in {region} ({partition_of(region)}): S3 encrypts "
                                                                  "only with a key of the bucket's own Region; name a key "
                                                                  f"in {region}", "E263"))
    return problems


def _account_problems(data: dict, state: dict, doc: LoadedDocument) -> list[Problem]:
    """``state.account`` names an account of the profile and is refused without accounts (E260)."""
    if "account" not in state:
        return []
    return account_key_problems(data, doc, ("state", "account"), "E260",
                                "state.account names the account that holds the state bucket in an organisation; a profile "
                                "without accounts describes one account, which holds it: remove the key")
    accounts = data.get("accounts")
    if not accounts:
        return [problem_at(doc, ("state", "account"), "state.account names the account that holds the state bucket in an "
                                                      "organisation; a profile without accounts describes one account, which "
                                                      "holds it: remove the key", "E260")]
    names = [a.get("name") for a in accounts if isinstance(a, dict)]
    if state["account"] not in names:
        return [problem_at(doc, ("state", "account"), f"no account is named {state['account']!r}; accounts: "
                                                      + ", ".join(map(str, names)), "E260")]
    return []
