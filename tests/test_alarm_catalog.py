"""The alarm catalog: patterns are the reference's strings byte for byte, and the metadata is consistent.

`fixtures/cis_metric_filter_patterns.json` was extracted programmatically from the fenced code blocks of
reference/cis-aws-foundations.md section 4 (and product.md "Alarms"); it is the test's copy of the reference.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from baselinegen.components.monitoring.alarms import BENCHMARKS, CATALOG, AlarmSpec, alarms_for, by_id

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "cis_metric_filter_patterns.json"
KEBAB = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
CAMEL = re.compile(r"[A-Z][A-Za-z0-9]*")
PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")


def _reference() -> dict[str, dict[str, str]]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["benchmarks"]


def test_fixture_covers_exactly_the_benchmarks():
    assert tuple(_reference()) == BENCHMARKS


@pytest.mark.parametrize("benchmark", BENCHMARKS)
def test_each_benchmarks_patterns_equal_the_reference_table_exactly(benchmark):
    assert {a.id: a.pattern(benchmark) for a in CATALOG} == _reference()[benchmark]


def test_catalog_lists_the_cis_alarms_in_order_then_the_ec2_template_alarms():
    assert [a.id for a in CATALOG] == [
        "unauthorized-api-calls",
        "console-signin-without-mfa",
        "root-usage",
        "iam-policy-changes",
        "cloudtrail-changes",
        "console-signin-failures",
        "kms-key-disable-or-deletion",
        "s3-bucket-policy-changes",
        "config-changes",
        "security-group-changes",
        "nacl-changes",
        "network-gateway-changes",
        "route-table-changes",
        "route-table-changes-ec2-source",
        "vpc-changes",
        "organizations-changes",
        "ec2-instance-changes",
        "ec2-large-instance-changes",
    ]


def test_ids_are_unique_kebab_case():
    ids = [a.id for a in CATALOG]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not KEBAB.fullmatch(i)] == []


def test_metric_names_are_unique_camel_case():
    names = [a.metric_name for a in CATALOG]
    assert len(names) == len(set(names))
    assert [n for n in names if not CAMEL.fullmatch(n)] == []


def test_every_alarm_has_one_pattern_per_benchmark_in_benchmark_order():
    for alarm in CATALOG:
        assert tuple(b for b, _, _ in alarm.patterns) == BENCHMARKS, alarm.id
        for benchmark in BENCHMARKS:
            assert alarm.pattern(benchmark), (alarm.id, benchmark)
            assert alarm.pattern_source(benchmark), (alarm.id, benchmark)


def test_descriptions_are_unique_printable_ascii_and_short():
    descriptions = [a.description for a in CATALOG]
    assert len(descriptions) == len(set(descriptions)), "copy-pasted description"
    for alarm in CATALOG:
        assert PRINTABLE_ASCII.fullmatch(alarm.description), alarm.id
        assert 0 < len(alarm.description) <= 400, alarm.id
        assert "${" not in alarm.description and "%{" not in alarm.description, alarm.id


def test_titles_are_unique_printable_ascii():
    titles = [a.title for a in CATALOG]
    assert len(titles) == len(set(titles))
    assert all(PRINTABLE_ASCII.fullmatch(t) and t for t in titles)


def test_cis_ids_for_cis_1_2_use_section_3_numbering():
    assert {a.id: a.cis_id("cis-1.2") for a in CATALOG} == {
        "unauthorized-api-calls": "3.1",
        "console-signin-without-mfa": "3.2",
        "root-usage": "3.3",
        "iam-policy-changes": "3.4",
        "cloudtrail-changes": "3.5",
        "console-signin-failures": "3.6",
        "kms-key-disable-or-deletion": "3.7",
        "s3-bucket-policy-changes": "3.8",
        "config-changes": "3.9",
        "security-group-changes": "3.10",
        "nacl-changes": "3.11",
        "network-gateway-changes": "3.12",
        "route-table-changes": "3.13",
        "route-table-changes-ec2-source": "3.13",
        "vpc-changes": "3.14",
        "organizations-changes": None,
        "ec2-instance-changes": None,
        "ec2-large-instance-changes": None,
    }


CIS_4X = {
    "unauthorized-api-calls": "4.1",
    "console-signin-without-mfa": "4.2",
    "root-usage": "4.3",
    "iam-policy-changes": "4.4",
    "cloudtrail-changes": "4.5",
    "console-signin-failures": "4.6",
    "kms-key-disable-or-deletion": "4.7",
    "s3-bucket-policy-changes": "4.8",
    "config-changes": "4.9",
    "security-group-changes": "4.10",
    "nacl-changes": "4.11",
    "network-gateway-changes": "4.12",
    "route-table-changes": "4.13",
    "route-table-changes-ec2-source": "4.13",
    "vpc-changes": "4.14",
    "organizations-changes": "4.15",
    "ec2-instance-changes": None,
    "ec2-large-instance-changes": None,
}


@pytest.mark.parametrize("benchmark", ["cis-1.4", "cis-3.0"])
def test_cis_ids_for_cis_1_4_and_3_0_use_section_4_numbering(benchmark):
    assert {a.id: a.cis_id(benchmark) for a in CATALOG} == CIS_4X


def test_security_hub_controls_are_cloudwatch_1_to_14():
    assert {a.id: a.security_hub for a in CATALOG} == {
        "unauthorized-api-calls": "CloudWatch.2",
        "console-signin-without-mfa": "CloudWatch.3",
        "root-usage": "CloudWatch.1",
        "iam-policy-changes": "CloudWatch.4",
        "cloudtrail-changes": "CloudWatch.5",
        "console-signin-failures": "CloudWatch.6",
        "kms-key-disable-or-deletion": "CloudWatch.7",
        "s3-bucket-policy-changes": "CloudWatch.8",
        "config-changes": "CloudWatch.9",
        "security-group-changes": "CloudWatch.10",
        "nacl-changes": "CloudWatch.11",
        "network-gateway-changes": "CloudWatch.12",
        "route-table-changes": "CloudWatch.13",
        "route-table-changes-ec2-source": None,
        "vpc-changes": "CloudWatch.14",
        "organizations-changes": None,
        "ec2-instance-changes": None,
        "ec2-large-instance-changes": None,
    }


def test_security_hub_benchmarks_render_the_security_hub_string_for_4_3_to_4_14():
    not_evaluated_in_1_4 = ("unauthorized-api-calls", "console-signin-without-mfa")
    alarms = [a for a in CATALOG if a.security_hub and a.id not in not_evaluated_in_1_4]
    assert len(alarms) == 12
    for alarm in alarms:
        for benchmark in ("cis-1.2", "cis-1.4"):
            assert alarm.pattern_source(benchmark) == f"Security Hub {alarm.security_hub} exact-match string"


def test_route_table_filter_under_cis_3_0_is_the_ec2_source_form():
    alarms = by_id()
    ec2_source = alarms["route-table-changes-ec2-source"]
    assert alarms["route-table-changes"].pattern("cis-3.0") == ec2_source.pattern("cis-3.0")
    assert "$.eventSource = ec2.amazonaws.com" in ec2_source.pattern("cis-1.4")
    assert "eventSource" not in alarms["route-table-changes"].pattern("cis-1.4")


def test_by_id_returns_every_alarm_by_its_id():
    alarms = by_id()
    assert list(alarms) == [a.id for a in CATALOG]
    assert all(alarms[a.id] is a for a in CATALOG)


def test_alarms_for_cis_3_0_excludes_the_ec2_source_route_table_filter():
    ids = [a.id for a in alarms_for("cis-3.0")]
    assert "route-table-changes-ec2-source" not in ids
    assert ids == [a.id for a in CATALOG if a.id != "route-table-changes-ec2-source"]


@pytest.mark.parametrize("benchmark", ["cis-1.2", "cis-1.4"])
def test_alarms_for_security_hub_benchmarks_include_both_route_table_filters(benchmark):
    assert [a.id for a in alarms_for(benchmark)] == [a.id for a in CATALOG]


def test_alarms_for_drops_excluded_ids_and_keeps_catalog_order():
    ids = [a.id for a in alarms_for("cis-1.4", exclude=["organizations-changes", "ec2-large-instance-changes"])]
    assert ids == [
        a.id for a in CATALOG if a.id not in ("organizations-changes", "ec2-large-instance-changes")
    ]


def test_alarms_for_unknown_benchmark_raises_value_error():
    with pytest.raises(ValueError, match="unknown benchmark"):
        alarms_for("cis-9.9")


def test_alarms_for_unknown_excluded_id_raises_value_error():
    with pytest.raises(ValueError, match="root-usag"):
        alarms_for("cis-1.4", exclude=["root-usag"])
    with pytest.raises(ValueError):
        alarms_for("cis-1.4", exclude="root-usage")


def test_accessors_reject_unknown_benchmarks():
    alarm = CATALOG[0]
    for accessor in (alarm.pattern, alarm.pattern_source, alarm.cis_id):
        with pytest.raises(ValueError):
            accessor("cis-2.0")


def test_spec_rejects_patterns_that_do_not_cover_every_benchmark():
    with pytest.raises(ValueError):
        AlarmSpec(
            id="x",
            metric_name="X",
            title="x",
            description="x",
            cis=(),
            security_hub=None,
            patterns=(("cis-1.2", "{ $.a = 1 }", "test"),),
            default_in=("cis-1.2",),
        )


def test_no_pattern_contains_a_terraform_template_sequence():
    for alarm in CATALOG:
        for benchmark, pattern, _ in alarm.patterns:
            assert "${" not in pattern and "%{" not in pattern, (alarm.id, benchmark)


def test_every_pattern_fits_the_cloudwatch_1024_character_limit():
    for alarm in CATALOG:
        for benchmark, pattern, _ in alarm.patterns:
            assert len(pattern) <= 1024, (alarm.id, benchmark, len(pattern))


def test_json_patterns_are_closed_single_line_printable_ascii():
    for alarm in CATALOG:
        for benchmark, pattern, _ in alarm.patterns:
            assert PRINTABLE_ASCII.fullmatch(pattern), (alarm.id, benchmark)
            assert pattern == pattern.strip(), (alarm.id, benchmark)
            if pattern.startswith("{"):
                assert pattern.endswith("}"), (alarm.id, benchmark)
