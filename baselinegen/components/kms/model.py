"""The ``kms`` section as the components read it: the profile's keys. Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KmsKey:
    name: str  # profile name; alias alias/<org>-<name>
    description: str
    services: tuple[str, ...]  # service keys of components.kms.grants.SERVICE_GRANTS
    rotation: bool = True
    rotation_period_days: int = 365
    deletion_window_days: int = 30
    multi_region: bool = False
    renamed_from: tuple[str, ...] = ()  # former names, oldest first (moved blocks; their aliases are kept)


@dataclass(frozen=True)
class Kms:
    keys: tuple[KmsKey, ...] = ()
