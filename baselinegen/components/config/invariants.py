"""Security invariants of AWS Config: recorder, delivery, bucket and managed rules as the profile says."""

from __future__ import annotations

from .rules import BY_NAME, PASSWORD_POLICY_RULE, parameter_string, password_policy_parameters
from ...profile.model import Profile
from .. import control_tower
from ...profile.regions import partition_of
from ...validate.bucket_invariants import bucket_problems
from ...validate.hclcheck import module_locals, resource_bodies, unquote


def _config_rule_problems(parsed, profile: Profile) -> list[str]:
    """Rendered rules == the profile's, every one from the catalog; the password rule checks exactly iam.password_policy."""
    partition = partition_of(profile.organization.home_region)
    rendered = {unquote(k): v for k, v in module_locals(parsed, "modules/config").get("rules", {}).items()}
    expected = {rule.name: rule for rule in profile.config.rules}
    if list(rendered) != list(expected):
        return [f"modules/config: rules {list(rendered)} differ from the profile's {list(expected)}"]
    problems = []
    for name, body in rendered.items():
        spec, rule = BY_NAME.get(name), expected[name]
        if spec is None or unquote(body.get("source_identifier")) != spec.source_identifier or body.get("home_region_only") is not spec.home_region_only:
            problems.append(f"modules/config: rule {name} is not the catalog's (identifier or Region scope)")
        want = {k: v.replace("<partition>", partition) for k, v in rule.parameters}
        if name == PASSWORD_POLICY_RULE:
            want = {k: parameter_string(spec.parameter(k), v) for k, v in password_policy_parameters(profile.iam.password_policy).items()}
        got = {k: unquote(v) for k, v in body.get("parameters", {}).items()}
        if got != want:
            problems.append(f"modules/config: rule {name} parameters {got} differ from the profile's {want}")
    return problems


def config_problems(parsed, profile: Profile) -> list[str]:
    config = profile.config
    recorders = resource_bodies(parsed, "modules/config", "resource", "aws_config_configuration_recorder")
    if not config.enabled:
        return ["modules/config: the profile turns AWS Config off"] if recorders else []
    problems = []
    group = recorders.get("this", {}).get("recording_group", [{}])[0]
    home = profile.organization.home_region
    want_global = {"home": f'${{each.value == "{home}"}}', "all": True, "none": False}[config.global_resources]
    if group.get("all_supported") is not True:
        problems.append("modules/config: the recorder does not record every supported resource type")
    if group.get("include_global_resource_types") != want_global:
        problems.append(f"modules/config: global resource types are recorded where the profile does not say (config.global_resources: {config.global_resources})")
    status = resource_bodies(parsed, "modules/config", "resource", "aws_config_configuration_recorder_status").get("this", {})
    if status.get("is_enabled") is not True:
        problems.append("modules/config: recording is not on")
    channel = resource_bodies(parsed, "modules/config", "resource", "aws_config_delivery_channel").get("this", {})
    organization = bool(profile.organization.accounts)  # the bucket is the log-archive account's (modules/log_archive)
    bucket = unquote(channel.get("s3_bucket_name")) == profile.log_archive.config_bucket_name if organization \
        else channel.get("s3_bucket_name") == "${aws_s3_bucket.config.id}"
    if not bucket or not channel.get("s3_kms_key_arn"):
        problems.append("modules/config: the delivery channel does not deliver KMS-encrypted to the Config bucket")
    problems += sse_kms_problems(parsed, "modules/log_archive" if organization else "modules/config", "config")
    if config.rules:
        rule = resource_bodies(parsed, "modules/config", "resource", "aws_config_config_rule").get("this", {})
        scope = module_locals(parsed, "modules/config").get("rules_by_region", "")
        if rule.get("for_each") != "${local.rules_by_region}" or rule.get("region") != "${each.value.region}" \
                or "for region in var.regions" not in scope or f'if region == "{home}" || !rule.home_region_only' not in scope:
            problems.append("modules/config: managed rules do not run in every Region (global-resource rules in the home Region only)")
    return problems + _config_rule_problems(parsed, profile) + bucket_problems(parsed, "modules/config") + _control_tower_problems(parsed, profile)


CONTROL_TOWER_REGIONS = "${var.create_recorder ? var.regions : toset([])}"


def _control_tower_problems(parsed, profile: Profile) -> list[str]:
    """Control Tower mode: recorder, channel and status only where create_recorder is true, which exactly the roots
    of the accounts Control Tower does not enrol pass (the management account's among them); every other mode: no such
    switch."""
    tower = profile.organization.control_tower
    problems = []
    for type_ in ("aws_config_configuration_recorder", "aws_config_delivery_channel", "aws_config_configuration_recorder_status"):
        body = resource_bodies(parsed, "modules/config", "resource", type_).get("this", {})
        want = CONTROL_TOWER_REGIONS if tower else "${var.regions}"
        if (body.get("for_each"), body.get("region")) != (want, "${each.value}"):
            problems.append(f"modules/config: {type_} does not run {'where create_recorder is true' if tower else 'in every Region of the profile'}")
    for account in profile.organization.accounts if tower else ():
        calls = [c["config"] for c in parsed.get(f"accounts/{account.name}/main.tf", {}).get("module", []) if "config" in c]
        want = not control_tower.enrolled(account)
        if calls and calls[0].get("create_recorder") is not want:
            problems.append(f"accounts/{account.name}/main.tf: create_recorder is not {str(want).lower()} (Control Tower "
                            f"{'does not record' if want else 'records'} this account)")
    return problems


def sse_kms_problems(parsed, directory: str, bucket: str) -> list[str]:
    sse = resource_bodies(parsed, directory, "resource", "aws_s3_bucket_server_side_encryption_configuration").get(bucket, {})
    default = sse.get("rule", [{}])[0].get("apply_server_side_encryption_by_default", [{}])[0]
    if unquote(default.get("sse_algorithm")) != "aws:kms" or not default.get("kms_master_key_id"):
        return [f"{directory}: bucket {bucket} is not SSE-KMS encrypted"]
    return []
