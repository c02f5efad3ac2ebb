"""CloudWatch alarm catalog: the CIS AWS Foundations monitoring alarms plus the two alarms of AWS's CloudTrail alarm
template.

Each `AlarmSpec` is one `aws_cloudwatch_log_metric_filter` + `aws_cloudwatch_metric_alarm` pair on the
CloudTrail log group. The filter patterns are byte-exact copies of the reference
(`reference/cis-aws-foundations.md`, section 4 "Metric-filter patterns (verbatim)"; the two EC2 alarms from
`product.md`, "Alarms", which quotes AWS's CloudTrail alarm template). Do not retype or reformat them: Security Hub compares its
strings exactly, and `tests/fixtures/cis_metric_filter_patterns.json` pins every one.

Which string a benchmark renders (the reference's table "Which string to render"; `cis-1.2` and `cis-1.4` use
the exact strings Security Hub compares against, `cis-3.0` the benchmark's text):

* ``cis-1.2``: the Security Hub exact-match string for CIS 4.1-4.14 (3.1-3.14 in 1.2.0 numbering).
* ``cis-1.4``: the Security Hub string for 4.3-4.14. Security Hub's CIS 1.4.0 standard does not evaluate
  4.1 or 4.2, so 4.1 uses the explicitly grouped form (the CIS text ORs its ``!=`` terms and would alarm on
  almost every API call) and 4.2 the CIS alternative form that skips SSO and failed sign-ins.
* ``cis-3.0``: the CIS v3.0.0 text (byte-identical to v1.4.0 and v2.0.0) for 4.3-4.12 and 4.14, the CIS
  primary form for 4.2, the grouped form for 4.1, and for 4.13 the constructed unambiguous form with
  ``$.eventSource = ec2.amazonaws.com`` (the CIS audit text is ``A && B || C ...``, which binds as
  ``(A && B) || C ...``).
* 4.15 (AWS Organizations; not in CIS 1.2.0 but rendered there too): in every benchmark the CIS text with
  ``CancelHandshake``, ``CreateOrganization`` and ``EnableAllFeatures`` added, because prowler requires 21
  event names and every CIS string has 18.
* Route tables need two filters under ``cis-1.2`` and ``cis-1.4``: Security Hub CloudWatch.13 requires the
  string without an eventSource term, prowler requires ``$.eventSource = ec2.amazonaws.com``. So
  ``route-table-changes-ec2-source`` (the eventSource form) is rendered by default under those two benchmarks
  only; under ``cis-3.0`` ``route-table-changes`` already is that form.
* The two template alarms (``ec2-instance-changes``, ``ec2-large-instance-changes``, from AWS's CloudTrail alarm
  template) have no CIS or Security Hub control and are rendered under every benchmark.

A profile may exclude alarms by id; `alarms_for` applies the exclusions.
"""

from __future__ import annotations

from collections.abc import Iterable

from .alarm_patterns import SEED_EC2_INSTANCE, SEED_EC2_LARGE_INSTANCE, TEMPLATE_SOURCE
from .alarm_spec import BENCHMARKS, AlarmSpec, check_benchmark
from .cis_alarms import CIS_ALARMS

_ALL = BENCHMARKS

# The two alarms of AWS's CloudTrail alarm template: no CIS or Security Hub control, rendered under every benchmark.
TEMPLATE_ALARMS: tuple[AlarmSpec, ...] = (
    AlarmSpec(
        id="ec2-instance-changes",
        metric_name="EC2InstanceChanges",
        title="EC2 instance changes",
        description=(
            "An EC2 instance was launched, started, stopped, rebooted or terminated. Unexpected instance "
            "activity can mean a compromised principal running its own workloads or disrupting service; check "
            "the instance ids and the calling principal in CloudTrail."
        ),
        cis=(),
        security_hub=None,
        patterns=tuple((b, SEED_EC2_INSTANCE, TEMPLATE_SOURCE) for b in BENCHMARKS),
        default_in=_ALL,
    ),
    AlarmSpec(
        id="ec2-large-instance-changes",
        metric_name="EC2LargeInstanceChanges",
        title="EC2 large instance changes",
        description=(
            "A 4xlarge or 8xlarge EC2 instance was launched. Large instances launched with stolen credentials "
            "are a common sign of cryptocurrency mining and cost a lot per hour; check who launched it and "
            "stop it if nobody expects it."
        ),
        cis=(),
        security_hub=None,
        patterns=tuple((b, SEED_EC2_LARGE_INSTANCE, TEMPLATE_SOURCE) for b in BENCHMARKS),
        default_in=_ALL,
    ),
)

CATALOG: tuple[AlarmSpec, ...] = CIS_ALARMS + TEMPLATE_ALARMS

_BY_ID = {alarm.id: alarm for alarm in CATALOG}


def by_id() -> dict[str, AlarmSpec]:
    """Every alarm keyed by id (a fresh dict; catalog order)."""
    return dict(_BY_ID)


def alarms_for(benchmark: str, exclude: Iterable[str] = ()) -> list[AlarmSpec]:
    """The alarms a benchmark renders: catalog order, those whose `default_in` contains it, minus `exclude`.

    Raises ValueError for an unknown benchmark or an unknown id in `exclude` (a typo would otherwise keep
    the alarm silently).
    """
    check_benchmark(benchmark)
    if isinstance(exclude, str):
        raise ValueError(f"exclude must be a collection of alarm ids, not the string {exclude!r}")
    excluded = set(exclude)
    unknown = sorted(excluded - _BY_ID.keys())
    if unknown:
        raise ValueError(f"unknown alarm id(s) in exclude: {', '.join(unknown)}")
    return [a for a in CATALOG if benchmark in a.default_in and a.id not in excluded]
