"""KMS component: customer managed keys with aliases, rotation and a key policy per key."""

from __future__ import annotations

from ...profile.model import Kms, KmsKey, Profile
from ...profile.regions import partition_of
from ...render.filters import hcl_string, tf_identifier
from . import schema as kms_schema
from ..base import AcceptedFinding, Component, ComponentOutput, Control, KeyUsage, ModuleCall, Move, chained_moves, renamed, render_module
from ..regional import REGIONS_INPUT
from .grants import SERVICE_GRANTS, key_policy
from .invariants import kms_problems

MODULE = "kms"
SKIP_NO_ROTATION = ("CKV_AWS_7", "the profile turns automatic rotation off for this key (encryption.keys[].rotation: false)")

OUTPUTS = (
    ("kms_key_arns", "ARN of every baseline KMS key, by the key's profile name."),
    ("kms_alias_names", "Alias of every baseline KMS key, by the key's profile name."),
    ("kms_key_arns_by_region", "ARN of every baseline KMS key in each Region where it exists (multi-Region keys: the primary and its replicas), by the key's profile name."),
)


def key_arn_expression(name: str) -> str:
    """How the root configuration refers to a profile key's ARN."""
    return f'module.{MODULE}.key_arns["{name}"]'


def regional_key_arns_expression(name: str) -> str:
    """How the root configuration refers to a profile key's ARN in every Region where it exists."""
    return f'module.{MODULE}.key_arns_by_region["{name}"]'


def alias_name(profile: Profile, key_name: str) -> str:
    return f"alias/{profile.organization.name}-{key_name}"


def _key_addresses(name: str, former: tuple[str, ...], multi_region: bool, replica_regions: list[str]) -> dict:
    """Role -> address of every resource a key's name is part of, when it was called ``name`` after ``former``.
    A renamed key keeps its former aliases: they move to ``former_alias`` (and ``former_alias_replica``)."""
    kid = tf_identifier(name)
    roles = {("key",): f"aws_kms_key.{kid}", ("alias", name): f"aws_kms_alias.{kid}"}
    roles.update({("alias", old): f"aws_kms_alias.former_alias[{hcl_string(old)}]" for old in former})
    if multi_region:
        roles[("replica",)] = f"aws_kms_replica_key.{kid}"
        for region in replica_regions:
            roles[("replica_alias", name, region)] = f"aws_kms_alias.{kid}_replica[{hcl_string(region)}]"
            roles.update({("replica_alias", old, region): f"aws_kms_alias.former_alias_replica[{hcl_string(old + '/' + region)}]" for old in former})
    return roles


class KmsComponent(Component):
    id = "kms"
    title = "KMS keys"
    SCHEMA = kms_schema.SCHEMA
    key_users: tuple[Component, ...] = ()  # the components whose resources use profile keys (set by the registry)

    def check(self, data, doc):
        return kms_schema.check(data, doc)

    def usages(self, profile: Profile) -> list[KeyUsage]:
        """What the baseline encrypts with profile keys: the grants of the key policies."""
        return [usage for component in self.key_users for usage in component.key_usages(profile)]

    def build(self, data: dict) -> Kms:
        org = data["organization"]["name"]
        return Kms(keys=tuple(
            KmsKey(
                name=k["name"],
                description=k.get("description") or f"{org} baseline key {k['name']}: " + (
                    "; ".join(SERVICE_GRANTS[s].title for s in k["services"]) or "no service grants"),
                services=tuple(k["services"]),
                rotation=k["rotation"],
                rotation_period_days=k["rotation_period_days"],
                deletion_window_days=k["deletion_window_days"],
                multi_region=k["multi_region"],
                renamed_from=tuple(k["renamed_from"]),
            )
            for k in data["encryption"]["keys"]
        ))

    def moves(self, profile: Profile) -> list[Move]:
        regions = [r for r in profile.organization.regions if r != profile.organization.home_region]
        moves = []
        for key in profile.kms.keys:
            if key.renamed_from:
                names = key.renamed_from + (key.name,)
                generations = [_key_addresses(name, names[:i], key.multi_region, regions) for i, name in enumerate(names)]
                moves += chained_moves(generations, renamed("encryption.keys", key.name, key.renamed_from))
        return moves

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return kms_problems(parsed, profile)

    def render(self, profile: Profile) -> ComponentOutput:
        usages = self.usages(profile)
        address = f"module.{MODULE}"
        keys, findings = [], []
        for key in profile.kms.keys:
            kid = tf_identifier(key.name)
            policy = key_policy(profile, key, usages)
            skips = [] if key.rotation else [SKIP_NO_ROTATION]
            findings += [AcceptedFinding(c, f"{address}.aws_kms_key.{kid}", r) for c, r in skips]
            findings += [AcceptedFinding(c, f"{address}.data.aws_iam_policy_document.key_{kid}", r) for c, r in policy.checkov_skips]
            used_by = sorted({u.resource_arn for u in usages if u.key == key.name})
            keys.append({"id": kid, "key": key, "alias": alias_name(profile, key.name),
                         "policy": policy, "skips": skips, "used_by": used_by})
        multi_region = any(k.multi_region for k in profile.kms.keys)
        former = [(key, (old, alias_name(profile, old), tf_identifier(key.name))) for key in profile.kms.keys for old in key.renamed_from]
        context = {"source": profile.source, "partition": partition_of(profile.organization.home_region), "keys": keys,
                   "grants": SERVICE_GRANTS, "home_region": profile.organization.home_region, "multi_region": multi_region,
                   "former_aliases": [alias for _, alias in former],  # (former name, its alias, Terraform name of the key)
                   "former_replica_aliases": [alias for key, alias in former if key.multi_region]}
        out = ComponentOutput(module=ModuleCall(name=MODULE, source=f"./modules/{MODULE}", outputs=OUTPUTS,
                                                inputs=(REGIONS_INPUT,) if multi_region else ()),
                              accepted_findings=sorted(findings, key=lambda f: (f.address, f.check_id)))
        out.files += render_module(MODULE, ("main.tf", "policies.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"), context)
        rotated = [k.name for k in profile.kms.keys if k.rotation]
        out.controls = [Control(
            "KMS key rotation",
            f"automatic rotation on for {', '.join(f'`{n}`' for n in rotated) or 'no key'}; keys and aliases cannot be destroyed by Terraform (prevent_destroy)",
            (("cis-1.2", "2.8"), ("cis-1.4", "3.8"), ("cis-3.0", "3.6")),
        )] if profile.kms.keys else []
        return out


COMPONENT = KmsComponent()
