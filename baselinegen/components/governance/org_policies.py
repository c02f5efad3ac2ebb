"""``governance.policies``: organisation policies of any type (service control, resource control, declarative EC2,
tag, backup, AI opt-out), each from a preset shipped with baselinegen (baselinegen/policy_presets) or a JSON file next
to the profile, attached to targets (``root``, unit paths, account names: profile/units.py). Checks:
org_policy_checks.py; rendering: templates/governance/organization_policies.tf.j2."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from .. import control_tower
from ...policy.document import PolicyDocument, to_json_policy
from ...policy_presets import PRESETS, fixed_body
from ...policy_presets.quotas import POLICY_TYPES, QUOTAS
from ...policy_presets.tags import baseline_tags_body
from ...profile.accounts_schema import DEFAULT_DEPLOYMENT_ROLE
from ...profile.regions import partition_of
from .model import Governance
from .policies import guardrail_statements, region_restriction_statement

POLICY_NAME_RE = r"^[a-z][a-z0-9-]{0,62}[a-z0-9](?!\n)$"
DESCRIPTION_RE = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]{1,256}(?!\n)$"
BODY_KEY = "__body__"  # where the checks leave a policy file's parsed document for build (the profile's folder is theirs)

SCP_PRESET_SWITCHES = {"deny-leaving-organization": "deny_leaving_organization", "protect-security-services": "protect_security_services",
                       "deny-root-user": "deny_root_user"}

POLICY_RULES = {
    "type": "list",
    "default": [],
    "meta": {"description": "Organisation policies, each attached where it belongs (README: Organisation policies). AWS's "
                            "quotas (size, policies per target) are checked offline."},
    "schema": {"type": "dict", "schema": {
        "name": {"type": "string", "required": True, "regex": POLICY_NAME_RE,
                 "meta": {"description": "The policy is <organization.name>-<name> in AWS Organizations; unique (E307).",
                          "allowed": "2-64 lowercase letters, digits and hyphens, starting with a letter"}},
        "type": {"type": "string", "required": True, "allowed": list(POLICY_TYPES),
                 "meta": {"description": "scp (service control: what the accounts' principals may do), rcp (resource control: "
                                         "who may use the accounts' resources), declarative-ec2 (EC2 account settings), tag, "
                                         "backup, ai-opt-out. The management root enables each type used."}},
        "preset": {"type": "string",
                   "meta": {"description": "A preset shipped with baselinegen (docs/profile.md: Policy presets); of the policy's "
                                           "type (E309). Exactly one of preset and file (E308)."}},
        "file": {"type": "string",
                 "meta": {"description": "A JSON policy document, relative to the profile's folder and inside it, at most "
                                         "64 KiB (E310); checked against the type's grammar (E311) and size (E312)."}},
        "regions": {"type": "list", "minlength": 1, "schema": {"type": "string"},
                    "meta": {"description": "Preset restrict-regions only (E315): the Regions left open; Regions of "
                                            "organization.regions.", "default": "`organization.regions`"}},
        "attach": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string"},
                   "meta": {"description": "Where it applies: root, unit paths, account names (E313); at most AWS's number of "
                                           "policies of the type per target (E314)."}},
        "description": {"type": "string", "regex": DESCRIPTION_RE,
                        "meta": {"description": "What the policy is for.", "default": "the preset's summary, or the file's name",
                                 "allowed": "1-256 characters on one line"}},
    }},
}


@dataclass(frozen=True)
class OrgPolicy:
    name: str  # the profile's name: <org>-<name> in AWS, <name with _> in Terraform
    type: str  # quotas.POLICY_TYPES
    attach: tuple[str, ...]  # targets, in profile order
    body: dict  # the JSON document sent
    description: str
    preset: str | None = None
    file: str | None = None
    regions: tuple[str, ...] = ()  # restrict-regions: the Regions left open

    @property
    def tf_name(self) -> str:
        return self.name.replace("-", "_")

    @property
    def aws_type(self) -> str:
        return QUOTAS[self.type].aws_type


def profile_view(data: dict, regions=None):
    """What the service control policy builders read of a Profile, from validated data."""
    org = data["organization"]
    return SimpleNamespace(organization=SimpleNamespace(name=org["name"], deployment_role=org.get("deployment_role", DEFAULT_DEPLOYMENT_ROLE),
                                                        regions=tuple(sorted(regions or org["regions"])),
                                                        control_tower=control_tower.on_in(data)),  # exempts its execution role
                           ci=SimpleNamespace(github=(data.get("ci") or {}).get("github")))


def scp_preset_body(data: dict, preset: str, regions=None) -> dict:
    view = profile_view(data, regions)
    if preset == "restrict-regions":
        statements = (region_restriction_statement(view),)
    else:
        switches = {key: key == SCP_PRESET_SWITCHES[preset] for key in SCP_PRESET_SWITCHES.values()}
        statements = guardrail_statements(SimpleNamespace(**vars(view), governance=Governance(**switches)))
    document = PolicyDocument(name=preset, description=preset, statements=statements)
    return to_json_policy(document, partition=partition_of(data["organization"]["home_region"]), account_id="000000000000")


def preset_body(data: dict, preset: str, regions=None) -> dict:
    found = PRESETS[preset]
    if found.type == "tag":
        return baseline_tags_body(data)
    if found.body is None:
        return scp_preset_body(data, preset, regions)
    return fixed_body(found, data["organization"].get("id") or "")


def build_policies(data: dict) -> tuple[OrgPolicy, ...]:
    out = []
    for item in (data.get("governance") or {}).get("policies") or ():
        preset = item.get("preset")
        body = preset_body(data, preset, item.get("regions")) if preset else item[BODY_KEY]
        description = item.get("description") or (f"baselinegen preset {preset}: {PRESETS[preset].does}"[:256] if preset
                                                   else f"baselinegen: {item['file']}"[:256])
        out.append(OrgPolicy(item["name"], item["type"], tuple(dict.fromkeys(item["attach"])), body, description, preset,
                             item.get("file"), tuple(sorted(item.get("regions") or ()))))
    return tuple(out)
