"""Patching: baselines per patch group and OS, patch groups, windows with production after staging, in every Region."""

from __future__ import annotations

from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.components.patching.schema import cron_problem
from baselinegen.errors import RenderInvariantError
from baselinegen.validate.hclcheck import _parse, unquote

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme.yaml"
AL2023_SECURITY = {"CLASSIFICATION": ["Security"], "SEVERITY": ["Critical", "Important"]}
WINDOWS_SECURITY = {"CLASSIFICATION": ["CriticalUpdates", "SecurityUpdates"], "MSRC_SEVERITY": ["Critical", "Important"]}
APT_PRIORITIES = {"PRIORITY": ["Required", "Important", "Standard", "Optional", "Extra"]}


def _module(root: Path) -> dict:
    return _parse((root / "modules/patching/main.tf").read_text())


def _locals(root: Path) -> dict:
    return _module(root)["locals"][0]


def _baselines(root: Path) -> dict:
    return {unquote(key): {"name": unquote(b["name"]), "group": unquote(b["group"]), "os": unquote(b["operating_system"]),
                           "days": b["approve_after_days"],
                           "filters": {k: [unquote(v) for v in values] for k, values in b["patch_filters"].items()}}
            for key, b in _locals(root)["baselines"].items()}


def _resource(root: Path, type_: str, name: str) -> dict:
    return next(entry[f'"{type_}"'][f'"{name}"'] for entry in _module(root)["resource"] if f'"{type_}"' in entry and f'"{name}"' in entry[f'"{type_}"'])


def _parameters(task: dict) -> dict:
    command = task["task_invocation_parameters"][0]["run_command_parameters"][0]
    return {unquote(p["name"]): [unquote(v) for v in p["values"]] for p in command["parameter"]}


def test_acme_has_a_security_only_baseline_per_group_and_os_production_approving_later(rendered_example):
    assert _baselines(rendered_example) == {
        "staging/amazon-linux-2023": {"name": "acme-staging-amazon-linux-2023", "group": "staging", "os": "AMAZON_LINUX_2023", "days": 7, "filters": AL2023_SECURITY},
        "staging/windows": {"name": "acme-staging-windows", "group": "staging", "os": "WINDOWS", "days": 7, "filters": WINDOWS_SECURITY},
        "production/amazon-linux-2023": {"name": "acme-production-amazon-linux-2023", "group": "production", "os": "AMAZON_LINUX_2023", "days": 9, "filters": AL2023_SECURITY},
        "production/windows": {"name": "acme-production-windows", "group": "production", "os": "WINDOWS", "days": 9, "filters": WINDOWS_SECURITY},
    }
    baseline = _resource(rendered_example, "aws_ssm_patch_baseline", "this")
    rule = baseline["approval_rule"][0]
    assert (baseline["approved_patches_enable_non_security"], rule["enable_non_security"], unquote(rule["compliance_level"])) == (False, False, "CRITICAL")
    assert rule["dynamic"][0]['"patch_filter"']["for_each"] == "${each.value.patch_filters}"
    group = _resource(rendered_example, "aws_ssm_patch_group", "this")
    assert (group["baseline_id"], group["patch_group"]) == ("${aws_ssm_patch_baseline.this[each.key].id}", "${each.value.group}")


def test_variant_overrides_replace_defaults_and_apt_baselines_have_no_approval_delay(rendered_variant):
    baselines = _baselines(rendered_variant)
    assert list(baselines) == [f"{g}/{o}" for g in ("canary", "staging", "production") for o in ("windows", "ubuntu", "redhat-enterprise-linux")]
    assert baselines["canary/windows"]["filters"] == {"CLASSIFICATION": ["CriticalUpdates", "SecurityUpdates", "UpdateRollups"],
                                                      "MSRC_SEVERITY": ["Critical", "Important", "Moderate"]}
    assert {k: (b["days"], b["filters"]) for k, b in baselines.items() if b["os"] == "UBUNTU"} == {
        "canary/ubuntu": (None, APT_PRIORITIES), "staging/ubuntu": (None, APT_PRIORITIES), "production/ubuntu": (None, APT_PRIORITIES)}
    assert [baselines[f"{g}/redhat-enterprise-linux"]["days"] for g in ("canary", "staging", "production")] == [3, 3, 9]
    assert unquote(_resource(rendered_variant, "aws_ssm_patch_baseline", "this")["approval_rule"][0]["compliance_level"]) == "HIGH"


@pytest.mark.parametrize("fixture,schedule,timezone,offsets", [
    ("rendered_example", "cron(0 2 ? * TUE *)", "Asia/Tokyo", {"staging": None, "production": 2}),
    ("rendered_variant", "cron(30 23 ? * TUE#2 *)", "Europe/Dublin", {"canary": None, "staging": None, "production": 6}),
], ids=["acme", "variant"])
def test_production_window_opens_the_delay_after_staging_on_the_same_schedule(request, fixture, schedule, timezone, offsets):
    root = request.getfixturevalue(fixture)
    assert {unquote(k): v["schedule_offset"] for k, v in _locals(root)["patch_groups"].items()} == offsets
    window = _resource(root, "aws_ssm_maintenance_window", "patch")
    assert (unquote(window["schedule"]), unquote(window["schedule_timezone"]), window["schedule_offset"]) == (schedule, timezone, "${each.value.schedule_offset}")
    assert window["allow_unassociated_targets"] is False


@pytest.mark.parametrize("fixture,tag", [("rendered_example", "tag:PatchGroup"), ("rendered_variant", "tag:Patch Group")], ids=["acme", "variant"])
def test_windows_target_the_instances_tagged_with_their_patch_group(request, fixture, tag):
    target = _resource(request.getfixturevalue(fixture), "aws_ssm_maintenance_window_target", "patch")
    assert unquote(target["resource_type"]) == "INSTANCE"
    assert [(unquote(t["key"]), t["values"]) for t in target["targets"]] == [(tag, ["${each.value.group}"])]


@pytest.mark.parametrize("fixture,reboot,concurrency,errors", [
    ("rendered_example", "RebootIfNeeded", "20%", "10%"), ("rendered_variant", "NoReboot", "5", "1")], ids=["acme", "variant"])
def test_install_task_runs_run_patch_baseline_with_the_profiles_reboot_option(request, fixture, reboot, concurrency, errors):
    task = _resource(request.getfixturevalue(fixture), "aws_ssm_maintenance_window_task", "patch")
    assert (unquote(task["task_type"]), unquote(task["task_arn"]), unquote(task["cutoff_behavior"])) == ("RUN_COMMAND", "AWS-RunPatchBaseline", "CONTINUE_TASK")
    assert (unquote(task["max_concurrency"]), unquote(task["max_errors"])) == (concurrency, errors)
    assert [(unquote(t["key"]), t["values"]) for t in task["targets"]] == [("WindowTargetIds", ["${aws_ssm_maintenance_window_target.patch[each.key].id}"])]
    assert _parameters(task) == {"Operation": ["Install"], "RebootOption": [reboot]}


def test_daily_scan_covers_every_group_and_installs_nothing(rendered_example, rendered_variant):
    window = _resource(rendered_example, "aws_ssm_maintenance_window", "scan")
    assert (window["for_each"], window["region"], unquote(window["schedule"])) == ("${var.regions}", "${each.value}", "cron(0 1 * * ? *)")
    target = _resource(rendered_example, "aws_ssm_maintenance_window_target", "scan")
    assert [unquote(v) for v in target["targets"][0]["values"]] == ["staging", "production"]
    assert _parameters(_resource(rendered_example, "aws_ssm_maintenance_window_task", "scan")) == {"Operation": ["Scan"], "RebootOption": ["NoReboot"]}
    assert "scan" not in (rendered_variant / "modules/patching/main.tf").read_text().split('resource "aws_ssm_maintenance_window"')[1].split("\n")[0]


def test_every_region_gets_every_baseline_and_window_from_the_root_list(rendered_example):
    module = _locals(rendered_example)
    assert "setproduct(var.regions, keys(local.baselines))" in module["regional_baselines"]
    assert "setproduct(var.regions, keys(local.patch_groups))" in module["regional_windows"]
    for type_, name, source in (("aws_ssm_patch_baseline", "this", "baselines"), ("aws_ssm_patch_group", "this", "baselines"),
                                ("aws_ssm_maintenance_window", "patch", "windows"), ("aws_ssm_maintenance_window_task", "patch", "windows")):
        body = _resource(rendered_example, type_, name)
        assert (body["for_each"], body["region"]) == (f"${{local.regional_{source}}}", "${each.value.region}")
    root = {k: v for entry in _parse((rendered_example / "main.tf").read_text())["module"] for k, v in entry.items()}
    assert root['"patching"']["regions"] == "${local.regions}"


def test_zero_delay_and_a_rate_schedule_render_no_offset_with_a_warning(write_profile):
    path = write_profile("""
        version: 1
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}
        monitoring: {topic: {email: [soc@acme.example]}}
        patching: {schedule: rate(7 days), production_delay_days: 0}
        state: {bucket: acme-terraform-state}
    """)
    loaded = api.load_profile(path)
    assert [(p.path, p.code) for p in loaded.warnings] == [("patching.production_delay_days", "W422")]
    files = {f.path: f.content for f in api.render_tree(loaded.profile).files}
    assert '"production" = {\n      schedule_offset = null\n    }' in files["modules/patching/main.tf"]
    assert "Production approves" not in files["modules/patching/main.tf"]


def test_apt_systems_with_a_delay_warn_that_production_may_get_newer_packages(write_profile):
    path = write_profile("""
        version: 1
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}
        monitoring: {topic: {email: [soc@acme.example]}}
        patching: {operating_systems: [amazon-linux-2, debian]}
        state: {bucket: acme-terraform-state}
    """)
    assert [str(p) for p in api.load_profile(path).warnings] == [
        f"{path}:4:31: patching.operating_systems: warning: Debian Server patches carry no release date, so the approval delay cannot "
        "hold production to what staging installed: production also gets security packages published after staging's window [W423]"]


def test_disabled_patching_renders_no_module(write_profile):
    path = write_profile("""
        version: 1
        organization: {name: acme, home_region: us-east-1, regions: [us-east-1]}
        patching: {enabled: false}
    """)
    files = {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files}
    assert not any(p.startswith("modules/patching/") for p in files)
    assert 'module "patching"' not in files["main.tf"]
    assert "Patching:" not in files["README.md"]


def test_the_manual_checklist_says_to_turn_off_os_automatic_updates(rendered_example):
    readme = (rendered_example / "README.md").read_text()
    assert "- [ ] Patching: turn off the operating systems' own automatic updates" in readme
    assert "**Turn off the operating system's own automatic updates**:" in (rendered_example / "modules/patching/README.md").read_text()


@pytest.mark.parametrize("expression,problem", [
    ("cron(0 3 ? * TUE *)", ""),
    ("cron(30 23 ? * TUE#3 *)", ""),
    ("cron(0 1 * * ? *)", ""),
    ("cron(0 0/4 1,15 * ? 2030)", ""),
    ("rate(1 day)", ""),
    ("rate(12 hours)", ""),
    ("rate(1 days)", "use the singular unit with 1 and the plural otherwise"),
    ("rate(5 minutes)", "write cron(...) with six fields or rate(N hours|days)"),
    ("0 3 * * 2", "write cron(...) with six fields or rate(N hours|days)"),
    ("cron(0 3 * * 2)", "a cron expression has six fields (minutes hours day-of-month month day-of-week year), this one has 5"),
    ("cron(60 3 ? * TUE *)", "minutes field '60': 60 is out of range 0-59"),
    ("cron(0 24 ? * TUE *)", "hours field '24': 24 is out of range 0-23"),
    ("cron(0 3 * * TUE *)", "exactly one of day-of-month and day-of-week must be ?"),
    ("cron(0 3 ? * ? *)", "exactly one of day-of-month and day-of-week must be ?"),
    ("cron(0 3 ? * TUE$ *)", "day-of-week field 'TUE$' has characters it does not allow"),
])
def test_schedules_are_checked_as_systems_manager_cron_or_rate_expressions(expression, problem):
    assert cron_problem(expression) == problem


@pytest.mark.parametrize("old,new,message", [
    ('SEVERITY       = ["Critical", "Important"]', 'SEVERITY       = ["Critical", "Important", "Medium"]',
     "modules/patching: baseline staging/amazon-linux-2023 differs from the profile's approval rule"),
    ("approve_after_days = 9", "approve_after_days = 7", "modules/patching: baseline production/amazon-linux-2023 differs from the profile's approval rule"),
    ("schedule_offset = 2", "schedule_offset = null",
     "modules/patching: patch windows {'staging': None, 'production': None} do not open production 2 day(s) after staging"),
    ('schedule_offset            = each.value.schedule_offset', "schedule_offset            = 1",
     "modules/patching: patch windows do not share the profile's schedule cron(0 2 ? * TUE *)"),
    ('key    = "tag:PatchGroup"\n    values = [each.value.group]', 'key    = "tag:PatchGroup"\n    values = ["staging"]',
     "modules/patching: patch windows do not target instances by their PatchGroup tag"),
    ('values = ["RebootIfNeeded"]', 'values = ["NoReboot"]',
     "modules/patching: patch windows do not run AWS-RunPatchBaseline Install with RebootOption RebootIfNeeded"),
    ('values = ["Install"]', 'values = ["Scan"]',
     "modules/patching: patch windows do not run AWS-RunPatchBaseline Install with RebootOption RebootIfNeeded"),
    ("approved_patches_enable_non_security = false", "approved_patches_enable_non_security = true",
     "modules/patching: the baselines' approval rule is not the profile's"),
    ("enable_non_security = false\n\n    dynamic", "enable_non_security = true\n\n    dynamic", "modules/patching: the baselines' approval rule is not the profile's"),
    ("setproduct(var.regions, keys(local.baselines))", 'setproduct(["us-east-1"], keys(local.baselines))',
     "modules/patching: local.regional_baselines does not cover every Region of the profile"),
    ("for_each = local.regional_windows", "for_each = local.regional_baselines",
     "modules/patching: aws_ssm_maintenance_window does not run in every Region of the profile"),
], ids=["filter-widened", "production-approves-early", "production-offset-removed", "window-offset-hardcoded", "target-one-group",
        "reboot-option", "operation-scan", "non-security-approved", "rule-approves-non-security", "baselines-one-region", "windows-per-baseline"])
def test_security_invariants_catch_weakened_patching(tmp_path, tamper, old, new, message):
    tamper("modules/patching/main.tf", old, new)
    with pytest.raises(RenderInvariantError) as info:
        api.render(EXAMPLE, tmp_path / "out")
    assert message in str(info.value).splitlines()


def test_baselines_and_windows_carry_the_protected_tag_the_guardrails_deny_changes_to(rendered_example):
    for type_, name in (("aws_ssm_patch_baseline", "this"), ("aws_ssm_maintenance_window", "patch"), ("aws_ssm_maintenance_window", "scan")):
        assert _resource(rendered_example, type_, name)["tags"] == {'"baselinegen:protected"': '"true"'}, (type_, name)
