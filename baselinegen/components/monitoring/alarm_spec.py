"""One CloudWatch alarm of the catalog: a metric filter on the trail's log group and its alarm, with the pattern
each benchmark renders."""

from __future__ import annotations

from dataclasses import dataclass

BENCHMARKS = ("cis-1.2", "cis-1.4", "cis-3.0", "cis-5.0")


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
    """CIS ids: 1.2.0 numbers monitoring 3.x; 1.4.0, 3.0.0 and 5.0.0 share 4.x."""
    head = (("cis-1.2", v12),) if v12 else ()
    return (*head, ("cis-1.4", v4), ("cis-3.0", v4), ("cis-5.0", v4))


def with_v5(rows: tuple[tuple[str, str, str], ...], v5_pattern: str | None = None) -> tuple[tuple[str, str, str], ...]:
    """The rows plus CIS v5.0.0's: the v3.0.0 string (v5.0.0 changes only 4.10, whose new text is ``v5_pattern``;
    its transcription drops quotes and grouping elsewhere, which the rendered strings keep, reference §4)."""
    _, pattern, source = next(row for row in rows if row[0] == "cis-3.0")
    if v5_pattern is not None:
        return (*rows, ("cis-5.0", v5_pattern, "CIS v5.0.0 text (adds ModifySecurityGroupRules)"))
    return (*rows, ("cis-5.0", pattern, f"{source}; rendered for CIS v5.0.0 too"))
