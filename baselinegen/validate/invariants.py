"""Security invariants over the parsed output: the rendered values equal the profile's."""

from __future__ import annotations

from ..components.iam.policies import mfa_policy
from ..components.monitoring.component import rendered_alarms
from ..profile.model import Profile
from ..render.filters import tf_identifier
from .bucket_invariants import bucket_problems, policy_statements, prevents_destroy
from ..components.config.invariants import config_problems
from ..components.governance.invariants import governance_problems
from .hclcheck import blocks, module_locals, resource_bodies, unquote
from ..components.iam.organization_invariants import organization_iam_problems
from ..components.log_archive.invariants import log_archive_problems
from .migration_invariants import migration_problems
from ..components.patching.invariants import patching_problems
from ..components.detection.invariants import detection_problems, regional_problems

FORBIDDEN_TYPES = {
    "aws_iam_access_key": "baselinegen never creates access keys",
    "aws_iam_user_login_profile": "baselinegen never creates passwords",
    "aws_iam_user_policy": "policies are attached to users only through aws_iam_user_policy_attachment for programmatic users",
}


def _password_policy_problems(parsed, profile: Profile, directory: str = "modules/iam") -> list[str]:
    bodies = resource_bodies(parsed, directory, "resource", "aws_iam_account_password_policy")
    if list(bodies) != ["this"]:
        return [f"{directory}: expected exactly one aws_iam_account_password_policy.this"]
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
            problems.append(f"{directory}: password policy {key} is {got!r}, the profile says {want!r}")
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
        if not (prevents_destroy(body) and prevents_destroy(aliases.get(kid, {}))):
            problems.append(f"modules/kms: key {key.name} or its alias can be destroyed")
        for sid in _wildcard_allows(policy_statements(parsed, "modules/kms", f"key_{kid}")):
            problems.append(f"modules/kms: key {key.name} policy statement {sid} allows any principal")
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
    return problems + bucket_problems(parsed, "modules/cloudtrail")


def _monitoring_problems(parsed, profile: Profile) -> list[str]:
    problems = []
    topic = resource_bodies(parsed, "modules/monitoring", "resource", "aws_sns_topic").get("alarms", {})
    if not topic.get("kms_master_key_id"):
        problems.append("modules/monitoring: the alarm topic is not KMS-encrypted")
    for sid in _wildcard_allows(policy_statements(parsed, "modules/monitoring", "topic")):
        problems.append(f"modules/monitoring: topic policy statement {sid} allows any principal")
    alarms = module_locals(parsed, "modules/monitoring").get("alarms", {})
    rendered = {unquote(k): unquote(v.get("pattern")) for k, v in alarms.items()}
    expected = {a.id: a.pattern for a in rendered_alarms(profile)}
    if list(rendered) != list(expected):
        problems.append(f"modules/monitoring: alarms {list(rendered)} differ from the profile's {list(expected)}")
    problems += [f"modules/monitoring: alarm {i} pattern is not the catalog's" for i in expected if i in rendered and rendered[i] != expected[i]]
    return problems


def _iam_problems(parsed, profile: Profile) -> list[str]:
    if profile.organization.accounts:
        return organization_iam_problems(parsed, profile, _password_policy_problems) + _user_problems(parsed, profile)
    return _password_policy_problems(parsed, profile) + _group_problems(parsed, profile) + _user_problems(parsed, profile)


def security_problems(parsed: dict[str, dict], profile: Profile) -> list[str]:
    return sorted(_iam_problems(parsed, profile)
                  + _kms_problems(parsed, profile) + _cloudtrail_problems(parsed, profile) + log_archive_problems(parsed, profile) + _monitoring_problems(parsed, profile)
                  + regional_problems(parsed, profile) + config_problems(parsed, profile) + detection_problems(parsed, profile)
                  + patching_problems(parsed, profile) + governance_problems(parsed, profile) + migration_problems(parsed))
