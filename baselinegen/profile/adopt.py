"""``adopt`` (single account) and ``accounts[].adopt`` (organisation): baseline parts that already exist in an
account. Each becomes ``import`` blocks in that account's root (``imports.tf``), one per resource and Region, so
the first plan shows them "to import" instead of "to add" and then the changes that bring them to the profile.
The table of parts is adopt_parts.PARTS; this module validates the entries (E279-E289, E396, W440-W442) and hands
them to the model as plain data.
"""

from __future__ import annotations

import difflib
import re

from ..errors import Problem
from ..components import trusted_access as access
from .adopt_parts import ADMINISTRATOR, AGGREGATORS, ALWAYS_IMPORTED, CONTROL_TOWER_RECORDER, ENROLLED, MANAGEMENT, PARTS, Part
from .adopt_names import adopted_name, adopted_trail_name, analyzer_names, config_names, entries  # noqa: F401 (the model's)
from .loader import LoadedDocument, dotted_path, problem_at

KNOWN = tuple(PARTS) + (ALWAYS_IMPORTED,)
_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_NAMED = sorted(name for name, part in PARTS.items() if part.named)
NAMED = ", ".join(_NAMED[:-1]) + " and " + _NAMED[-1]  # the parts an entry's ``name`` identifies
# AWS's rules for the names an entry may give: an analyzer name (CreateAnalyzer), a trail name (CreateTrail).
NAME_RULES = {
    "access-analyzer": (re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,254}"), "1 to 255 letters, digits, '_', '.' or '-', starting with a letter"),
    "cloudtrail": (re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{1,126})[A-Za-z0-9]"),
                   "3 to 128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit"),
    # PutConfigurationRecorder / PutDeliveryChannel: 1 to 256 characters; '@' would end the name in an import id
    "config": (re.compile(r'[^\s@"\\]{1,256}'), "1 to 256 characters without spaces, '@', quotes or backslashes"),
    "config-aggregator": (re.compile(r"[\w-]{1,256}"), "1 to 256 letters, digits, '_' or '-'"),  # PutConfigurationAggregator
    "security-hub-aggregator": (re.compile(r"(?:arn:aws[\w-]*:securityhub:[a-z0-9-]+:\d{12}:finding-aggregator/)?" + _UUID),
                                "the finding aggregator's id (a UUID such as 1a2b3c4d-0000-4000-8000-0123456789ab) or its "
                                "whole ARN, as `aws securityhub list-finding-aggregators` prints it"),
}
KEYS = ("part", "regions", "name", "delivery_channel")

ADOPT_DESCRIPTION = (
    "Baseline parts that already exist in {where}: Terraform imports them (imports.tf) instead of creating them, and the "
    "same apply brings their settings to the profile. Each item is a part name, or a mapping {{part: <name>, regions: "
    "[...], name: <existing name>, delivery_channel: <existing name>}}: `regions` adopts a regional part in some Regions "
    "only, `name` gives the existing resource's name where the part is identified by one (access-analyzer: the "
    "analyzer's name, per Region listed; "
    "cloudtrail: the trail's name, which the baseline's trail then keeps; config: the recorder's name, with "
    "`delivery_channel` the delivery channel's, both `default` unless given; delegated-administrator: the service "
    "principal the security account is registered for, e.g. config.amazonaws.com; config-aggregator: the organisation "
    "aggregator's name, which the baseline's then keeps; security-hub-aggregator, required: the finding aggregator's id "
    "or ARN, from `aws securityhub list-finding-aggregators`). guardduty-administrator, "
    "security-hub-administrator and inspector-administrator adopt the designation of the delegated administrator, "
    "Region by Region (management account). Parts: " + ", ".join(KNOWN) + ".")


def adopt_rules(where: str, example: list | None = None) -> dict:
    return {"type": "list", "meta": {
        "description": ADOPT_DESCRIPTION.format(where=where), **({"example": example} if example else {}),
        "default": "none: every part is created",
        "allowed": "known parts (E280) the baseline renders in that account (E281), each mapping with its part (E282), "
                   "in the account's Regions (E283), each once (E284); `name` only for " + NAMED + " (E286), a "
                   "valid name (E287), security-hub-aggregator with its id (E397) in the home Region (E398), the trail's name agreeing with "
                   "logging.cloudtrail.name (E288); delegated-administrator with its principal (E289), one the "
                   "baseline registers (E396); `delivery_channel` only for config (E279); member accounts' guardduty "
                   "and inspector are enrolled, not imported (W440); organization is always imported (W441); Control "
                   "Tower's recorder: W442"}}


def _items(entries, doc: LoadedDocument, at: tuple, problems: list[Problem]) -> list[tuple]:
    """(path, part name, regions, name, delivery channel as written or None) of each readable item."""
    out = []
    for i, item in enumerate(entries if isinstance(entries, list) else []):
        path = at + (i,)
        if isinstance(item, dict):
            extra = sorted(set(item) - set(KEYS))
            if extra:
                problems.append(problem_at(doc, path + (extra[0],), "unknown key; allowed keys here: " + ", ".join(KEYS), "E110"))
            part, regions, name, channel = item.get("part"), item.get("regions"), item.get("name"), item.get("delivery_channel")
            if not isinstance(part, str):
                problems.append(problem_at(doc, path + ("part",), "required: the part's name, e.g. part: config", "E282"))
                continue
            if regions is not None and not (isinstance(regions, list) and regions and all(isinstance(r, str) for r in regions)):
                problems.append(problem_at(doc, path + ("regions",), "must be a list of Region names, e.g. [eu-west-1]", "E112"))
                continue
            if name is not None and not isinstance(name, str):
                problems.append(problem_at(doc, path + ("name",), "must be a string: the existing resource's name", "E112"))
                continue
            if channel is not None and not isinstance(channel, str):
                problems.append(problem_at(doc, path + ("delivery_channel",), "must be a string: the existing delivery channel's name", "E112"))
                continue
            out.append((path, part, regions, name, channel))
        elif isinstance(item, str):
            out.append((path, item, None, None, None))
        else:
            problems.append(problem_at(doc, path, "must be a part name or a mapping {part: <name>, regions: [...]}", "E112"))
    return out


def _absent(part: Part, data: dict, role: str | None, administrator: str) -> str | None:
    """Why the baseline renders no ``part`` in an account of ``role`` (None: single account), or None."""
    enc, det = data.get("encryption", {}), data.get("detection", {})
    off = {
        "ebs-encryption": (not enc.get("ebs_default_encryption", True), "encryption.ebs_default_encryption is off"),
        "s3-public-access-block": (not enc.get("s3_block_public_access", True), "encryption.s3_block_public_access is off"),
        "config": (not data.get("config", {}).get("enabled", True), "config.enabled is off"),
        "config-service-role": (not data.get("config", {}).get("enabled", True), "config.enabled is off"),
        "security-hub": (not det.get("security_hub", {}).get("enabled", True), "detection.security_hub.enabled is off"),
        "guardduty": (not det.get("guardduty", {}).get("enabled", True), "detection.guardduty.enabled is off"),
        "inspector": (not det.get("inspector", {}).get("resource_types", ["ec2", "ecr", "lambda"]),
                      "detection.inspector.resource_types is empty"),
        "ecr-scanning": (not det.get("ecr_scanning", {}).get("scan_on_push", True), "detection.ecr_scanning.scan_on_push is off"),
        "access-analyzer": (not det.get("access_analyzer", {}).get("enabled", True), "detection.access_analyzer.enabled is off"),
        "cloudtrail": (not data.get("logging", {}).get("cloudtrail", {}).get("enabled", True), "logging.cloudtrail.enabled is off"),
        "guardduty-administrator": (not det.get("guardduty", {}).get("enabled", True), "detection.guardduty.enabled is off"),
        "security-hub-administrator": (not det.get("security_hub", {}).get("enabled", True), "detection.security_hub.enabled is off"),
        "inspector-administrator": (not det.get("inspector", {}).get("resource_types", ["ec2", "ecr", "lambda"]),
                                    "detection.inspector.resource_types is empty"),
        "delegated-administrator": (part.name == "delegated-administrator" and not delegated_principals(data),  # asked only here
                                    "no service is delegated through AWS Organizations"),
        "config-aggregator": (not data.get("config", {}).get("enabled", True) or data["organization"].get("control_tower"),
                              "config.enabled is off" if not data.get("config", {}).get("enabled", True) else
                              "organization.control_tower is on: Control Tower's aggregator in its audit account aggregates "
                              "the organisation"),
        "security-hub-aggregator": (not det.get("security_hub", {}).get("enabled", True)
                                    or not det.get("security_hub", {}).get("aggregate_findings", True),
                                    "detection.security_hub.enabled or aggregate_findings is off"),
    }
    if off.get(part.name, (False,))[0]:
        return off[part.name][1]
    if role is None:
        return None if part.module[0] else ("a single account has no delegated administrator" if part.placement == MANAGEMENT
                                            else f"a single account has no {part.what}")
    if not part.module[0] and part.placement == MANAGEMENT and role != "management":
        return "the management account designates the delegated administrators"
    if not part.module[0] and administrator == "management" and not part.itself[0]:
        return "without a security account nothing is registered through AWS Organizations"
    if part.placement == MANAGEMENT and role != "management":
        return "in an organisation the trail is the organisation trail of the management account, which records this account too"
    if part.name in AGGREGATORS and role != administrator:
        return f"the organisation's {part.what} runs in the {administrator} account only"
    if part.placement == ADMINISTRATOR and role != administrator and not part.members_module and part.name not in ENROLLED:
        return (f"in an organisation it runs in the {administrator} account, the delegated administrator; "
                "enrolling member accounts is not adoptable yet")
    if part.name == "ecr-scanning" and role != administrator and "ecr" in det.get("inspector", {}).get("resource_types", ["ecr"]):
        return "Inspector's enhanced scanning covers this account's images: its registry gets no scanning configuration of its own"
    return None


def delegated_principals(data: dict) -> tuple[str, ...]:
    """The service principals the management root registers the security account for through AWS Organizations
    (aws_organizations_delegated_administrator), sorted, as components/governance/render.py ``delegations`` finds
    them from the components' trusted access; () without a security account."""
    if administrator_role(data) != "security":
        return ()
    iam = data.get("iam", {})
    center = (iam.get("identity_center") or {}).get("account")
    config = data.get("config", {}).get("enabled", True)
    on = ((access.CONFIG.principal, config), (access.CONFIG_MULTIACCOUNT.principal, config),
          (access.ACCESS_ANALYZER.principal, data.get("detection", {}).get("access_analyzer", {}).get("enabled", True)),
          ("sso.amazonaws.com", iam.get("identity_source") == "identity-center" and any(  # components/iam/center.py
              isinstance(a, dict) and a.get("role") == "security" and a.get("name") == center for a in data.get("accounts", ()))))
    return tuple(sorted(principal for principal, enabled in on if enabled))


def administrator_role(data: dict) -> str:
    """The role of the account that administers the detective services (components/detection/organization.py)."""
    return "security" if any(isinstance(a, dict) and a.get("role") == "security" for a in data.get("accounts", ())) else "management"


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    """E280-E289, W440-W441 over ``adopt`` and ``accounts[].adopt``."""
    problems: list[Problem] = []
    accounts = data.get("accounts")
    org_regions = data["organization"]["regions"]
    administrator = administrator_role(data)  # once: every entry asks
    if "adopt" in data and accounts:
        problems.append(problem_at(doc, ("adopt",), "with accounts, each account says what it adopts: accounts[].adopt", "E285"))
    if "adopt" in data and not accounts:
        _account(data, doc, ("adopt",), data["adopt"], None, org_regions, problems, administrator)
    for i, account in enumerate(accounts or ()):
        if isinstance(account, dict) and "adopt" in account:
            _account(data, doc, ("accounts", i, "adopt"), account["adopt"], account.get("role"),
                     account.get("regions") or org_regions, problems, administrator)
    return problems


def _known(name: str, path: tuple, entries, doc, role, problems) -> Part | None:
    """The part ``name`` names; None (with E280 or W441 / E281 for ``organization``) when it has no import of its own."""
    at = path + (("part",) if isinstance(entries[path[-1]], dict) else ())
    if name == ALWAYS_IMPORTED:
        if role == "management":
            problems.append(problem_at(doc, at, "nothing to add: the management root always imports the organisation "
                                       "(organization.id); this entry changes nothing", "W441", "warning"))
        else:
            problems.append(problem_at(doc, at, "nothing to adopt: the organisation is imported by the management account's "
                                       "root" if role else "nothing to adopt: a single account has no organisation", "E281"))
        return None
    part = PARTS.get(name)
    if part is None:
        close = difflib.get_close_matches(name, list(KNOWN), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(problem_at(doc, at, f"{name!r} is not a part that can be adopted{hint}; parts: {', '.join(KNOWN)}", "E280"))
    return part


def _name_problem(data: dict, doc, path: tuple, part: Part, name) -> Problem | None:
    """E286-E288 for an entry's ``name``."""
    if name is None:
        return None
    if not part.named:
        return problem_at(doc, path + ("name",), f"{part.name} takes no name: the baseline imports the account's {part.what} "
                          f"by its fixed id (only {NAMED} take a name)", "E286")
    if part.name == "delegated-administrator":
        principals = delegated_principals(data)
        if name not in principals:
            close = difflib.get_close_matches(name, list(principals), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return problem_at(doc, path + ("name",), f"{name!r} is not a service the baseline registers the security account "
                              f"for{hint}; it registers: {', '.join(principals)}", "E396")
        return None
    pattern, rule = NAME_RULES[part.name]
    if not pattern.fullmatch(name):
        return problem_at(doc, path + ("name",), f"{name!r} is not a valid name here: {rule}", "E287")
    home = data["organization"]["home_region"]
    if part.name == "security-hub-aggregator" and name.startswith("arn:") and name.split(":")[3] != home:
        return problem_at(doc, path + ("name",), f"that finding aggregator is in {name.split(':')[3]}, but the baseline's "
                          f"aggregates findings in the home Region {home}: move the aggregation to {home} in Security Hub "
                          "first (delete that aggregator, then render without this entry), or set organization.home_region", "E398")
    configured = data.get("logging", {}).get("cloudtrail", {}).get("name")
    if part.name == "cloudtrail" and configured and configured != name:
        return problem_at(doc, path + ("name",), f"the adopted trail is {name!r} but logging.cloudtrail.name is {configured!r}: "
                          "the baseline's trail keeps the adopted trail's name; drop logging.cloudtrail.name or make them equal", "E288")
    return None


def _hub_aggregator_problem(data: dict, doc, path: tuple, name, regions) -> Problem | None:
    """E397 (no id: only AWS knows it), E281 (a local configuration of one Region renders no aggregator)."""
    if name is None:
        return problem_at(doc, path, "security-hub-aggregator needs the existing aggregator's id, which only AWS knows: "
                          "{part: security-hub-aggregator, name: <id or ARN>}, from `aws securityhub list-finding-aggregators` "
                          "in the home Region", "E397")
    hub = data["detection"]["security_hub"]
    security = any(isinstance(a, dict) and a.get("role") == "security" for a in data.get("accounts") or ())
    # the configuration hub_schema.configuration decides (imported there would be a cycle): central links even one Region
    central = data.get("accounts") and hub.get("configuration", "central" if security else "local") == "central"
    if not central and not set(regions) - {data["organization"]["home_region"]}:
        return problem_at(doc, path, "nothing to adopt: the baseline renders no Security Hub finding aggregator here (one "
                          "Region, no central configuration: nothing to link to the home Region)", "E281")
    return None


def _config_problems(doc, path: tuple, part: Part, name, channel) -> list[Problem]:
    """E279 (``delivery_channel`` outside config), E287 (a channel name AWS refuses), W442 (Control Tower's recorder)."""
    if channel is not None and part.name != "config":
        return [problem_at(doc, path + ("delivery_channel",), f"{part.name} has no delivery channel: only config takes "
                           "delivery_channel (the existing channel's name)", "E279")]
    pattern, rule = NAME_RULES["config"]
    if channel is not None and not pattern.fullmatch(channel):
        return [problem_at(doc, path + ("delivery_channel",), f"{channel!r} is not a valid name here: {rule}", "E287")]
    if part.name == "config" and name == CONTROL_TOWER_RECORDER:
        return [problem_at(doc, path + ("name",), f"{name} is AWS Control Tower's recorder: Control Tower owns it and reverts "
                           "what the baseline changes (drift in every plan); leave it to Control Tower (config.enabled: false, "
                           "or organization.control_tower) instead of adopting it", "W442", "warning")]
    return []


def _account(data, doc, at, entries, role, regions, problems, administrator: str) -> None:
    seen: dict[tuple[str, str], tuple] = {}
    for path, name, wanted, given, channel in _items(entries, doc, at, problems):
        part = _known(name, path, entries, doc, role, problems)
        if part is None:
            continue
        why = _absent(part, data, role, administrator)
        if why:
            problems.append(problem_at(doc, path, f"nothing to adopt: the baseline renders no {part.what} here ({why})", "E281"))
            continue
        problem = _name_problem(data, doc, path, part, given)
        if problem is None and part.name == "delegated-administrator" and given is None:
            problem = problem_at(doc, path, "delegated-administrator needs its service principal: {part: delegated-administrator, "
                                 f"name: <principal>}}, one of {', '.join(delegated_principals(data))}", "E289")
        if problem is None and part.name == "security-hub-aggregator":
            problem = _hub_aggregator_problem(data, doc, path, given, regions)
        if problem:
            problems.append(problem)
            continue
        found = _config_problems(doc, path, part, given, channel)
        problems.extend(found)
        if any(p.code == "E279" or p.code == "E287" for p in found):
            continue
        if wanted is not None and not part.regional:
            problems.append(problem_at(doc, path + ("regions",), f"{part.what} is global: it has no Regions", "E283"))
            continue
        for j, region in enumerate(wanted or ()):
            if region not in regions:
                problems.append(problem_at(doc, path + ("regions", j), f"{region!r} is not a Region this account runs "
                                           f"({', '.join(sorted(regions))})", "E283"))
        for region in (wanted or (regions if part.regional else ("",))):
            key = (name if part.name != "delegated-administrator" else f"{name} {given}", region)
            if key in seen:
                where = f" in {region}" if region else ""
                first = dotted_path(seen[key])
                problems.append(problem_at(doc, path, f"{key[0]}{where} is adopted twice (first at {first}); list it once", "E284"))
                break
            seen[key] = path
        if role is not None and part.name in ENROLLED and role != administrator:
            problems.append(problem_at(doc, path, f"nothing to import here: the {administrator} account enrols this "
                                       f"account's existing {part.what} in the organisation's (its settings become the "
                                       "organisation's); the entry adds no import block", "W440", "warning"))
