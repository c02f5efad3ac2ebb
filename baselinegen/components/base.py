"""What every component provides. Components are registered explicitly in ``components/__init__.py``."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Problem
from ..profile.loader import LoadedDocument
from ..profile.model import Profile
from ..render.env import RenderedFile


@dataclass(frozen=True)
class AcceptedFinding:
    """A checkov check that cannot pass by nature, skipped inline with this reason."""

    check_id: str
    address: str  # Terraform address inside the generated repo, e.g. module.iam.aws_iam_user.alice
    reason: str


@dataclass(frozen=True)
class ModuleCall:
    """How the root configuration calls a component's module."""

    name: str
    source: str
    outputs: tuple[tuple[str, str], ...] = ()  # (output name, description) re-exported by the root


@dataclass
class ComponentOutput:
    files: list[RenderedFile] = field(default_factory=list)
    module: ModuleCall | None = None
    accepted_findings: list[AcceptedFinding] = field(default_factory=list)
    controls: list[tuple[str, str]] = field(default_factory=list)  # (what, how) rows for the README


class Component:
    """Base class. Subclasses set the class attributes and implement the three methods."""

    id: str = ""
    title: str = ""
    SCHEMA: dict = {}

    def check(self, data: dict, doc: LoadedDocument) -> list[Problem]:
        """Cross-reference checks and weak-setting warnings over the normalised profile data."""
        return []

    def build(self, data: dict) -> object:
        """This component's part of the frozen Profile model."""
        raise NotImplementedError

    def render(self, profile: Profile) -> ComponentOutput:
        raise NotImplementedError
