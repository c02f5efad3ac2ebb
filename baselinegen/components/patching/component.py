"""Patching: Patch Manager baselines per patch group and OS, maintenance windows, staging before production (what
the module holds and why: ``render``)."""

from __future__ import annotations

from ...profile.model import Patching, Profile
from . import schema as patching_schema
from ..base import Component, ComponentOutput, Control, ModuleCall, Move, chained_moves, renamed, render_module
from .catalog import BY_ID
from .schema import PRODUCTION, STAGING
from ..regional import REGIONS_INPUT
from .invariants import patching_problems
from .render import SCAN_CUTOFF_HOURS, SCAN_DURATION_HOURS, MODULE, days, schedule_offset, rendered_baselines, _group_addresses, patched


class PatchingComponent(Component):
    id = "patching"
    title = "OS patching: Patch Manager baselines, patch groups, maintenance windows (staging before production)"
    SCHEMA = patching_schema.SCHEMA

    def check(self, data, doc):
        return patching_schema.check(data, doc)

    def build(self, data: dict) -> Patching:
        p = data["patching"]
        rules = tuple((os_id, tuple((key, tuple(values)) for key, values in filters.items()))
                      for os_id, filters in p["approval_rules"].items())
        return Patching(
            enabled=p["enabled"], operating_systems=tuple(p["operating_systems"]), approval_rules=rules,
            approve_after_days=p["approve_after_days"], compliance_level=p["compliance_level"], groups=tuple(p["groups"]),
            tag_key=p["tag_key"], schedule=p["schedule"], timezone=p["timezone"], duration_hours=p["duration_hours"],
            cutoff_hours=p["cutoff_hours"], production_delay_days=p["production_delay_days"], reboot=p["reboot"],
            max_concurrency=p["max_concurrency"], max_errors=p["max_errors"], scan_schedule=p["scan_schedule"],
            renamed_from=tuple((g, tuple(p["renamed_from"][g])) for g in p["groups"] if p["renamed_from"].get(g)),
        )

    def moves(self, profile: Profile) -> list[Move]:
        """A renamed patch group's baselines, patch group registrations and window, in every Region (for_each keys
        are "<region>/<group>/<os>" and "<region>/<group>")."""
        p = profile.patching
        if not p.enabled:
            return []
        moves = []
        for group, former in p.renamed_from:
            generations = [_group_addresses(name, p.operating_systems, profile.organization.regions) for name in former + (group,)]
            moves += chained_moves(generations, renamed("patching.groups", group, former))
        return moves

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        """Instances run in workload accounts; the others get no patching resources (none at all without a workload
        account: W434)."""
        if not patched(profile):
            return []
        out = self.render(profile)
        out.placement = frozenset({"workload"})
        return [out] if out.module else []

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return patching_problems(parsed, profile)

    def render(self, profile: Profile) -> ComponentOutput:
        p = profile.patching
        if not p.enabled:
            return ComponentOutput()
        context = {"source": profile.source, "org_name": profile.organization.name, "patching": p,
                   "baselines": rendered_baselines(profile), "offsets": [(g, schedule_offset(p, g)) for g in p.groups],
                   "operating_systems": [BY_ID[o] for o in p.operating_systems], "staging": STAGING, "production": PRODUCTION,
                   "scan_duration": SCAN_DURATION_HOURS, "scan_cutoff": SCAN_CUTOFF_HOURS, "days": days}
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", (), (REGIONS_INPUT,)))
        out.files += render_module(MODULE, ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"), context)
        delay = f"{days(p.production_delay_days)} after staging" if p.production_delay_days else "at the same time as staging"
        oses = ", ".join(BY_ID[o].title for o in p.operating_systems)
        out.controls.append(Control("OS security patches",
                                    f"Patch Manager baselines approving security updates for {oses}, per patch group (tag `{p.tag_key}`), in every Region of the profile"))
        out.controls.append(Control("Staging patched before production",
                                    f"`AWS-RunPatchBaseline` Install windows `{p.schedule}` ({p.timezone}); production {delay}, its baselines approving each patch as much later"))
        if p.scan_schedule:
            out.controls.append(Control("Patch compliance visible", f"daily `AWS-RunPatchBaseline` Scan window `{p.scan_schedule}` over every patch group"))
        out.checklist.append(f"Patching: turn off the operating systems' own automatic updates (dnf-automatic, unattended-upgrades, Windows Update) so that instances are patched only by the `{p.tag_key}` windows, staging first.")
        return out


COMPONENT = PatchingComponent()
