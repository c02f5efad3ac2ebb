"""Account guards: EBS encryption by default in every Region and the S3 account public access block."""

from __future__ import annotations

from ..profile.loader import problem_at
from ..profile.model import Guards, Profile
from .base import Component, ComponentOutput, Control, ModuleCall, render_module
from .regional import REGIONS_INPUT

MODULE = "guards"

SCHEMA = {
    "encryption": {
        "type": "dict",
        "default": {},
        "schema": {
            "ebs_default_encryption": {"type": "boolean", "default": True,
                                       "meta": {"description": "Encrypt every new EBS volume and snapshot copy, in every Region of organization.regions (CIS 2.2.1)."}},
            "s3_block_public_access": {"type": "boolean", "default": True,
                                       "meta": {"description": "The account-wide S3 public access block, all four settings (CIS 2.1.5 in v1.4.0, 2.1.4 in v3.0.0)."}},
        },
    },
}


class GuardsComponent(Component):
    id = "guards"
    title = "Account guards: EBS encryption by default, S3 account public access block"
    SCHEMA = SCHEMA

    def check(self, data, doc):
        encryption = data["encryption"]
        problems = []
        if not encryption["ebs_default_encryption"]:
            problems.append(problem_at(doc, ("encryption", "ebs_default_encryption"), "new EBS volumes are not encrypted by default (CIS 2.2.1; Security Hub EC2.7)", "W409", "warning"))
        if not encryption["s3_block_public_access"]:
            problems.append(problem_at(doc, ("encryption", "s3_block_public_access"), "buckets of this account can be made public (CIS 2.1.5 / 2.1.4; Security Hub S3.1)", "W409", "warning"))
        return problems

    def build(self, data: dict) -> Guards:
        encryption = data["encryption"]
        return Guards(ebs_default_encryption=encryption["ebs_default_encryption"],
                      s3_block_public_access=encryption["s3_block_public_access"])

    def render(self, profile: Profile) -> ComponentOutput:
        guards = profile.guards
        if not (guards.ebs_default_encryption or guards.s3_block_public_access):
            return ComponentOutput()
        inputs = (REGIONS_INPUT,) if guards.ebs_default_encryption else ()
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", (), inputs))
        out.files += render_module(MODULE, ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"),
                                   {"source": profile.source, "guards": guards})
        if guards.ebs_default_encryption:
            out.controls.append(Control("EBS encryption by default", "on in every Region of the profile",
                                        (("cis-1.4", "2.2.1"), ("cis-3.0", "2.2.1"))))
        if guards.s3_block_public_access:
            out.controls.append(Control("S3 Block Public Access (account)", "all four settings on for the whole account",
                                        (("cis-1.4", "2.1.5"), ("cis-3.0", "2.1.4"))))
        return out


COMPONENT = GuardsComponent()
