"""The ``state`` section: the S3 bucket that holds every root's Terraform state, created by ``bootstrap/``."""

from __future__ import annotations

from ...errors import Problem
from ...profile.accounts_schema import ACCOUNT_NAME_ALLOWED, ACCOUNT_NAME_RE
from ...profile.loader import LoadedDocument, problem_at
from ...profile.regions import AWS_REGIONS

KMS_KEY_ARN_RE = r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key/[0-9a-f-]{36}|key/mrk-[0-9a-f]{32}|alias/[A-Za-z0-9/_-]{1,250})(?!\n)$"

SCHEMA = {
    "state": {
        "type": "dict",
        "meta": {"description": "Where Terraform keeps the state of every root: an S3 bucket (created by the generated bootstrap/ "
                                "root), one key per root, encrypted, with S3-native locking (use_lockfile). Without it, backend.tf "
                                "is an example and state stays on the machine that runs Terraform.",
                 "default": "none: local state"},
        "schema": {
            "bucket": {"type": "string", "required": True,
                       "meta": {"description": "The state bucket's name (every S3 naming rule, E120); bootstrap/ creates it.",
                                "allowed": "3-63 lowercase letters, digits, dots and hyphens (S3's bucket naming rules)"}},
            "region": {"type": "string", "allowed": list(AWS_REGIONS),
                       "meta": {"description": "The bucket's Region.", "default": "`organization.home_region`"}},
            "account": {"type": "string", "regex": ACCOUNT_NAME_RE,
                        "meta": {"description": "With accounts only: the account (by name) that holds the bucket.",
                                 "default": "the management account", "allowed": ACCOUNT_NAME_ALLOWED}},
            "kms_key": {"type": "string", "regex": KMS_KEY_ARN_RE,
                        "meta": {"description": "The ARN of an existing KMS key (or alias) that encrypts the state; without it "
                                                "bootstrap/ creates a key with rotation on.",
                                 "allowed": "a KMS key or alias ARN in the state bucket's Region",
                                 "default": "a key bootstrap/ creates"}},
        },
    },
}


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    """``state.account`` names an account of the profile and is refused without accounts (E260)."""
    state = data.get("state")
    if not isinstance(state, dict) or "account" not in state:
        return []
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
