"""The S3 backend of every root: one bucket (``state.bucket``), one key per root, S3-native locking."""

from __future__ import annotations

from ...profile.model import Profile
from ...profile.regions import partition_of

SINGLE_ACCOUNT_KEY = "baseline/terraform.tfstate"
BOOTSTRAP_KEY = "bootstrap/terraform.tfstate"
BOOTSTRAP_DIR = "bootstrap"
# Terraform's S3 backend locks with a <key>.tflock object (use_lockfile) from 1.10 on; no DynamoDB table.
LOCKFILE_TERRAFORM = ">= 1.10.0, < 2.0.0"
DEFAULT_TERRAFORM = ">= 1.5.0, < 2.0.0"
# An import block whose id is an expression (adopt: the caller's account id, a GuardDuty detector read at plan time)
# needs 1.6 (hashicorp/terraform#33618).
IMPORT_EXPRESSION_TERRAFORM = ">= 1.6.0, < 2.0.0"


def account_key(name: str) -> str:
    """The state key of account ``name``'s root (it follows the account's name: W430)."""
    return f"accounts/{name}/terraform.tfstate"


def key_alias(profile: Profile) -> str:
    """The alias of the key bootstrap/ creates when ``state.kms_key`` is absent."""
    return f"alias/{profile.organization.name}-terraform-state"


def kms_key_id(profile: Profile) -> str:
    """What the backend encrypts state objects with: the profile's key; else the alias of the key bootstrap/ creates,
    as an ARN in the state account (organisation: S3 would resolve a bare alias in the account of whoever writes,
    the CI entry account) or, for a single account, as ``alias/<name>`` (resolved in the one account, whose id the
    profile does not hold)."""
    state, org = profile.state, profile.organization
    if state.kms_key_arn:
        return state.kms_key_arn
    if state.account_id:
        return f"arn:{partition_of(state.region)}:kms:{state.region}:{state.account_id}:{key_alias(profile)}"
    return key_alias(profile)


def backend(profile: Profile, key: str) -> tuple[tuple[str, str], ...]:
    """The ``backend "s3"`` arguments of a root whose state is ``key`` (string values, in file order); () without
    ``state`` (state stays local)."""
    state = profile.state
    if not state.enabled:
        return ()
    return (("bucket", state.bucket), ("key", key), ("region", state.region), ("kms_key_id", kms_key_id(profile)))


def required_terraform(profile: Profile) -> str:
    """The Terraform versions a root accepts: use_lockfile needs 1.10; adopting something, an import id read at plan
    time needs 1.6."""
    if profile.state.enabled:
        return LOCKFILE_TERRAFORM
    adopts = profile.raw.get("adopt") or any(account.adopt for account in profile.organization.accounts)
    return IMPORT_EXPRESSION_TERRAFORM if adopts else DEFAULT_TERRAFORM
