"""``imports.tf`` of a root configuration: ``import`` blocks that adopt existing resources instead of creating them
(Terraform >= 1.5). Two sources: what a module declares (``ComponentOutput.imports``, imported by each root that
calls the module: the organisation, by the management root) and the account's ``adopt`` entries (profile/adopt.py:
per root, the account's own ids and Regions).

An import block of a resource already in the state does nothing, so the file stays after the first apply."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..components.base import Import
from ..components.detection.organization import aggregator_name
from ..components.detection.schema import INSPECTOR_TYPES
from ..profile.adopt_parts import (ACCOUNT_ID, ADMINISTRATOR, ADMINISTRATOR_ID, CHANNEL, DETECTOR_ID, HOME_REGION, NAME,
                                   PARTITION, PARTS, RESOURCE_TYPES, Part)
from ..profile.regions import partition_of
from ..render.env import RenderedFile, render_file
from ..render.filters import hcl_escape

FILE = "imports.tf"
CALLER = "data.aws_caller_identity.adopt.account_id"
DETECTOR = 'data.aws_guardduty_detector.adopt["{region}"].id'
_TOKEN = re.compile("(" + "|".join(re.escape(t) for t in (ACCOUNT_ID, DETECTOR_ID, NAME, RESOURCE_TYPES, PARTITION, HOME_REGION, CHANNEL,
                                                       ADMINISTRATOR_ID)) + ")")
_DETECTOR_IMPORT = re.compile(r'\.aws_guardduty_detector\.this\["([^"]+)"\]$')


def root_imports(modules: tuple[dict, ...]) -> tuple[Import, ...]:
    """The import blocks of a root that calls ``modules`` (module entries of organization.layout), addressed from
    the root, in module order."""
    return tuple(Import(f"module.{m['name']}.{i.to}", i.id, i.why) for m in modules for i in m.get("imports", ()))


@dataclass(frozen=True)
class Adopted:
    part: Part
    regions: tuple[str, ...]  # sorted; () for a global part
    name: str | None = None  # the entry's name (access-analyzer, cloudtrail, config, delegated-administrator)
    channel: str | None = None  # the entry's delivery_channel (config)


def adopted(items, regions: tuple[str, ...]) -> tuple[Adopted, ...]:
    """``entries`` as Adopted parts, in profile order."""
    out = []
    for name, wanted, *given in items:
        part = PARTS[name]
        out.append(Adopted(part, tuple(sorted(wanted or regions)) if part.regional else (), *(tuple(given) + (None, None))[:2]))
    return tuple(out)


@dataclass(frozen=True)
class Where:
    """What the ids of one root need: the account (None: the caller's, read at plan time), its role in the
    organisation (None: a single account) and the profile's values the ids are made of."""

    account_id: str | None
    role: str | None
    administrator: str = "security"
    org_name: str = ""
    home_region: str = "us-east-1"
    trail_name: str = ""
    inspector_types: tuple[str, ...] = ()  # Inspector's API names (EC2, ECR, ...)
    administrator_id: str = ""  # the security account's id, else the management account's (organisation only)
    aggregator_name: str = ""  # the organisation's Config aggregator (components/detection/organization.py)
    hub_counted: bool = False  # Security Hub's finding aggregator is counted (local configuration, a single account): [0]

    def module(self, part: Part) -> str | None:
        """The module that renders ``part`` in this root; None: it has none (enrolled by the administrator)."""
        if self.role is None:
            return part.module[0] or None
        if part.placement == ADMINISTRATOR and self.role != self.administrator:
            return part.members_module or None
        if part.itself[0] and self.administrator == "management":
            return part.itself[0]
        return part.module[1]

    def resources(self, part: Part) -> tuple[tuple[str, str], ...]:
        """(address inside the module, import id template) of ``part``'s resources in this root."""
        return part.itself[1] if part.itself[0] and self.role is not None and self.administrator == "management" else part.resources

    def default_name(self, part: Part, module: str, region: str) -> str:
        """The name the baseline gives ``part``'s resource (what an entry without ``name`` imports)."""
        if part.name == "cloudtrail":
            return self.trail_name
        if part.name == "config":
            return "default"
        if part.name == "config-aggregator":
            return self.aggregator_name
        return f"{self.org_name}-organization-{region}" if self.role is not None and module == "detection" else f"{self.org_name}-{region}"


def where(profile, account=None) -> Where:
    """The Where of ``account``'s root (None: the single-account root)."""
    org, hub = profile.organization, profile.detection.security_hub
    administrator = next((r for r in ("security", "management") if org.accounts_with_role(r)), "management") if account else ""
    return Where(account.id if account else None, account.role if account else None, administrator, org.name,
                 org.home_region, profile.cloudtrail.name,
                 tuple(sorted(INSPECTOR_TYPES[t] for t in profile.detection.inspector_resource_types)),
                 org.accounts_with_role(administrator)[0].id if account else "",
                 aggregator_name(profile) if account else "", hub.configuration != "central")


def _id(template: str, place: Where, region: str, name: str, channel: str = "default") -> tuple[str, bool]:
    """(the import id, whether it is an HCL expression) of one resource."""
    known = {NAME: name, RESOURCE_TYPES: ":".join(place.inspector_types), PARTITION: partition_of(place.home_region),
             HOME_REGION: place.home_region, ACCOUNT_ID: place.account_id, CHANNEL: channel,
             ADMINISTRATOR_ID: place.administrator_id}
    pieces = []  # (text, is expression)
    for token in _TOKEN.split(template + (f"@{region}" if region else "")):
        if token == DETECTOR_ID:
            pieces.append((DETECTOR.format(region=region), True))
        elif token == ACCOUNT_ID and not place.account_id:
            pieces.append((CALLER, True))
        elif token:
            pieces.append((known.get(token, token), False))
    if not any(expression for _, expression in pieces):
        return "".join(text for text, _ in pieces), False
    if len(pieces) == 1:
        return pieces[0][0], True
    return '"' + "".join(f"${{{text}}}" if expression else hcl_escape(text) for text, expression in pieces) + '"', True


def adopt_imports(items, regions: tuple[str, ...], place: Where) -> tuple[Import, ...]:
    """The import blocks of one root's ``adopt`` entries, addressed from the root."""
    out = []
    for item in adopted(items, regions):
        part, module = item.part, place.module(item.part)
        if module is None:
            continue
        for region in item.regions or ("",):
            principal = f" {item.name}" if part.name == "delegated-administrator" else ""
            why = (f"adopt: {part.name}{principal}" + (f" in {region}" if region else "")
                   + f": the existing {part.what} is imported, not created")
            # a finding aggregator's entry may give its whole ARN: the import id is made of its end
            name = (item.name or place.default_name(part, module, region)).rsplit("/", 1)[-1]
            for address, template in place.resources(part):
                base = f"module.{module}.{address.replace(NAME, name)}"
                base += "[0]" if part.name == "security-hub-aggregator" and place.hub_counted else ""
                id_, expression = _id(template, place, region, name, item.channel or "default")
                out.append(Import(f'{base}["{region}"]' if region else base, id_, why, expression))
    return tuple(out)


def detector_regions(imports: tuple[Import, ...]) -> tuple[str, ...]:
    """The Regions whose GuardDuty detector an import reads at plan time (data.aws_guardduty_detector.adopt)."""
    return tuple(sorted({m[1] for i in imports for m in [_DETECTOR_IMPORT.search(i.to)] if m}))


def imports_file(folder: str, imports: tuple[Import, ...], common: dict) -> RenderedFile:
    """``<folder>/imports.tf`` (``folder`` "" for the single-account root)."""
    return render_file("root/imports.tf.j2", f"{folder}/{FILE}" if folder else FILE, imports=imports,
                       caller=any(CALLER in i.id for i in imports if i.expression), detectors=detector_regions(imports), **common)
