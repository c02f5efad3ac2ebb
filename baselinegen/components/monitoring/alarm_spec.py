"""One CloudWatch alarm of the catalog: a metric filter on the trail's log group and its alarm, with the pattern
each benchmark renders."""

from __future__ import annotations

from dataclasses import dataclass

BENCHMARKS = ("cis-1.2", "cis-1.4", "cis-3.0")


@dataclass(frozen=True)
class AlarmSpec:
    """One metric filter + alarm. `patterns` holds one (benchmark, pattern, source) row per benchmark."""

    id: str
    metric_name: str
    title: str
    description: str
    cis: tuple[tuple[str, str], ...]
    security_hub: str | None
    patterns: tuple[tuple[str, str, str], ...]
    default_in: tuple[str, ...]

    def __post_init__(self) -> None:
        if tuple(b for b, _, _ in self.patterns) != BENCHMARKS:
            raise ValueError(f"alarm {self.id}: patterns must list {BENCHMARKS} in that order")
        for benchmark in (*(b for b, _ in self.cis), *self.default_in):
            check_benchmark(benchmark)

    def _row(self, benchmark: str) -> tuple[str, str, str]:
        check_benchmark(benchmark)
        return next(row for row in self.patterns if row[0] == benchmark)

    def pattern(self, benchmark: str) -> str:
        """The exact filter pattern this benchmark renders."""
        return self._row(benchmark)[1]

    def pattern_source(self, benchmark: str) -> str:
        """Where that pattern comes from (reference form, CIS version or AWS template)."""
        return self._row(benchmark)[2]

    def cis_id(self, benchmark: str) -> str | None:
        """The CIS control id in that benchmark's numbering, or None when it has no such control."""
        check_benchmark(benchmark)
        return dict(self.cis).get(benchmark)


def check_benchmark(benchmark: str) -> None:
    if benchmark not in BENCHMARKS:
        raise ValueError(f"unknown benchmark {benchmark!r}; expected one of {', '.join(BENCHMARKS)}")


def cis_numbers(v12: str | None, v4: str) -> tuple[tuple[str, str], ...]:
    """CIS ids: 1.2.0 numbers monitoring 3.x; 1.4.0 and 3.0.0 share 4.x."""
    head = (("cis-1.2", v12),) if v12 else ()
    return (*head, ("cis-1.4", v4), ("cis-3.0", v4))
