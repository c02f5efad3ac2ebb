"""A benchmark control's verdict, derived from the rendered Terraform."""

from __future__ import annotations

from dataclasses import dataclass

# The verdicts, in the order a report counts them. RELIES: met by what AWS Control Tower provides in Control Tower mode
# (organization.control_tower; controls/control_tower.py), counted only in reports that have one.
COVERED, PARTIAL, OFF, MANUAL, NOT_APPLICABLE = "covered", "partial", "off", "manual", "not applicable"
RELIES = "relies on Control Tower"
STATUSES = (COVERED, RELIES, PARTIAL, OFF, MANUAL, NOT_APPLICABLE)
LABELS = {COVERED: "covered", RELIES: "relies on Control Tower", PARTIAL: "partial", OFF: "turned off", MANUAL: "manual",
          NOT_APPLICABLE: "not applicable"}


@dataclass(frozen=True)
class Verdict:
    """``evidence``: the generated resources that implement (or detect) the control, by address.
    ``detail``: partial: what is missing; off: what turning it back on takes; manual: what a person must do;
    not applicable: why. ``key``: the profile key that turned the control off (or that decides what is missing)."""

    status: str
    detail: str = ""
    evidence: tuple[str, ...] = ()
    key: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown verdict {self.status!r}")


def covered(evidence, detail: str = "") -> Verdict:
    return Verdict(COVERED, detail, tuple(evidence))


def partial(detail: str, evidence=(), key: str = "") -> Verdict:
    return Verdict(PARTIAL, detail, tuple(evidence), key)


def off(key: str, detail: str) -> Verdict:
    return Verdict(OFF, detail, (), key)


def manual(detail: str, evidence=()) -> Verdict:
    return Verdict(MANUAL, detail, tuple(evidence))


def not_applicable(detail: str) -> Verdict:
    return Verdict(NOT_APPLICABLE, detail)


def relies_on_control_tower(detail: str, evidence=()) -> Verdict:
    return Verdict(RELIES, detail, tuple(evidence), "organization.control_tower")


@dataclass(frozen=True)
class ControlResult:
    id: str  # the control's number in the benchmark, e.g. "3.1"
    title: str
    verdict: Verdict
    other_ids: tuple[tuple[str, str], ...] = ()  # the crosswalk: (benchmark, id) of the same requirement in other versions


@dataclass(frozen=True)
class ControlsReport:
    benchmark: str  # cis-1.2 | cis-1.4 | cis-3.0 | cis-5.0 | cis-6.0 | cis-7.0
    title: str  # CIS AWS Foundations Benchmark v1.4.0
    profile: str  # the profile's file name
    results: tuple[ControlResult, ...]

    def counts(self) -> dict[str, int]:
        counts = {status: sum(1 for r in self.results if r.verdict.status == status) for status in STATUSES}
        return counts if counts[RELIES] else {status: n for status, n in counts.items() if status != RELIES}
