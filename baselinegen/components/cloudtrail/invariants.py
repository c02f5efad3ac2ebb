"""Security invariants of the trail: multi-Region, global events, logging on, validation as the profile says, KMS and
CloudWatch Logs delivery, and a hardened bucket."""

from __future__ import annotations

from ...profile.model import Profile
from .. import control_tower
from ...validate.bucket_invariants import bucket_problems
from ...validate.hclcheck import resource_bodies


def cloudtrail_problems(parsed, profile: Profile) -> list[str]:
    trail = profile.cloudtrail
    trails = resource_bodies(parsed, "modules/cloudtrail", "resource", "aws_cloudtrail")
    if control_tower.on(profile):
        return ["modules/cloudtrail: in Control Tower mode Control Tower's organisation trail records every account"] if trails else []
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
