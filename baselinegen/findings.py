"""Accepted checkov findings: a module of its own so that a render stamp (sync/stamps.py) can be read back
without importing every component."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AcceptedFinding:
    """A checkov check that cannot pass by nature, skipped inline with this reason."""

    check_id: str
    address: str  # Terraform address inside the generated repo, e.g. module.iam.aws_iam_user.alice
    reason: str
