"""Security invariants over the parsed output: the rendered values equal the profile's."""

from __future__ import annotations

from ..components.iam_policies import mfa_policy
from ..components.monitoring import rendered_alarms
from ..components.patching import rendered_baselines, schedule_offset
from ..profile.model import Profile
from ..render.filters import tf_identifier
from .hclcheck import blocks, resource_bodies, unquote

FORBIDDEN_TYPES = {
    "aws_iam_access_key": "baselinegen never creates access keys",
    "aws_iam_user_login_profile": "baselinegen never creates passwords",
    "aws_iam_user_policy": "policies are attached to users only through aws_iam_user_policy_attachment for programmatic users",
}


def _password_policy_problems(parsed, profile: Profile) -> list[str]:
    bodies = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_account_password_policy")
    if list(bodies) != ["this"]:
        return ["modules/iam: expected exactly one aws_iam_account_password_policy.this"]
    body = bodies["this"]
    pp = profile.iam.password_policy
    expected = {
        "minimum_password_length": pp.minimum_length,
        "require_uppercase_characters": pp.require_uppercase,
        "require_lowercase_characters": pp.require_lowercase,
        "require_numbers": pp.require_numbers,
        "require_symbols": pp.require_symbols,
        "allow_users_to_change_password": pp.allow_users_to_change,
        "password_reuse_prevention": pp.reuse_prevention,
        "max_password_age": pp.max_age,
    }
    problems = []
    for key, want in expected.items():
        got = body.get(key)
        if got != want:
            problems.append(f"modules/iam: password policy {key} is {got!r}, the profile says {want!r}")
    return problems


def _group_problems(parsed, profile: Profile) -> list[str]:
    problems = []
    groups = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_group")
    attachments = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_group_policy_attachment")
    memberships = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_group_membership")
    want_names = {tf_identifier(g.name): g for g in profile.iam.groups}
    if set(groups) != set(want_names):
        problems.append(f"modules/iam: groups {sorted(groups)} differ from the profile's {sorted(want_names)}")
    for gid, group in want_names.items():
        body = groups.get(gid, {})
        if unquote(body.get("name")) != group.name:
            problems.append(f"modules/iam: group {gid} has name {body.get('name')!r}, the profile says {group.name!r}")
        keys = {unquote(k) for k in attachments.get(gid, {}).get("for_each", {})}
        mfa_key = mfa_policy(profile).name
        if profile.iam.require_mfa and mfa_key not in keys:
            problems.append(f"modules/iam: group {group.name} lacks the MFA policy")
        has_admin = "AdministratorAccess" in keys
        if has_admin != (group.duty == "administrator"):
            problems.append(f"modules/iam: group {group.name} ({group.duty}) {'has' if has_admin else 'lacks'} AdministratorAccess")
        members = sorted(u.name for u in profile.iam.users if group.name in u.groups)
        rendered = memberships.get(gid, {}).get("users", [])
        if len(rendered) != len(members):
            problems.append(f"modules/iam: group {group.name} has {len(rendered)} members, the profile says {len(members)}")
    return problems


def _user_problems(parsed, profile: Profile) -> list[str]:
    problems = []
    direct = resource_bodies(parsed, "modules/iam", "resource", "aws_iam_user_policy_attachment")
    for user in profile.iam.users:
        uid = tf_identifier(user.name)
        if uid in direct and not user.programmatic:
            problems.append(f"modules/iam: person {user.name} has a directly attached policy")
    for path, doc in parsed.items():
        for type_, name, _ in blocks(doc, "resource"):
            if type_ in FORBIDDEN_TYPES:
                problems.append(f"{path}: {type_}.{name}: {FORBIDDEN_TYPES[type_]}")
    return problems


def _prevents_destroy(body: dict) -> bool:
    return any(block.get("prevent_destroy") is True for block in body.get("lifecycle", []))


def _statements(parsed, directory: str, document: str) -> list[dict]:
    return resource_bodies(parsed, directory, "data", "aws_iam_policy_document").get(document, {}).get("statement", [])


def _wildcard_allows(statements: list[dict]) -> list[str]:
    """Sids of Allow statements whose principal is anyone ("*")."""
    found = []
    for st in statements:
        if unquote(st.get("effect")) != "Allow":
            continue
        for principal in st.get("principals", []):
            if unquote(principal.get("type")) == "*" or "*" in [unquote(i) for i in principal.get("identifiers", [])]:
                found.append(unquote(st.get("sid")))
    return found


def _kms_problems(parsed, profile: Profile) -> list[str]:
    problems = []
    keys = resource_bodies(parsed, "modules/kms", "resource", "aws_kms_key")
    aliases = resource_bodies(parsed, "modules/kms", "resource", "aws_kms_alias")
    if set(keys) != {tf_identifier(k.name) for k in profile.kms.keys}:
        problems.append(f"modules/kms: keys {sorted(keys)} differ from the profile's")
    for key in profile.kms.keys:
        kid = tf_identifier(key.name)
        body = keys.get(kid, {})
        if body.get("enable_key_rotation") is not key.rotation:
            problems.append(f"modules/kms: key {key.name} rotation is {body.get('enable_key_rotation')!r}, the profile says {key.rotation!r}")
        if body.get("deletion_window_in_days") != key.deletion_window_days:
            problems.append(f"modules/kms: key {key.name} deletion window differs from the profile")
        if not (_prevents_destroy(body) and _prevents_destroy(aliases.get(kid, {}))):
            problems.append(f"modules/kms: key {key.name} or its alias can be destroyed")
        for sid in _wildcard_allows(_statements(parsed, "modules/kms", f"key_{kid}")):
            problems.append(f"modules/kms: key {key.name} policy statement {sid} allows any principal")
    return problems


def _bucket_problems(parsed, directory: str) -> list[str]:
    problems = []
    blocks_of = {t: resource_bodies(parsed, directory, "resource", t) for t in (
        "aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_versioning", "aws_s3_bucket_policy")}
    flags = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    for name, bucket in blocks_of["aws_s3_bucket"].items():
        pab = blocks_of["aws_s3_bucket_public_access_block"].get(name, {})
        if any(pab.get(flag) is not True for flag in flags):
            problems.append(f"{directory}: bucket {name} lacks one of the four public access blocks")
        rules = blocks_of["aws_s3_bucket_ownership_controls"].get(name, {}).get("rule", [{}])
        if unquote(rules[0].get("object_ownership")) != "BucketOwnerEnforced":
            problems.append(f"{directory}: bucket {name} does not enforce object ownership")
        versioning = blocks_of["aws_s3_bucket_versioning"].get(name, {}).get("versioning_configuration", [{}])
        if unquote(versioning[0].get("status")) != "Enabled":
            problems.append(f"{directory}: bucket {name} is not versioned")
        if not _prevents_destroy(bucket):
            problems.append(f"{directory}: bucket {name} can be destroyed")
        sids = [unquote(st.get("sid")) for st in _statements(parsed, directory, f"{name}_bucket")]
        if name not in blocks_of["aws_s3_bucket_policy"] or "DenyInsecureTransport" not in sids:
            problems.append(f"{directory}: bucket {name} has no TLS-only policy")
        if "DenyLogFileDeletion" not in sids:
            problems.append(f"{directory}: bucket {name} lets log files be deleted")
    return problems


def _cloudtrail_problems(parsed, profile: Profile) -> list[str]:
    trail = profile.cloudtrail
    trails = resource_bodies(parsed, "modules/cloudtrail", "resource", "aws_cloudtrail")
    if not trail.enabled:
        return ["modules/cloudtrail: the profile turns the trail off"] if trails else []
    body = trails.get("this", {})
    expected = {"is_multi_region_trail": True, "include_global_service_events": True, "enable_logging": True,
                "enable_log_file_validation": trail.log_file_validation}
    problems = [f"modules/cloudtrail: trail {key} is {body.get(key)!r}, expected {want!r}" for key, want in expected.items() if body.get(key) is not want]
    for key in ("kms_key_id", "cloud_watch_logs_group_arn", "cloud_watch_logs_role_arn"):
        if not body.get(key):
            problems.append(f"modules/cloudtrail: trail has no {key}")
    return problems + _bucket_problems(parsed, "modules/cloudtrail")


def _monitoring_problems(parsed, profile: Profile) -> list[str]:
    problems = []
    topic = resource_bodies(parsed, "modules/monitoring", "resource", "aws_sns_topic").get("alarms", {})
    if not topic.get("kms_master_key_id"):
        problems.append("modules/monitoring: the alarm topic is not KMS-encrypted")
    for sid in _wildcard_allows(_statements(parsed, "modules/monitoring", "topic")):
        problems.append(f"modules/monitoring: topic policy statement {sid} allows any principal")
    rendered = {}
    for path, doc in parsed.items():
        if path == "modules/monitoring/alarms.tf":
            for entry in doc.get("locals", []):
                rendered = {unquote(k): unquote(v.get("pattern")) for k, v in entry.get("alarms", {}).items()}
    expected = {a.id: a.pattern for a in rendered_alarms(profile)}
    if list(rendered) != list(expected):
        problems.append(f"modules/monitoring: alarms {list(rendered)} differ from the profile's {list(expected)}")
    problems += [f"modules/monitoring: alarm {i} pattern is not the catalog's" for i in expected if i in rendered and rendered[i] != expected[i]]
    return problems


def _regional_problems(parsed, profile: Profile) -> list[str]:
    """Account guards and analyzers: on where the profile says, in every Region through for_each."""
    problems = []
    regional = []
    if profile.guards.ebs_default_encryption:
        body = resource_bodies(parsed, "modules/guards", "resource", "aws_ebs_encryption_by_default").get("this", {})
        if body.get("enabled") is not True:
            problems.append("modules/guards: EBS encryption by default is not on")
        regional.append(("modules/guards", "aws_ebs_encryption_by_default", body))
    if profile.guards.s3_block_public_access:
        body = resource_bodies(parsed, "modules/guards", "resource", "aws_s3_account_public_access_block").get("this", {})
        if any(body.get(flag) is not True for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")):
            problems.append("modules/guards: the S3 account public access block lacks one of its four settings")
    if profile.detection.access_analyzer:
        body = resource_bodies(parsed, "modules/detection", "resource", "aws_accessanalyzer_analyzer").get("this", {})
        regional.append(("modules/detection", "aws_accessanalyzer_analyzer", body))
    for directory, type_, body in regional:
        if body.get("for_each") != "${var.regions}" or body.get("region") != "${each.value}":
            problems.append(f"{directory}: {type_} does not run in every Region of the profile")
    root = next((doc for path, doc in parsed.items() if path == "main.tf"), {})
    listed = [unquote(r) for entry in root.get("locals", []) for r in entry.get("regions", [])]
    if (regional or profile.patching.enabled) and listed != list(profile.organization.regions):
        problems.append(f"main.tf: regions {listed} differ from the profile's {list(profile.organization.regions)}")
    return problems


def _patching_locals(parsed) -> dict:
    return next((entry for path, doc in parsed.items() if path == "modules/patching/main.tf" for entry in doc.get("locals", [])), {})


def _patching_problems(parsed, profile: Profile) -> list[str]:
    """Every Region gets every (group, OS) baseline with the profile's approval rule and every group's window;
    production's window opens production_delay_days after staging's, on the same schedule."""
    p, where = profile.patching, "modules/patching"
    if not p.enabled:
        return [f"{where}: the profile turns patching off"] if _patching_locals(parsed) else []
    found = _patching_locals(parsed)
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


def security_problems(parsed: dict[str, dict], profile: Profile) -> list[str]:
    return sorted(_password_policy_problems(parsed, profile) + _group_problems(parsed, profile) + _user_problems(parsed, profile)
                  + _kms_problems(parsed, profile) + _cloudtrail_problems(parsed, profile) + _monitoring_problems(parsed, profile)
                  + _regional_problems(parsed, profile) + _patching_problems(parsed, profile))
