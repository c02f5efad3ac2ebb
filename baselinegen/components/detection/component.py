"""Detection: GuardDuty, Security Hub, IAM Access Analyzer, Inspector and ECR scanning in every Region; in an
organisation, delegated to the security account."""

from __future__ import annotations

from ...profile.model import Detection, GuardDuty, Profile
from ..base import Component, ComponentOutput
from . import malware_s3, schema as ds
from .central import build_security_hub
from .organization import render_organization
from .render import render
from .invariants import detection_problems
from ..trusted_access import ACCESS_ANALYZER, GUARDDUTY, INSPECTOR, SECURITY_HUB


def _administrator_name(data: dict) -> str | None:
    """The account that administers the detective services (security, else management); None without accounts."""
    accounts = [a for a in data.get("accounts") or [] if isinstance(a, dict)]
    for role in ("security", "management"):
        found = next((a.get("name") for a in accounts if a.get("role") == role), None)
        if found:
            return found
    return None


class DetectionComponent(Component):
    id = "detection"
    title = "Detection: GuardDuty, Security Hub, IAM Access Analyzer, Inspector, ECR scanning"
    SCHEMA = ds.SCHEMA

    def check(self, data, doc):
        return ds.check(data, doc)

    def build(self, data: dict) -> Detection:
        d = data["detection"]
        g = d["guardduty"]
        return Detection(
            access_analyzer=d["access_analyzer"]["enabled"],
            guardduty=GuardDuty(enabled=g["enabled"], publishing_frequency=g["publishing_frequency"], features=tuple(g["features"]),
                                runtime_agents=tuple(g["runtime_agents"]), notify_severity=g["notify_severity"],
                                malware_s3=malware_s3.build(g, data, _administrator_name(data))),
            security_hub=build_security_hub(data),
            inspector_resource_types=tuple(d["inspector"]["resource_types"]),
            ecr_scan_on_push=d["ecr_scanning"]["scan_on_push"],
            inspector_notify_severity=d["inspector"]["notify_severity"], access_analyzer_notify=d["access_analyzer"]["notify"],
        )

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return detection_problems(parsed, profile)

    def trusted_access(self, profile: Profile):
        d = profile.detection
        on = ((GUARDDUTY, d.guardduty.enabled), (SECURITY_HUB, d.security_hub.enabled),
              (INSPECTOR, bool(d.inspector_resource_types)), (ACCESS_ANALYZER, d.access_analyzer))
        return tuple(access for access, enabled in on if enabled)

    def render(self, profile: Profile) -> ComponentOutput:
        return render(profile)

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        return render_organization(profile)


COMPONENT = DetectionComponent()
