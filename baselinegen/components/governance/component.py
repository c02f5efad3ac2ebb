"""Governance (organisation profiles only): the organisation itself (imported: trusted access and policy types),
service control policies at the organisation root and the delegated administration of the security services to the
security account. Placed in the management account."""

from __future__ import annotations

from types import SimpleNamespace

from ...profile.model import PROTECTED_TAG_KEY, Governance, Profile
from ...profile.regions import partition_of
from . import schema as gs
from .service_access import keep_service_access_problems
from .policy_types import keep_policy_types_problems
from ..base import Component, ComponentOutput, ModuleCall, render_module
from .policies import PROTECTED_SERVICES, SCP_MAX_CHARACTERS, service_control_policies, scp_name
from ..regional import REGIONS_INPUT
from .invariants import governance_problems
from .org_policies import build_policies
from .org_policy_checks import policy_problems
from .units import build_placements, build_units, levels, unit_imports, unit_problems
from .org_policy_render import org_policy_context
from .render import IAM_ROOT_ACCESS, control_tower_access, root_access_import
from .. import control_tower
from .render import (MODULE, CHECKLIST_ITEM, ROOT_ACCESS_CHECKLIST, REGIONAL_ADMIN_ATTRIBUTES, _controls, delegations, needed_access,
                     organization_import, organization_settings)


class GovernanceComponent(Component):
    id = "governance"
    title = "Governance: the organisation's trusted access, service control policies and delegated administration (management account)"
    SCHEMA = gs.SCHEMA
    principal_sources: tuple[Component, ...] = ()  # the components whose services need trusted access (set by the registry)

    def check(self, data, doc):
        return (gs.check(data, doc) + unit_problems(data, doc) + policy_problems(data, doc, lambda: _view(data))
                + keep_service_access_problems(data, doc, lambda: self._needed_from(data)) + keep_policy_types_problems(data, doc))

    def _needed_from(self, data: dict):
        """The trusted access the profile's services need, from the validated data (checks run before the Profile exists)."""
        sources = [c for c in self.principal_sources if type(c).trusted_access is not Component.trusted_access]
        profile = SimpleNamespace(organization=SimpleNamespace(control_tower=control_tower.on_in(data)),
                                  **{c.id: c.build(data) for c in sources})
        needed = needed_access(profile, sources)
        needed += ((IAM_ROOT_ACCESS,) if data.get("governance", {}).get("root_access") else ())
        return needed + control_tower_access(needed, control_tower.on_in(data))

    def build(self, data: dict) -> Governance:
        scps = data.get("governance", {}).get("service_control_policies", {})
        keep = tuple(dict.fromkeys(data["organization"].get("keep_service_access", [])))
        return Governance(**{key: scps[key] for key in Governance.__dataclass_fields__ if key in scps}, keep_service_access=keep,
                          units=build_units(data), placements=build_placements(data), policies=build_policies(data),
                          keep_policy_types=tuple(dict.fromkeys(data.get("governance", {}).get("keep_policy_types") or ())),
                          root_access=data.get("governance", {}).get("root_access", ""),
                          adopt_root_access=bool(data.get("governance", {}).get("adopt_root_access")))

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return governance_problems(parsed, profile, self.settings(profile))

    def settings(self, profile: Profile):
        return organization_settings(profile, self.principal_sources)

    def render(self, profile: Profile) -> ComponentOutput:
        """Nothing for a single account: the organisation, its policies and delegation exist only in an organisation."""
        return ComponentOutput()

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        org = profile.organization
        security = org.accounts_with_role("security")
        delegate_to = security[0] if security else None
        policies = service_control_policies(profile)
        settings = self.settings(profile)
        delegated, regional = delegations(settings, delegate_to)
        names = (["main.tf"] + (["units.tf"] if profile.governance.units else []) + (["policies.tf"] if policies else [])
                 + (["organization_policies.tf"] if profile.governance.policies else [])
                 + ["variables.tf", "outputs.tf", "versions.tf", "README.md"])
        context = {
            "source": profile.source, "org_name": org.name, "partition": partition_of(org.home_region), "governance": profile.governance,
            "policies": [(policy, scp_name(profile, policy)) for policy in policies], "delegate_to": delegate_to,
            "settings": settings, "delegated": delegated, "organization_id": org.id,
            "regional_admins": [(type_, REGIONAL_ADMIN_ATTRIBUTES[type_]) for type_ in regional],
            "deployment_role": org.deployment_role, "regions": org.regions, "protected_services": PROTECTED_SERVICES,
            "protected_tag_key": PROTECTED_TAG_KEY, "unit_levels": levels(profile.governance.units),
            "placements": profile.governance.placements, "org_policies": org_policy_context(profile),
            "scp_max_characters": SCP_MAX_CHARACTERS,
        }
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", (), (REGIONS_INPUT,) if regional else ()),
                              placement=frozenset({"management"}),
                              checklist=[CHECKLIST_ITEM] + ([ROOT_ACCESS_CHECKLIST] if profile.governance.root_access else []),
                              imports=(organization_import(profile),) + root_access_import(profile)
                              + unit_imports(profile.governance.units, profile.governance.placements))
        out.files += render_module(MODULE, names, context)
        out.controls = _controls(profile, delegate_to, settings)
        return [out]


def _view(data: dict):
    """The organisation as the policy checks read it, before the Profile exists (E316 walks each account's Regions)."""
    from ...profile.accounts import build_organization

    return SimpleNamespace(organization=build_organization(data), ci=SimpleNamespace(github=(data.get("ci") or {}).get("github")), raw=data)


COMPONENT = GovernanceComponent()
