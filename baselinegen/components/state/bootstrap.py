"""The ``bootstrap/`` root: the state bucket (hardened like the log buckets), its KMS key, and who may use them.

bootstrap/ is applied first, with local state, and then migrated into the bucket it created (the generated README's
first-apply runbook). Its policies name principals by account root plus ``aws:PrincipalArn``: the CI roles do not
exist yet when bootstrap/ runs, and S3 and KMS refuse a policy whose principal does not exist.
"""

from __future__ import annotations

from ...policy.document import ACCOUNT_TOKEN, Condition, PolicyDocument, Principal, Statement, arn
from ...profile.model import Profile
from ...profile.regions import dns_suffix, partition_of
from ..cloudtrail.policies import bucket_arn, deny_insecure_transport
from .backend import key_alias

NONCURRENT_DAYS = 90  # former state versions kept to recover from a bad apply
BUCKET_SKIPS = (
    ("CKV_AWS_18", "bootstrap/ is applied before any other root, so no access-log bucket exists to log to; CloudTrail "
                   "records the bucket's management events, and S3 server access logging can be added later in a "
                   "*_override.tf file"),
    ("CKV_AWS_144", "cross-Region replication of Terraform state is a cost and design choice: versioning keeps every "
                    "former state for recovery"),
    ("CKV2_AWS_62", "nothing consumes object events on the state bucket; a bare notification would add no security"),
)
KEY_POLICY_SKIPS = (
    ("CKV_AWS_109", "a key policy's resource is always the key itself (\"*\"); administration is delegated to IAM through the account root statement"),
    ("CKV_AWS_111", "a key policy's resource is always the key itself (\"*\"); the CI roles' statement is pinned by aws:PrincipalArn and kms:ViaService (S3 only)"),
    ("CKV_AWS_356", "a key policy's resource is always the key itself (\"*\")"),
)
PLAN, APPLY = "plan", "apply"


def ci_role_arn(profile: Profile, which: str) -> str:
    """The entry account's CI role (``<org>-baseline-plan`` / ``-apply``); single account: the one account."""
    account = profile.ci.account_id or ACCOUNT_TOKEN
    return arn("iam", f"role/{profile.organization.name}-baseline-{which}", account=account)


def _ci_principal(profile: Profile) -> tuple[Principal, ...]:
    return (Principal("AWS", (arn("iam", "root", account=profile.ci.account_id or ACCOUNT_TOKEN),)),)


def _role_is(profile: Profile, *which: str) -> Condition:
    return Condition("ArnEquals", "aws:PrincipalArn", tuple(ci_role_arn(profile, w) for w in which))


def bucket_policy(profile: Profile) -> PolicyDocument:
    """TLS only; with ``ci.github``: both CI roles read state and write lock objects, only the apply role writes
    state. Everyone else of the state account reaches the bucket through IAM policies."""
    bucket = profile.state.bucket
    statements = [deny_insecure_transport(bucket)]
    if profile.ci.github:
        who, both = _ci_principal(profile), _role_is(profile, PLAN, APPLY)
        statements += [
            Statement("CiListStateBucket", actions=("s3:ListBucket",), resources=(bucket_arn(bucket),),
                      principals=who, conditions=(both,)),
            Statement("CiReadState", actions=("s3:GetObject",), resources=(bucket_arn(bucket) + "/*",),
                      principals=who, conditions=(both,)),
            Statement("CiWriteLockFiles", actions=("s3:DeleteObject", "s3:PutObject"),
                      resources=(bucket_arn(bucket) + "/*.tflock",), principals=who, conditions=(both,)),
            Statement("CiApplyWritesState", actions=("s3:PutObject",), resources=(bucket_arn(bucket) + "/*.tfstate",),
                      principals=who, conditions=(_role_is(profile, APPLY),)),
        ]
    return PolicyDocument(name="state_bucket", description="TLS only; the CI roles read state, write lock objects, "
                                                           "and only the apply role writes state.",
                          statements=tuple(statements))


def key_policy(profile: Profile) -> PolicyDocument:
    """The state key: administered through IAM (the account root statement); with ``ci.github``, the CI roles use it
    through S3 only (plan: decrypt state, encrypt lock objects; apply: the same for state)."""
    statements = [Statement("EnableIAMPolicies", actions=("kms:*",), resources=("*",),
                            principals=(Principal("AWS", (arn("iam", "root", account=ACCOUNT_TOKEN),)),))]
    if profile.ci.github:
        region = profile.state.region
        statements.append(Statement(
            "CiUseThroughS3", actions=("kms:Decrypt", "kms:GenerateDataKey"),
            resources=("*",), principals=_ci_principal(profile),
            conditions=(_role_is(profile, PLAN, APPLY),
                        Condition("StringEquals", "kms:ViaService", (f"s3.{region}.{dns_suffix(region)}",)))))
    return PolicyDocument(name="state_key", description=f"Encrypts the Terraform state in bucket {profile.state.bucket}.",
                          statements=tuple(statements), checkov_skips=KEY_POLICY_SKIPS)


def provider_context(profile: Profile) -> dict:
    """bootstrap/providers.tf: the state account (organisation: assume the deployment role there, unless it is the
    management account, where the operator's own credentials run it); a single account: the caller's account."""
    state, org = profile.state, profile.organization
    management = next((a for a in org.accounts if a.role == "management"), None)
    assume = bool(state.account_id) and not (management and management.id == state.account_id)
    return {
        "account_id": state.account_id, "account_name": state.account_name,
        "role_arn": f"arn:{partition_of(org.home_region)}:iam::{state.account_id}:role/{org.deployment_role}" if assume else "",
        "deployment_role": org.deployment_role,
    }


def main_context(profile: Profile) -> dict:
    return {
        "partition": partition_of(profile.state.region), "bucket_skips": BUCKET_SKIPS,
        "key_alias": key_alias(profile), "create_key": not profile.state.kms_key_arn,
        "policies": [bucket_policy(profile)] + ([key_policy(profile)] if not profile.state.kms_key_arn else []),
        "noncurrent_days": NONCURRENT_DAYS, "ci": profile.ci,
    }
