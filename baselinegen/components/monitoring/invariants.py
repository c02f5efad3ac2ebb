"""Security invariants of monitoring: an encrypted alarm topic no one outside may use, and exactly the profile's
alarms with the catalog's patterns."""

from __future__ import annotations

from ...profile.model import Profile
from ...validate.bucket_invariants import policy_statements, wildcard_allows
from ...validate.hclcheck import module_locals, resource_bodies, unquote
from .render import rendered_alarms


def monitoring_problems(parsed, profile: Profile) -> list[str]:
    problems = []
    topic = resource_bodies(parsed, "modules/monitoring", "resource", "aws_sns_topic").get("alarms", {})
    if not topic.get("kms_master_key_id"):
        problems.append("modules/monitoring: the alarm topic is not KMS-encrypted")
    for sid in wildcard_allows(policy_statements(parsed, "modules/monitoring", "topic")):
        problems.append(f"modules/monitoring: topic policy statement {sid} allows any principal")
    alarms = module_locals(parsed, "modules/monitoring").get("alarms", {})
    rendered = {unquote(k): unquote(v.get("pattern")) for k, v in alarms.items()}
    expected = {a.id: a.pattern for a in rendered_alarms(profile)}
    if list(rendered) != list(expected):
        problems.append(f"modules/monitoring: alarms {list(rendered)} differ from the profile's {list(expected)}")
    problems += [f"modules/monitoring: alarm {i} pattern is not the catalog's" for i in expected if i in rendered and rendered[i] != expected[i]]
    return problems
