"""The ``monitoring`` section as the components read it: the alarm topic and the alarms. Frozen and already defaulted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CustomAlarm:
    id: str
    metric_name: str
    description: str
    pattern: str
    threshold: int = 1
    period: int = 300
    renamed_from: tuple[str, ...] = ()  # former ids, oldest first (moved blocks)


@dataclass(frozen=True)
class Monitoring:
    topic_name: str = ""
    topic_kms_key: str = ""
    email_subscribers: tuple[str, ...] = ()
    alarms_enabled: bool = True
    benchmark: str = "cis-1.4"
    namespace: str = "CISBenchmark"
    exclude: tuple[str, ...] = ()
    custom: tuple[CustomAlarm, ...] = ()
