"""The account guards as the components read them (``encryption``). Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Guards:
    ebs_default_encryption: bool = True
    ebs_default_key: str | None = None  # profile key name; None = the AWS managed key aws/ebs
    s3_block_public_access: bool = True
    close_default_security_groups: bool = False
