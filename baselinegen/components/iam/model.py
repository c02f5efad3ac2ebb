"""The ``iam`` section as the components read it: the password policy, groups (job functions) and users. Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PasswordPolicy:
    minimum_length: int = 14
    require_uppercase: bool = True
    require_lowercase: bool = True
    require_numbers: bool = True
    require_symbols: bool = True
    allow_users_to_change: bool = True
    hard_expiry: bool = False
    max_age: int | None = None  # days; None = passwords never expire
    reuse_prevention: int = 24


@dataclass(frozen=True)
class PolicyStatementSpec:
    """A statement written in the profile (custom duty, programmatic users)."""

    sid: str
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_actions: tuple[str, ...] = ()
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (test, variable, values)


@dataclass(frozen=True)
class Group:
    name: str
    duty: str  # administrator, infra-admin, security-admin, iam-admin, app-developer, operator, read-only, custom
    description: str = ""
    services: tuple[str, ...] = ()  # app-developer: service keys of the service catalog
    resource_prefix: str | None = None  # app-developer: name prefix of the app's resources
    app_tag: str | None = None  # app-developer: value of the App tag on the app's resources
    managed_policy_arns: tuple[str, ...] = ()  # custom (and extra for any duty but administrator)
    statements: tuple[PolicyStatementSpec, ...] = ()  # custom duty only
    renamed_from: tuple[str, ...] = ()  # former names, oldest first (moved blocks)
    reach: tuple[str, ...] | None = None  # organisation: targets as written (iam.groups[].reach); None = every account
    reached: tuple[str, ...] = ()  # with a reach: the names of the accounts it covers, in profile order
    idp_group: str | None = None  # identity-center: display name of the IdP's group (looked up, not created)
    session_duration: str | None = None  # identity-center: ISO 8601; None = the duty's default
    relay_state: str | None = None  # identity-center: the console page a session opens on

    def reaches(self, account_name: str) -> bool:
        """Whether the group's role is in the account (a set of ``reached`` built on first use: asked per account)."""
        if self.reach is None:
            return True
        names = self.__dict__.get("_reached")
        if names is None:
            names = self.__dict__["_reached"] = frozenset(self.reached)
        return account_name in names


@dataclass(frozen=True)
class User:
    name: str
    groups: tuple[str, ...] = ()
    programmatic: bool = False
    managed_policy_arns: tuple[str, ...] = ()  # programmatic users only
    statements: tuple[PolicyStatementSpec, ...] = ()  # programmatic users only
    tags: tuple[tuple[str, str], ...] = ()
    renamed_from: tuple[str, ...] = ()  # former names, oldest first (moved blocks)
    email: str | None = None  # identity-center: the Identity Store user's e-mail address
    given_name: str | None = None  # identity-center
    family_name: str | None = None  # identity-center


@dataclass(frozen=True)
class Iam:
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    require_mfa: bool = True
    groups: tuple[Group, ...] = ()
    users: tuple[User, ...] = ()
    identity_account: str | None = None  # with accounts: the account holding the groups and users
    identity_source: str = "iam-users"  # or identity-center
    identity_center_account: str | None = None  # identity-center: the account administering it (management or security)
    break_glass: tuple[str, ...] = ()  # identity-center: the management account's break-glass IAM users
    identity_center_delegated: bool = False  # identity-center: that account is the security account (delegated)

    @property
    def identity_center(self) -> bool:
        return self.identity_source == "identity-center"
