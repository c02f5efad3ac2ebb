"""Governance (organisation profiles only): service control policies at the organisation root and the delegated
administration of the security services to the security account. Placed in the management account."""

from __future__ import annotations

from ...profile.model import PROTECTED_TAG_KEY, Governance, Profile
from ...profile.regions import partition_of
from . import schema as gs
from ..base import Component, ComponentOutput, ModuleCall, render_module
from .policies import PROTECTED_SERVICES, service_control_policies, scp_name
from ..regional import REGIONS_INPUT
from .invariants import governance_problems
from .render import MODULE, DELEGATED_SERVICE_PRINCIPALS, TRUSTED_ACCESS_PRINCIPALS, CHECKLIST_ITEM, _controls


class GovernanceComponent(Component):
    id = "governance"
    title = "Governance: service control policies and delegated administration (management account)"
    SCHEMA = gs.SCHEMA

    def check(self, data, doc):
        return gs.check(data, doc)

    def build(self, data: dict) -> Governance:
        scps = data.get("governance", {}).get("service_control_policies", {})
        return Governance(**{key: scps[key] for key in Governance.__dataclass_fields__ if key in scps})

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return governance_problems(parsed, profile)

    def render(self, profile: Profile) -> ComponentOutput:
        """Nothing for a single account: service control policies and delegation exist only in an organisation."""
        return ComponentOutput()

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        org = profile.organization
        security = org.accounts_with_role("security")
        delegate_to = security[0] if security else None
        policies = service_control_policies(profile)
        if not (policies or delegate_to):
            return []
        names = (["main.tf"] + (["policies.tf"] if policies else [])
                 + ["variables.tf", "outputs.tf", "versions.tf", "README.md"])
        context = {
            "source": profile.source, "org_name": org.name, "partition": partition_of(org.home_region), "governance": profile.governance,
            "policies": [(policy, scp_name(profile, policy)) for policy in policies], "delegate_to": delegate_to,
            "service_principals": DELEGATED_SERVICE_PRINCIPALS, "trusted_access": TRUSTED_ACCESS_PRINCIPALS,
            "deployment_role": org.deployment_role, "regions": org.regions, "protected_services": PROTECTED_SERVICES,
            "protected_tag_key": PROTECTED_TAG_KEY,
        }
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", (), (REGIONS_INPUT,) if delegate_to else ()),
                              placement=frozenset({"management"}), checklist=[CHECKLIST_ITEM])
        out.files += render_module(MODULE, names, context)
        out.controls = _controls(profile, delegate_to)
        return [out]


COMPONENT = GovernanceComponent()
