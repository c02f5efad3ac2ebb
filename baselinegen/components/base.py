"""What every component provides. Components are registered explicitly in ``components/registry.py``."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Problem
from ..findings import AcceptedFinding  # noqa: F401  (components use it from here)
from ..profile.loader import LoadedDocument
from ..profile.model import Profile
from ..render import remembered
from ..render.env import RenderedFile, render_file
from .trusted_access import TrustedAccess
from ..catalog.cis_versions import translate

SHARED_MODULE_FILES = ("versions.tf",)  # the same in every module: rendered from templates/shared/

# Organisation layout (a profile with accounts): which account roots call a module. The four account roles, plus
# IDENTITY for the one account iam.identity_account names (a workload account, which also gets what workloads get).
ACCOUNT_ROLES = ("management", "log-archive", "security", "workload")
IDENTITY = "identity"
EVERY_ACCOUNT = frozenset(ACCOUNT_ROLES)


@dataclass(frozen=True)
class ModuleCall:
    """How the root configuration calls a component's module."""

    name: str
    source: str
    outputs: tuple[tuple[str, str], ...] = ()  # (output name, description) re-exported by the root
    inputs: tuple[tuple[str, str], ...] = ()  # (variable name, Terraform expression) passed by the root
    title: str = ""  # what the module holds, for the README; default: its component's title
    account_inputs: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # organisation: (account name, extra inputs)


@dataclass(frozen=True)
class Control:
    """A row of the generated README's control table."""

    what: str
    how: str
    cis: tuple[tuple[str, str], ...] = ()  # (benchmark, CIS control ids) e.g. ("cis-1.4", "3.1")

    def cis_ids(self, benchmark: str) -> str:
        ids = dict(self.cis)
        if benchmark not in ids and "cis-3.0" in ids and benchmark in ("cis-5.0", "cis-6.0", "cis-7.0"):
            return translate(ids["cis-3.0"], benchmark)  # the v3.0.0 ids in the later numbering (the crosswalk)
        return ids.get(benchmark, "")


@dataclass(frozen=True)
class KeyUsage:
    """A baseline resource encrypted with a profile key: the key policy grants ``service`` for it."""

    key: str  # profile name of the key
    service: str  # a service of components.kms.grants.SERVICE_GRANTS
    resource_arn: str  # ARN of the resource (may carry the <partition>/<account> tokens)


@dataclass(frozen=True)
class Move:
    """A ``moved`` block of ``modules/<module>/migrations.tf``: addresses relative to the module."""

    from_address: str  # e.g. aws_iam_group.infra_admins, aws_iam_group_policy_attachment.ops["acme-Ops-x"]
    to_address: str
    why: str  # the comment above the block, e.g. "iam.groups: InfraAdmins -> PlatformAdmins"


def renamed(section: str, name: str, former: tuple[str, ...]) -> str:
    """The comment above an item's moved blocks: ``iam.groups: InfraAdmins -> PlatformAdmins``."""
    return f"{section}: {' -> '.join(former + (name,))}"


def chained_moves(generations: list[dict], why: str) -> list[Move]:
    """Moves between consecutive generations of one item's addresses (role -> address, oldest first, the current
    last). Terraform accepts one move into each address, so several former names chain: a -> b -> current."""
    moves = []
    for older, newer in zip(generations, generations[1:]):
        moves += [Move(older[role], newer[role], why) for role in newer if role in older and older[role] != newer[role]]
    return moves


@dataclass(frozen=True)
class Import:
    """An ``import`` block of a root's ``imports.tf``: an existing resource Terraform adopts instead of creating it.
    ``to``: the address relative to the module (the root prefixes ``module.<name>.``)."""

    to: str
    id: str
    why: str  # the comment above the block
    expression: bool = False  # ``id`` is an HCL expression (read at plan time), not a literal string


@dataclass
class ComponentOutput:
    files: list[RenderedFile] = field(default_factory=list)
    module: ModuleCall | None = None
    accepted_findings: list[AcceptedFinding] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    checklist: list[str] = field(default_factory=list)  # manual checklist items of the generated README
    placement: frozenset[str] = EVERY_ACCOUNT  # organisation layout: the account roles (or IDENTITY) that call the module
    imports: tuple[Import, ...] = ()  # resources of the module every root that calls it imports (organization/imports.py)


class Component:
    """Base class. Subclasses set the class attributes and implement the three methods."""

    id: str = ""  # also the name of its field in Profile and of its module folder
    title: str = ""
    SCHEMA: dict = {}

    def check(self, data: dict, doc: LoadedDocument) -> list[Problem]:
        """Cross-reference checks and weak-setting warnings over the normalised profile data."""
        return []

    def key_usages(self, profile: Profile) -> list[KeyUsage]:
        """The resources this component encrypts with profile keys."""
        return []

    def invariants(self, parsed: dict[str, dict], profile: Profile) -> list[str]:
        """Security invariants over the parsed output (every rendered file): what differs from the profile."""
        return []

    def trusted_access(self, profile: Profile) -> tuple[TrustedAccess, ...]:
        """Organisation profiles: the trusted access (rows of components/trusted_access.py) the services this
        component turns on need; reads only this component's part of ``profile``."""
        return ()

    def moves(self, profile: Profile) -> list[Move]:
        """The moved blocks of renamed profile items (renamed_from), in profile order."""
        return []

    def build(self, data: dict) -> object:
        """This component's part of the frozen Profile model."""
        raise NotImplementedError

    def render(self, profile: Profile) -> ComponentOutput:
        raise NotImplementedError

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        """The organisation layout's modules of this component (a profile with accounts), each with its placement:
        the account roots that call it. Module inputs may use ``local.regions`` (that account's Regions) and outputs
        of modules placed in (at least) the same accounts. Default: the single-account module in every account."""
        out = self.render(profile)
        return [out] if out.module or out.files else []


def render_module(module: str, names, context: dict, templates: dict[str, str] | None = None) -> list[RenderedFile]:
    """``modules/<module>/<name>`` for each name, from ``templates/<module>/<name>.j2`` (``shared/`` for the files
    every module shares; ``templates``: another template for some names); inside the pipeline's render, remembered
    ones when the same context was rendered before (render/remembered.py)."""
    plan = tuple((name, (templates or {}).get(name) or (f"shared/{name}.j2" if name in SHARED_MODULE_FILES else f"{module}/{name}.j2"))
                 for name in names)

    def render() -> list[RenderedFile]:
        return [render_file(template, f"modules/{module}/{name}", **context) for name, template in plan]

    return remembered.rendered(module, plan, context, [(f"modules/{module}/{name}", "managed") for name, _ in plan], render)
