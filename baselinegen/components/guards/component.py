"""Account guards: EBS encryption by default, the S3 account public access block, closed default security groups."""

from __future__ import annotations

from ...profile.loader import problem_at
from ...profile.model import Guards, Profile
from ..base import Component, ComponentOutput, Control, ModuleCall, render_module
from ..kms.component import regional_key_arns_expression
from ..kms.schema import key_reference_problems
from ..regional import REGIONS_INPUT

MODULE = "guards"

SCHEMA = {
    "encryption": {
        "type": "dict",
        "default": {},
        "schema": {
            "ebs_default_encryption": {"type": "boolean", "default": True,
                                       "meta": {"description": "Encrypt every new EBS volume and snapshot copy, in every Region of organization.regions (CIS 2.2.1); false: warning W409."}},
            "ebs_default_key": {"type": "string", "nullable": True, "default": None,
                                "meta": {"description": "Key of encryption.keys that encrypts new EBS volumes by default; with more than one Region it must be multi_region (E222); needs ebs_default_encryption (E223).",
                                         "default": "`null` (the AWS managed key aws/ebs)", "allowed": "a key of encryption.keys"}},
            "s3_block_public_access": {"type": "boolean", "default": True,
                                       "meta": {"description": "The account-wide S3 public access block, all four settings (CIS 2.1.5 in v1.4.0, 2.1.4 in v3.0.0); false: warning W409."}},
            "close_default_security_groups": {"type": "boolean", "default": False,
                                              "meta": {"description": "Remove every rule from the default security group of each default VPC, in every Region (CIS 5.3 in v1.4.0, 5.4 in v3.0.0; Security Hub EC2.2)."}},
        },
    },
}


class GuardsComponent(Component):
    id = "guards"
    title = "Account guards: EBS encryption by default, S3 account public access block, default security groups"
    SCHEMA = SCHEMA

    def check(self, data, doc):
        encryption = data["encryption"]
        problems = []
        if not encryption["ebs_default_encryption"]:
            problems.append(problem_at(doc, ("encryption", "ebs_default_encryption"), "new EBS volumes are not encrypted by default (CIS 2.2.1; Security Hub EC2.7)", "W409", "warning"))
        key = encryption["ebs_default_key"]
        if key is not None:
            problems += _ebs_key_problems(data, doc, key)
        if not encryption["s3_block_public_access"]:
            problems.append(problem_at(doc, ("encryption", "s3_block_public_access"), "buckets of this account can be made public (CIS 2.1.5 / 2.1.4; Security Hub S3.1)", "W409", "warning"))
        return problems

    def build(self, data: dict) -> Guards:
        encryption = data["encryption"]
        return Guards(ebs_default_encryption=encryption["ebs_default_encryption"], ebs_default_key=encryption["ebs_default_key"],
                      s3_block_public_access=encryption["s3_block_public_access"],
                      close_default_security_groups=encryption["close_default_security_groups"])

    def render(self, profile: Profile) -> ComponentOutput:
        guards = profile.guards
        if not (guards.ebs_default_encryption or guards.s3_block_public_access or guards.close_default_security_groups):
            return ComponentOutput()
        inputs = (REGIONS_INPUT,) if guards.ebs_default_encryption or guards.close_default_security_groups else ()
        if guards.ebs_default_encryption and guards.ebs_default_key:
            inputs += (("ebs_default_kms_key_arns", regional_key_arns_expression(guards.ebs_default_key)),)
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", (), inputs))
        out.files += render_module(MODULE, ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"),
                                   {"source": profile.source, "guards": guards})
        if guards.ebs_default_encryption:
            key = f"the profile key `{guards.ebs_default_key}`" if guards.ebs_default_key else "the AWS managed key aws/ebs"
            out.controls.append(Control("EBS encryption by default", f"on in every Region of the profile, with {key}",
                                        (("cis-1.4", "2.2.1"), ("cis-3.0", "2.2.1"))))
        if guards.s3_block_public_access:
            out.controls.append(Control("S3 Block Public Access (account)", "all four settings on for the whole account",
                                        (("cis-1.4", "2.1.5"), ("cis-3.0", "2.1.4"))))
        if guards.close_default_security_groups:
            out.controls.append(Control("Default security groups closed", "no rules in the default security group of each default VPC, in every Region",
                                        (("cis-1.2", "4.3"), ("cis-1.4", "5.3"), ("cis-3.0", "5.4"))))
        return out


def _ebs_key_problems(data: dict, doc, key: str) -> list:
    path = ("encryption", "ebs_default_key")
    problems = key_reference_problems(data, doc, path, key, None, "EBS encryption by default")
    if not data["encryption"]["ebs_default_encryption"]:
        problems.append(problem_at(doc, path, "ebs_default_key has no effect while encryption.ebs_default_encryption is false; remove it or turn default encryption on", "E223"))
    regions = data["organization"]["regions"]
    for i, k in enumerate(data["encryption"]["keys"]):
        if k["name"] == key and not k["multi_region"] and len(regions) > 1:
            problems.append(problem_at(doc, path, f"key {key!r} exists only in the home Region, but EBS needs a key in each of the {len(regions)} Regions of organization.regions; "
                                                  f"set encryption.keys[{i}].multi_region: true (on a new key: an existing key cannot become multi-Region)", "E222"))
    return problems


COMPONENT = GuardsComponent()
