"""The ``governance`` section as the components read it. Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Governance:
    """An organisation's guardrails: service control policies attached to its root, and the trusted access other tools
    rely on (with accounts only)."""

    deny_leaving_organization: bool = True
    protect_security_services: bool = True
    deny_root_user: bool = True
    restrict_regions: bool = False  # deny every Region outside organization.regions (global services exempt)
    keep_service_access: tuple[str, ...] = ()  # organization.keep_service_access: trusted access other tools rely on
