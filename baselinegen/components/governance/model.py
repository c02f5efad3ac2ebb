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
    units: tuple = ()  # governance.units.Unit: organization.units, parents first
    placements: tuple = ()  # governance.units.Placement: every member account's unit (none without units)
    policies: tuple = ()  # governance.org_policies.OrgPolicy: governance.policies, profile order
    keep_policy_types: tuple[str, ...] = ()  # governance.keep_policy_types: types other tools enabled, kept
    root_access: str = ""
    adopt_root_access: bool = False  # centralised root access enabled outside Terraform: imported, not enabled  # "centralized": member accounts' root credentials managed from the management account
