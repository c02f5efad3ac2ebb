"""The ``state`` section as the components read it. Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class State:
    """Where every root keeps its Terraform state: one S3 bucket, one key per root, S3-native locking.
    An empty ``bucket``: the profile has no ``state`` section (state stays local, backend.tf is an example)."""

    bucket: str = ""
    region: str = ""  # default: organization.home_region
    account_name: str = ""  # organisation: the account that holds the bucket (default: the management account)
    account_id: str = ""  # that account's id; single account: empty (the one account)
    kms_key_arn: str = ""  # an existing key; empty: bootstrap/ creates one

    @property
    def enabled(self) -> bool:
        return bool(self.bucket)
