"""The ``patching`` section as the components read it. Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Patching:
    enabled: bool = True
    operating_systems: tuple[str, ...] = ("amazon-linux-2023",)  # ids of components.patching.catalog
    approval_rules: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()  # (os, ((key, values), ...)) overrides
    approve_after_days: int = 7
    compliance_level: str = "CRITICAL"
    groups: tuple[str, ...] = ("staging", "production")
    tag_key: str = "PatchGroup"
    schedule: str = "cron(0 3 ? * TUE *)"
    timezone: str = "UTC"
    duration_hours: int = 4
    cutoff_hours: int = 1
    production_delay_days: int = 2
    reboot: str = "RebootIfNeeded"
    max_concurrency: str = "25%"
    max_errors: str = "10%"
    scan_schedule: str | None = "cron(0 1 * * ? *)"
    renamed_from: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (group, its former names, oldest first)
