"""Security invariants of KMS: the profile's keys, rotation and deletion window as it says, undeletable by Terraform,
and no key policy statement that allows any principal."""

from __future__ import annotations

from ...profile.model import Profile
from ...render.filters import tf_identifier
from ...validate.bucket_invariants import policy_statements, prevents_destroy, wildcard_allows
from ...validate.hclcheck import resource_bodies


def kms_problems(parsed, profile: Profile) -> list[str]:
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
        for sid in wildcard_allows(policy_statements(parsed, "modules/kms", f"key_{kid}")):
            problems.append(f"modules/kms: key {key.name} policy statement {sid} allows any principal")
    return problems
