"""Security invariants over the parsed output: the rendered values equal the profile's. Each component checks its
own (``Component.invariants``); what spans components is checked here."""

from __future__ import annotations

from ..components.registry import REGISTRY
from ..profile.model import Profile
from .migration_invariants import migration_problems
from .regional_invariants import regional_problems


def security_problems(parsed: dict[str, dict], profile: Profile) -> list[str]:
    problems = regional_problems(parsed, profile) + migration_problems(parsed)
    for component in REGISTRY:
        problems += component.invariants(parsed, profile)
    return sorted(problems)
