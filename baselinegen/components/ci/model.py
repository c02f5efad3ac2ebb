"""The ``ci`` section as the components read it. Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GitHub:
    repository: str  # owner/name
    branch: str = "main"  # the protected branch applies run from
    environment: str = ""  # a GitHub environment applies run in (its protection rules gate them); empty: none


@dataclass(frozen=True)
class Ci:
    """The pipeline: the pip requirement it installs baselinegen with, and (with ``github``) the account it enters
    through GitHub's OIDC provider and the plan/apply roles it assumes."""

    baselinegen: str = ""  # a PEP 508 requirement; default baselinegen==<this version>
    github: GitHub | None = None
    account_name: str = ""  # organisation: the account CI enters (holds the OIDC provider); default: the state account
    account_id: str = ""
