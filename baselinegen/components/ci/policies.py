"""The CI roles' policy documents: who may assume them (trust) and what they may do.

Names and trust conditions are those every part of the baseline relies on (the state bucket policy, the providers'
``assume_role``, the workflow): ``<org>-baseline-plan`` and ``<org>-baseline-apply`` in every account; in the
account CI enters, GitHub's OIDC tokens of exactly one repository (``aud`` and ``sub`` pinned); in every account, the
entry account's role of the same name (``aws:PrincipalArn``).
"""

from __future__ import annotations

from ...policy.document import ACCOUNT_TOKEN, PARTITION_TOKEN, Condition, PolicyDocument, Principal, Statement
from ...profile.model import Profile
from . import permissions

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_OIDC_URL = f"https://{GITHUB_OIDC_HOST}"
AUDIENCE = "sts.amazonaws.com"
PLAN, APPLY = "plan", "apply"

SKIP_MANAGES_IAM = "the apply role manages the baseline's IAM (groups, job roles, these roles), so it may change permissions; its boundary and its trust (the protected branch only) bound it"
SKIP_BOUNDARY = "a permissions boundary grants nothing: it caps the apply role at the services the baseline manages"
APPLY_SKIPS = ("CKV2_AWS_40", "CKV_AWS_107", "CKV_AWS_109", "CKV_AWS_110", "CKV_AWS_111", "CKV_AWS_356")
BOUNDARY_SKIPS = ("CKV2_AWS_40", "CKV_AWS_107", "CKV_AWS_108", "CKV_AWS_109", "CKV_AWS_110", "CKV_AWS_111", "CKV_AWS_356")
SKIP_STAR_READS = "read-only actions of the resources Terraform refreshes; their names are not known before they exist"


def role_name(profile: Profile, kind: str) -> str:
    return f"{profile.organization.name}-baseline-{kind}"


def boundary_name(profile: Profile) -> str:
    return f"{profile.organization.name}-baseline-apply-boundary"


def entry_account(profile: Profile) -> str:
    """The id of the account CI enters; single account: the ``<account>`` token (the one account)."""
    return profile.ci.account_id or ACCOUNT_TOKEN


def role_arn(profile: Profile, kind: str, account: str = ACCOUNT_TOKEN) -> str:
    return f"arn:{PARTITION_TOKEN}:iam::{account}:role/{role_name(profile, kind)}"


def oidc_provider_arn(profile: Profile) -> str:
    return f"arn:{PARTITION_TOKEN}:iam::{entry_account(profile)}:oidc-provider/{GITHUB_OIDC_HOST}"


def subjects(profile: Profile, kind: str) -> tuple[str, tuple[str, ...]]:
    """(condition test, the OIDC token subjects) a role trusts."""
    github = profile.ci.github
    repo = f"repo:{github.repository}"
    if kind == PLAN:
        return "StringLike", (f"{repo}:pull_request", f"{repo}:ref:refs/heads/*")
    if github.environment:
        return "StringEquals", (f"{repo}:environment:{github.environment}",)
    return "StringEquals", (f"{repo}:ref:refs/heads/{github.branch}",)


def trust(profile: Profile, kind: str) -> PolicyDocument:
    """Every account: the entry account's role of the same name, nothing else."""
    entry = entry_account(profile)
    return PolicyDocument(
        name=f"{kind}_trust", description=f"The {kind} role of the account CI enters may assume this account's {kind} role.",
        statements=(Statement(f"EntryAccount{kind.capitalize()}Role", actions=("sts:AssumeRole",),
                              principals=(Principal("AWS", (f"arn:{PARTITION_TOKEN}:iam::{entry}:root",)),),
                              conditions=(Condition("ArnEquals", "aws:PrincipalArn", (role_arn(profile, kind, entry),)),)),))


def github_trust(profile: Profile, kind: str) -> PolicyDocument:
    """The account CI enters: GitHub's OIDC tokens of the repository (pull requests and branches for plan, the
    protected branch or environment for apply), on top of ``trust``."""
    test, subs = subjects(profile, kind)
    who = "pull requests and branches" if kind == PLAN else "the protected environment" if profile.ci.github.environment else "the protected branch"
    return PolicyDocument(
        name=f"{kind}_trust_github", description=f"GitHub Actions of {profile.ci.github.repository} ({who}) through OIDC.",
        statements=(Statement(f"GitHub{kind.capitalize()}", actions=("sts:AssumeRoleWithWebIdentity",),
                              principals=(Principal("Federated", (oidc_provider_arn(profile),)),),
                              conditions=(Condition("StringEquals", f"{GITHUB_OIDC_HOST}:aud", (AUDIENCE,)),
                                          Condition(test, f"{GITHUB_OIDC_HOST}:sub", subs))),))


def managed_modules(profile: Profile) -> tuple[str, ...]:
    """The modules whose resources the CI roles refresh and manage (the keys of permissions.TABLE)."""
    organization = bool(profile.organization.accounts)
    on = {"iam": True, "kms": bool(profile.kms.keys), "cloudtrail": profile.cloudtrail.enabled,
          "log_archive": organization, "monitoring": True, "config": profile.config.enabled, "guards": True,
          "detection": True, "patching": profile.patching.enabled, "governance": organization, "ci": True}
    return tuple(module for module, used in on.items() if used)


def _buckets(profile: Profile) -> tuple[str, ...]:
    """The baseline's buckets (terraform refreshes them with HeadBucket, which needs s3:ListBucket)."""
    names = []
    if profile.cloudtrail.enabled:
        names += [profile.cloudtrail.bucket_name, profile.cloudtrail.access_log_bucket_name]
    if profile.config.enabled:
        names.append(profile.config.bucket_name)
    return tuple(f"arn:{PARTITION_TOKEN}:s3:::{name}" for name in dict.fromkeys(names))


def plan_read(profile: Profile) -> PolicyDocument:
    statements = [Statement("RefreshBaselineResources", actions=permissions.actions(managed_modules(profile), PLAN), resources=("*",))]
    if _buckets(profile):
        statements.append(Statement("HeadBaselineBuckets", actions=("s3:ListBucket",), resources=_buckets(profile)))
    return PolicyDocument(name="plan_read", description="Read what terraform plan refreshes: the settings of the baseline's resources, never their data.",
                          statements=tuple(statements),
                          checkov_skips=(("CKV_AWS_356", SKIP_STAR_READS),))


def apply_manage(profile: Profile) -> PolicyDocument:
    """What the modules manage; bucket-level S3 changes only on the baseline's own buckets (named by the profile)."""
    modules = managed_modules(profile)
    actions = set(permissions.actions(modules, PLAN)) | set(permissions.actions(modules, APPLY))
    buckets = _buckets(profile)
    bucket_actions = {a for a in actions if a in permissions.BUCKET_APPLY} if buckets else set()
    statements = [Statement("ManageBaselineResources", actions=tuple(sorted(actions - bucket_actions)), resources=("*",))]
    if bucket_actions:
        statements.append(Statement("ManageBaselineBuckets", actions=tuple(sorted(bucket_actions | {"s3:ListBucket"})), resources=buckets))
    return PolicyDocument(name="apply_manage", description="Create, change and delete the baseline's resources.",
                          statements=tuple(statements),
                          checkov_skips=tuple((c, SKIP_MANAGES_IAM) for c in APPLY_SKIPS))


def _state_bucket(profile: Profile) -> str:
    return f"arn:{PARTITION_TOKEN}:s3:::{profile.state.bucket}"


def _state_key_use(profile: Profile, actions: tuple[str, ...]) -> Statement:
    """The state key, for the S3 objects of the state bucket only (by ARN when the profile names it; bootstrap's key
    is pinned through S3's encryption context)."""
    state = profile.state
    bucket = _state_bucket(profile)
    via = (Condition("StringEquals", "kms:ViaService", (f"s3.{state.region}.amazonaws.com",)),
           Condition("StringLike", "kms:EncryptionContext:aws:s3:arn", (bucket, f"{bucket}/*")))
    return Statement("StateKey", actions=actions, resources=(state.kms_key_arn or "*",), conditions=via)


def state_keys(profile: Profile) -> tuple[str, ...]:
    """The object keys of the roots' state (bootstrap's own state is never CI's)."""
    if profile.organization.accounts:
        return ("accounts/*/terraform.tfstate",)
    return ("baseline/terraform.tfstate",)


def _prefixes(profile: Profile) -> tuple[str, ...]:
    """What the roles may list: the state keys' folder, and ``env:/``, where the S3 backend looks for other workspaces
    (terraform init lists it; the baseline uses the default workspace, so it finds nothing there)."""
    return (("accounts/",) if profile.organization.accounts else ("baseline/",)) + ("env:/",)


def plan_state(profile: Profile) -> PolicyDocument:
    bucket = _state_bucket(profile)
    keys = state_keys(profile)
    return PolicyDocument(
        name="plan_state", description="Read the state and take its lock (the lock file is the only object the plan role writes).",
        statements=(
            Statement("ListState", actions=("s3:ListBucket",), resources=(bucket,),
                      conditions=(Condition("StringLike", "s3:prefix", tuple(p + "*" for p in _prefixes(profile))),)),
            Statement("ReadState", actions=("s3:GetObject",), resources=tuple(f"{bucket}/{k}" for k in keys)),
            Statement("StateLock", actions=("s3:DeleteObject", "s3:GetObject", "s3:PutObject"),
                      resources=tuple(f"{bucket}/{k}.tflock" for k in keys)),
            _state_key_use(profile, ("kms:Decrypt", "kms:GenerateDataKey")),
        ))


def apply_state(profile: Profile) -> PolicyDocument:
    bucket = _state_bucket(profile)
    keys = state_keys(profile)
    return PolicyDocument(
        name="apply_state", description="Read and write the state and its lock.",
        statements=(
            Statement("ListState", actions=("s3:ListBucket",), resources=(bucket,),
                      conditions=(Condition("StringLike", "s3:prefix", tuple(p + "*" for p in _prefixes(profile))),)),
            Statement("ReadWriteState", actions=("s3:DeleteObject", "s3:GetObject", "s3:PutObject"),
                      resources=tuple(f"{bucket}/{k}" for k in keys) + tuple(f"{bucket}/{k}.tflock" for k in keys)),
            _state_key_use(profile, ("kms:Decrypt", "kms:GenerateDataKey")),
        ))


def boundary(profile: Profile) -> PolicyDocument:
    """The apply role's permissions boundary: the services the baseline manages, minus what no apply of it needs."""
    modules = managed_modules(profile)
    allowed = permissions.services(permissions.actions(modules, PLAN) + permissions.actions(modules, APPLY) + ("s3:GetObject", "kms:Decrypt"))
    own_role = f"arn:{PARTITION_TOKEN}:iam::{ACCOUNT_TOKEN}:role/{role_name(profile, APPLY)}"
    own_boundary = f"arn:{PARTITION_TOKEN}:iam::{ACCOUNT_TOKEN}:policy/{boundary_name(profile)}"
    statements = [
        Statement("BaselineServices", actions=allowed, resources=("*",)),
        Statement("NoLeavingTheOrganization", effect="Deny", actions=permissions.BOUNDARY_DENIED, resources=("*",)),
        Statement("KeepThisBoundary", effect="Deny",
                  actions=("iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"), resources=(own_role,)),
        Statement("NoWideningThisBoundary", effect="Deny",
                  actions=("iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"),
                  resources=(own_boundary,)),
    ]
    if profile.state.enabled:
        bucket = _state_bucket(profile)
        statements.append(Statement("KeepTheStateBucket", effect="Deny",
                                    actions=("s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:DeleteObjectVersion",
                                             "s3:PutBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"),
                                    resources=(bucket, f"{bucket}/*")))
    return PolicyDocument(name="apply_boundary", description="Permissions boundary of the apply role.", statements=tuple(statements),
                          checkov_skips=tuple((c, SKIP_BOUNDARY) for c in BOUNDARY_SKIPS))


def root_roles(profile: Profile) -> dict | None:
    """What the roots' ``baseline_role`` variable offers: None without ci.github (the roots stay as they were)."""
    if profile.ci.github is None:
        return None
    plan, apply = role_name(profile, PLAN), role_name(profile, APPLY)
    deployment = profile.organization.deployment_role if profile.organization.accounts else ""
    return {"plan": plan, "apply": apply, "deployment": deployment,
            "allowed": (plan, apply) + ((deployment,) if deployment else ())}
