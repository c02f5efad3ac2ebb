"""Detection: IAM Access Analyzer in every Region (GuardDuty, Security Hub, Inspector follow)."""

from __future__ import annotations

from ..profile.loader import problem_at
from ..profile.model import Detection, Profile
from .base import Component, ComponentOutput, Control, ModuleCall, render_module
from .regional import REGIONS_INPUT

MODULE = "detection"

SCHEMA = {
    "detection": {
        "type": "dict",
        "default": {},
        "meta": {"description": "Detective services in every Region of organization.regions."},
        "schema": {
            "access_analyzer": {
                "type": "dict",
                "default": {},
                "schema": {
                    "enabled": {"type": "boolean", "default": True,
                                "meta": {"description": "An account analyzer in every Region: reports resources shared outside the account (CIS 1.20)."}},
                },
            },
        },
    },
}


class DetectionComponent(Component):
    id = "detection"
    title = "Detection: IAM Access Analyzer"
    SCHEMA = SCHEMA

    def check(self, data, doc):
        if not data["detection"]["access_analyzer"]["enabled"]:
            return [problem_at(doc, ("detection", "access_analyzer", "enabled"), "no IAM Access Analyzer: external access to resources goes unreported (CIS 1.20)", "W410", "warning")]
        return []

    def build(self, data: dict) -> Detection:
        return Detection(access_analyzer=data["detection"]["access_analyzer"]["enabled"])

    def render(self, profile: Profile) -> ComponentOutput:
        if not profile.detection.access_analyzer:
            return ComponentOutput()
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", (), (REGIONS_INPUT,)))
        out.files += render_module(MODULE, ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"),
                                   {"source": profile.source, "org_name": profile.organization.name})
        out.controls.append(Control("IAM Access Analyzer", "an account analyzer in every Region of the profile",
                                    (("cis-1.4", "1.20"), ("cis-3.0", "1.20"))))
        return out


COMPONENT = DetectionComponent()
