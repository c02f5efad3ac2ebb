"""Security invariants of the regional components together: account guards on as the profile says, every regional
resource in every Region of the profile through for_each, and each root's list of Regions the profile's."""

from __future__ import annotations

from ..profile.model import Profile
from .hclcheck import resource_bodies, unquote

GUARDS, DETECTION = "modules/guards", "modules/detection"
EVERY_REGION = ("${var.regions}", "${each.value}")
PUBLIC_ACCESS_FLAGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")


def module_body(parsed, directory: str, type_: str, name: str = "this", kind: str = "resource") -> dict:
    return resource_bodies(parsed, directory, kind, type_).get(name, {})


def not_in_every_region(checked: list[tuple[str, str, dict]]) -> list[str]:
    return [f"{directory}: {type_} does not run in every Region of the profile" for directory, type_, body in checked
            if (body.get("for_each"), body.get("region")) != EVERY_REGION]


def regional_problems(parsed, profile: Profile) -> list[str]:
    """Account guards and the analyzers; the root's list of Regions is the profile's."""
    problems, regional = [], []
    guards = profile.guards
    if guards.ebs_default_encryption:
        body = module_body(parsed, GUARDS, "aws_ebs_encryption_by_default")
        if body.get("enabled") is not True:
            problems.append("modules/guards: EBS encryption by default is not on")
        regional.append((GUARDS, "aws_ebs_encryption_by_default", body))
        key = module_body(parsed, GUARDS, "aws_ebs_default_kms_key")
        if bool(key) != bool(guards.ebs_default_key):
            problems.append(f"modules/guards: the default EBS key is {'a profile key' if key else 'aws/ebs'}, the profile says {guards.ebs_default_key or 'aws/ebs'}")
        if key:
            regional.append((GUARDS, "aws_ebs_default_kms_key", key))
    if guards.s3_block_public_access:
        body = module_body(parsed, GUARDS, "aws_s3_account_public_access_block")
        if any(body.get(flag) is not True for flag in PUBLIC_ACCESS_FLAGS):
            problems.append("modules/guards: the S3 account public access block lacks one of its four settings")
    if guards.close_default_security_groups:
        body = module_body(parsed, GUARDS, "aws_default_security_group")
        if {"ingress", "egress"} & set(body) or "data.aws_vpcs.default" not in str(body.get("for_each")):
            problems.append("modules/guards: a default security group keeps rules or is not closed in every default VPC")
    if profile.config.enabled and not profile.organization.control_tower:  # Control Tower mode: config/invariants.py
        regional += [("modules/config", type_, module_body(parsed, "modules/config", type_)) for type_ in (
            "aws_config_configuration_recorder", "aws_config_delivery_channel", "aws_config_configuration_recorder_status")]
    if profile.detection.access_analyzer:
        regional.append((DETECTION, "aws_accessanalyzer_analyzer", module_body(parsed, DETECTION, "aws_accessanalyzer_analyzer")))
    problems += not_in_every_region(regional)
    roots = ([(f"accounts/{a.name}/main.tf", a.regions) for a in profile.organization.accounts]
             or [("main.tf", profile.organization.regions)])
    for path, regions in roots:
        root = parsed.get(path, {})
        listed = [unquote(r) for entry in root.get("locals", []) for r in entry.get("regions", [])]
        if listed != list(regions) and (listed or _calls_regional_module(root)):
            problems.append(f"{path}: regions {listed} differ from the profile's {list(regions)}")
    return problems


def _calls_regional_module(root: dict) -> bool:
    return any("regions" in body for call in root.get("module", []) for body in call.values())
