"""Validated profile data handed to components (frozen, already defaulted): the organisation, its accounts and the
Profile that holds every component's part (each component's dataclasses live in its package, ``model.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..components.ci.model import Ci, GitHub
from ..components.cloudtrail.model import BucketLifecycle, CloudTrail
from ..components.config.model import ConfigRule, Config
from ..components.detection.model import GuardDuty, DisabledControl, SecurityHub, Detection
from ..components.governance.model import Governance
from ..components.guards.model import Guards
from ..components.iam.model import PasswordPolicy, PolicyStatementSpec, Group, User, Iam
from ..components.kms.model import KmsKey, Kms
from ..components.log_archive.model import LogArchive
from ..components.monitoring.model import CustomAlarm, Monitoring
from ..components.patching.model import Patching
from ..components.state.model import State
from .accounts_schema import DEFAULT_DEPLOYMENT_ROLE

# Every IAM path the baseline owns lives under this path: groups, policies, users and the
# permissions boundary. Policies deny non-administrators any change under it.
BASELINE_PATH = "/baseline/"
# Tag on resources (KMS keys, log buckets, topics, ...) that duties other than administrator
# and security-admin must not tamper with.
PROTECTED_TAG_KEY = "baselinegen:protected"
# Default tag of every resource, next to organization.tags (the provider's default_tags).
MANAGED_BY_TAG_KEY = "ManagedBy"
# The trail's CloudWatch Logs delivery role is <trail name> + this (an IAM role name: at most 64 characters).
TRAIL_ROLE_SUFFIX = "-cloudwatch-logs"


@dataclass(frozen=True)
class Account:
    """One account of an organisation profile: its own root configuration ``accounts/<name>/``."""

    name: str
    id: str  # 12 digits
    role: str  # management | log-archive | security | workload
    regions: tuple[str, ...]  # sorted; organization.regions unless the profile narrows them
    description: str = ""
    renamed_from: tuple[str, ...] = ()  # former names, oldest first (their folders and state keys)
    adopt: tuple = ()  # adopt.entries: parts that already exist in the account, imported (adopt.py)
    control_tower: bool = True  # accounts[].control_tower: false, an account Control Tower does not enrol (Control Tower mode)


@dataclass(frozen=True)
class Organization:
    name: str
    home_region: str
    regions: tuple[str, ...]
    tags: tuple[tuple[str, str], ...] = ()
    id: str | None = None  # the AWS Organizations id (o-...); set exactly when accounts are
    deployment_role: str = DEFAULT_DEPLOYMENT_ROLE  # assumed into each account (with accounts only)
    accounts: tuple[Account, ...] = ()  # profile order; empty: a single-account baseline
    control_tower: bool = False  # organization.control_tower: coexist with AWS Control Tower (components/control_tower.py)

    def accounts_with_role(self, role: str) -> tuple[Account, ...]:
        by_role = self.__dict__.get("_by_role")  # built on first use (a frozen dataclass: not a field, not compared)
        if by_role is None:
            by_role = {}
            for account in self.accounts:
                by_role.setdefault(account.role, []).append(account)
            by_role = self.__dict__["_by_role"] = {r: tuple(found) for r, found in by_role.items()}
        return by_role.get(role, ())


@dataclass(frozen=True)
class Profile:
    source: str  # file name the profile was read from (for headers and messages)
    organization: Organization
    iam: Iam
    kms: Kms = field(default_factory=Kms)
    cloudtrail: CloudTrail = field(default_factory=CloudTrail)
    log_archive: LogArchive = field(default_factory=LogArchive)
    monitoring: Monitoring = field(default_factory=Monitoring)
    config: Config = field(default_factory=Config)
    guards: Guards = field(default_factory=Guards)
    detection: Detection = field(default_factory=Detection)
    patching: Patching = field(default_factory=Patching)
    governance: Governance = field(default_factory=Governance)
    state: State = field(default_factory=State)
    ci: Ci = field(default_factory=Ci)
    raw: dict = field(repr=False, compare=False, default_factory=dict)  # normalised document
    warnings: tuple = field(repr=False, compare=False, default=())  # the profile's warnings (Problem), for the README

    @property
    def boundary_policy_name(self) -> str:
        return f"{self.organization.name}-baseline-boundary"


# Each component's model, here too for the code that reads the whole profile.
__all__ = ["BASELINE_PATH", "MANAGED_BY_TAG_KEY", "PROTECTED_TAG_KEY", "TRAIL_ROLE_SUFFIX", "Account", "Organization", "Profile",
           "BucketLifecycle",
           "Ci",
           "GitHub",
           "State",
           "CloudTrail",
           "Config",
           "ConfigRule",
           "CustomAlarm",
           "Detection",
           "DisabledControl",
           "Governance",
           "Group",
           "GuardDuty",
           "Guards",
           "Iam",
           "Kms",
           "KmsKey",
           "LogArchive",
           "Monitoring",
           "PasswordPolicy",
           "Patching",
           "PolicyStatementSpec",
           "SecurityHub",
           "User",
           ]
