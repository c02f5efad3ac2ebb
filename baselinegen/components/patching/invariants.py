"""Security invariants of patching: every Region gets every baseline and window; production follows staging."""

from __future__ import annotations

from .render import patched, rendered_baselines, schedule_offset
from ...profile.model import Profile
from ...validate.hclcheck import module_locals, resource_bodies, unquote


def patching_problems(parsed, profile: Profile) -> list[str]:
    """Every Region gets every (group, OS) baseline with the profile's approval rule and every group's window;
    production's window opens production_delay_days after staging's, on the same schedule."""
    p, where = profile.patching, "modules/patching"
    found = module_locals(parsed, where)
    if not patched(profile):
        why = "turns patching off" if not p.enabled else "has no workload account to patch"
        return [f"{where}: the profile {why}"] if found else []
    rendered = {unquote(k): v for k, v in found.get("baselines", {}).items()}
    expected = {b.key: b for b in rendered_baselines(profile)}
    problems = [] if set(rendered) == set(expected) else [f"{where}: baselines {sorted(rendered)} differ from the profile's {sorted(expected)}"]
    for key in sorted(set(rendered) & set(expected)):
        got, want = rendered[key], expected[key]
        filters = {k: [unquote(v) for v in values] for k, values in got.get("patch_filters", {}).items()}
        if (unquote(got.get("operating_system")), got.get("approve_after_days"), unquote(got.get("group"))) != (want.operating_system, want.approve_after_days, want.group) \
                or filters != {k: list(v) for k, v in want.patch_filters}:
            problems.append(f"{where}: baseline {key} differs from the profile's approval rule")
    offsets = {unquote(k): v.get("schedule_offset") for k, v in found.get("patch_groups", {}).items()}
    if offsets != {g: schedule_offset(p, g) for g in p.groups}:
        problems.append(f"{where}: patch windows {offsets} do not open production {p.production_delay_days} day(s) after staging")
    bodies = {t: resource_bodies(parsed, where, "resource", t) for t in (
        "aws_ssm_patch_baseline", "aws_ssm_patch_group", "aws_ssm_maintenance_window", "aws_ssm_maintenance_window_target", "aws_ssm_maintenance_window_task")}
    for type_, source in (("aws_ssm_patch_baseline", "baselines"), ("aws_ssm_patch_group", "baselines"), ("aws_ssm_maintenance_window", "windows"),
                          ("aws_ssm_maintenance_window_target", "windows"), ("aws_ssm_maintenance_window_task", "windows")):
        body = bodies[type_].get("patch" if "window" in type_ else "this", {})
        if body.get("for_each") != f"${{local.regional_{source}}}" or body.get("region") != "${each.value.region}":
            problems.append(f"{where}: {type_} does not run in every Region of the profile")
    for name, keys in (("regional_baselines", "local.baselines"), ("regional_windows", "local.patch_groups")):
        if f"setproduct(var.regions, keys({keys}))" not in str(found.get(name)):
            problems.append(f"{where}: local.{name} does not cover every Region of the profile")
    baseline = bodies["aws_ssm_patch_baseline"].get("this", {})
    rule = (baseline.get("approval_rule") or [{}])[0]
    if rule.get("enable_non_security") is not False or baseline.get("approved_patches_enable_non_security") is not False or unquote(rule.get("compliance_level")) != p.compliance_level \
            or rule.get("approve_after_days") != "${each.value.approve_after_days}":
        problems.append(f"{where}: the baselines' approval rule is not the profile's")
    window = bodies["aws_ssm_maintenance_window"].get("patch", {})
    if unquote(window.get("schedule")) != p.schedule or window.get("schedule_offset") != "${each.value.schedule_offset}":
        problems.append(f"{where}: patch windows do not share the profile's schedule {p.schedule}")
    target = (bodies["aws_ssm_maintenance_window_target"].get("patch", {}).get("targets") or [{}])[0]
    if (unquote(target.get("key")), target.get("values")) != (f"tag:{p.tag_key}", ["${each.value.group}"]):
        problems.append(f"{where}: patch windows do not target instances by their {p.tag_key} tag")
    task = bodies["aws_ssm_maintenance_window_task"].get("patch", {})
    command = ((task.get("task_invocation_parameters") or [{}])[0].get("run_command_parameters") or [{}])[0]
    parameters = {unquote(pm.get("name")): [unquote(v) for v in pm.get("values", [])] for pm in command.get("parameter", [])}
    if (unquote(task.get("task_arn")), parameters) != ("AWS-RunPatchBaseline", {"Operation": ["Install"], "RebootOption": [p.reboot]}):
        problems.append(f"{where}: patch windows do not run AWS-RunPatchBaseline Install with RebootOption {p.reboot}")
    return problems
