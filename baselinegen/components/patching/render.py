"""Patching: Patch Manager baselines per patch group and OS, maintenance windows, staging before production.

Every Region of ``organization.regions`` gets, from one provider through the per-resource ``region`` argument:

* one ``aws_ssm_patch_baseline`` per (patch group, operating system) that approves security updates only,
  registered for its patch group with ``aws_ssm_patch_group``;
* one maintenance window per patch group that runs ``AWS-RunPatchBaseline`` (Operation=Install) on the
  instances tagged with the group. Production's window has the schedule of staging's plus a schedule
  offset of ``production_delay_days`` days (1-6; Systems Manager allows offsets only on cron schedules,
  so the two windows read as one schedule and cannot drift apart);
* an optional daily scan window (Operation=Scan) over every group, so compliance stays current between
  patch windows.

Production's baselines approve a patch ``production_delay_days`` days later than staging's. A patch that
production installs on day D was therefore already approved for staging's window on day D minus the delay:
production only gets what staging got first (Ubuntu and Debian publish no release dates, so there the
delay orders the windows but cannot hold back newer packages; the profile warns).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...profile.model import Patching, Profile
from ...render.filters import hcl_string
from .catalog import BY_ID
from .schema import PRODUCTION

MODULE = "patching"
SCAN_DURATION_HOURS, SCAN_CUTOFF_HOURS = 2, 1
WINDOW_TYPES = ("aws_ssm_maintenance_window", "aws_ssm_maintenance_window_target", "aws_ssm_maintenance_window_task")


@dataclass(frozen=True)
class RenderedBaseline:
    key: str  # "<group>/<os>"
    name: str  # <org>-<group>-<os>
    group: str
    os: str
    operating_system: str  # the provider's value
    approve_after_days: int | None  # None where Patch Manager knows no release dates
    patch_filters: tuple[tuple[str, tuple[str, ...]], ...]


def days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def schedule_offset(patching: Patching, group: str) -> int | None:
    """Days production's window opens after staging's; None (no offset) for every other group."""
    return patching.production_delay_days if group == PRODUCTION and patching.production_delay_days else None


def rendered_baselines(profile: Profile) -> list[RenderedBaseline]:
    """One baseline per patch group and operating system, in the profile's order."""
    p = profile.patching
    overrides = dict(p.approval_rules)
    out = []
    for group in p.groups:
        days = p.approve_after_days + (p.production_delay_days if group == PRODUCTION else 0)
        for os_id in p.operating_systems:
            os = BY_ID[os_id]
            out.append(RenderedBaseline(f"{group}/{os_id}", f"{profile.organization.name}-{group}-{os_id}", group, os_id, os.aws,
                                        days if os.release_dates else None, overrides.get(os_id, os.default_filters)))
    return out


def _group_addresses(group: str, operating_systems: tuple[str, ...], regions: tuple[str, ...]) -> dict:
    roles = {}
    for region in regions:
        for os_id in operating_systems:
            key = hcl_string(f"{region}/{group}/{os_id}")
            roles.update({(type_, region, os_id): f"{type_}.this[{key}]" for type_ in ("aws_ssm_patch_baseline", "aws_ssm_patch_group")})
        key = hcl_string(f"{region}/{group}")
        roles.update({(type_, region): f"{type_}.patch[{key}]" for type_ in WINDOW_TYPES})
    return roles


def patched(profile: Profile) -> bool:
    """Whether the render holds patching: turned on, and for an organisation, with a workload account to run in."""
    accounts = profile.organization.accounts
    return profile.patching.enabled and (not accounts or any(a.role == "workload" for a in accounts))
