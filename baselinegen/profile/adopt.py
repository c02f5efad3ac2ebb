"""``adopt`` (single account) and ``accounts[].adopt`` (organisation): baseline parts that already exist in an
account. Each becomes ``import`` blocks in that account's root (``imports.tf``), one per resource and Region, so
the first plan shows them "to import" instead of "to add" and then the changes that bring them to the profile.

PARTS is the one table of what can be adopted: the part's name, the module that renders it (single account /
organisation), the resource address inside that module, the import id, whether it is regional, and the page of
the aws provider 6.x documentation whose Import section gives the id. A regional resource placed with the
per-resource ``region`` argument is imported into its Region with the id suffix ``@<region>`` (provider 6.x guide
"Enhanced Region Support", https://hashicorp.github.io/terraform-provider-aws/enhanced-region-support).

Not yet adoptable (a later slice of issue 20): guardduty (the detector id is only known in AWS), access-analyzer
and cloudtrail (their names are part of the baseline's address and replacing them is not adopting them).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..errors import Problem
from .loader import LoadedDocument, dotted_path, problem_at

DOCS = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/"
ACCOUNT_ID = "<account id>"  # replaced by the account's id (organisation) or the caller's (single account)


@dataclass(frozen=True)
class Part:
    name: str
    what: str  # how the review and the comments name it
    module: tuple[str, str]  # (single-account module, organisation module)
    resources: tuple[tuple[str, str], ...]  # (address inside the module, import id before the Region suffix)
    regional: bool  # each resource is keyed by Region (["<region>"]) and imported with "@<region>"
    source: tuple[str, ...]  # the provider docs pages whose Import sections give the ids


PARTS = {p.name: p for p in (
    Part("password-policy", "IAM account password policy", ("iam", "job_roles"),
         (("aws_iam_account_password_policy.this", "iam-account-password-policy"),), False,
         (DOCS + "iam_account_password_policy#import",)),
    Part("ebs-encryption", "EBS encryption by default", ("guards", "guards"),
         (("aws_ebs_encryption_by_default.this", "default"),), True, (DOCS + "ebs_encryption_by_default#import",)),
    Part("s3-public-access-block", "S3 account Block Public Access", ("guards", "guards"),
         (("aws_s3_account_public_access_block.this", ACCOUNT_ID),), False, (DOCS + "s3_account_public_access_block#import",)),
    Part("security-hub", "Security Hub", ("detection", "detection"), (("aws_securityhub_account.this", ACCOUNT_ID),), True,
         (DOCS + "securityhub_account#import",)),
    # The recorder, its delivery channel (one per Region) and its recording status, each named "default" (the name
    # AWS Config's console gives them and the baseline's module renders).
    Part("config", "AWS Config recorder", ("config", "config"),
         (("aws_config_configuration_recorder.this", "default"), ("aws_config_delivery_channel.this", "default"),
          ("aws_config_configuration_recorder_status.this", "default")), True,
         tuple(DOCS + f"config_{name}#import" for name in ("configuration_recorder", "delivery_channel",
                                                           "configuration_recorder_status"))),
)}

# Baseline parts issue 20 names that a later release adopts (E280 says "not yet").
NOT_YET = ("guardduty", "access-analyzer", "cloudtrail", "inspector", "ecr-scanning", "organization")

ADOPT_DESCRIPTION = (
    "Baseline parts that already exist in {where}: Terraform imports them (imports.tf) instead of creating them, and the "
    "same apply brings their settings to the profile. Each item is a part name, or a mapping {{part: <name>, regions: "
    "[...]}} to adopt a regional part in some Regions only. Parts: " + ", ".join(PARTS) + ".")


def adopt_rules(where: str) -> dict:
    return {"type": "list", "meta": {
        "description": ADOPT_DESCRIPTION.format(where=where),
        "default": "none: every part is created",
        "allowed": "known parts (E280) the baseline renders in that account (E281), each mapping with its part (E282), "
                   "in the account's Regions (E283), each once (E284)"}}


def _items(entries, doc: LoadedDocument, at: tuple, problems: list[Problem]) -> list[tuple[tuple, str, object]]:
    """(path, part name, regions as written or None) of each readable item."""
    out = []
    for i, item in enumerate(entries if isinstance(entries, list) else []):
        path = at + (i,)
        if isinstance(item, dict):
            extra = sorted(set(item) - {"part", "regions"})
            if extra:
                problems.append(problem_at(doc, path + (extra[0],), "unknown key; allowed keys here: part, regions", "E110"))
            name, regions = item.get("part"), item.get("regions")
            if not isinstance(name, str):
                problems.append(problem_at(doc, path + ("part",), "required: the part's name, e.g. part: config", "E282"))
                continue
            if regions is not None and not (isinstance(regions, list) and regions and all(isinstance(r, str) for r in regions)):
                problems.append(problem_at(doc, path + ("regions",), "must be a list of Region names, e.g. [eu-west-1]", "E112"))
                continue
            out.append((path, name, regions))
        elif isinstance(item, str):
            out.append((path, item, None))
        else:
            problems.append(problem_at(doc, path, "must be a part name or a mapping {part: <name>, regions: [...]}", "E112"))
    return out


def _absent(part: Part, data: dict, role: str | None) -> str | None:
    """Why the baseline renders no ``part`` in an account of ``role`` (None: single account), or None."""
    enc, det = data.get("encryption", {}), data.get("detection", {})
    if part.name == "ebs-encryption" and not enc.get("ebs_default_encryption", True):
        return "encryption.ebs_default_encryption is off"
    if part.name == "s3-public-access-block" and not enc.get("s3_block_public_access", True):
        return "encryption.s3_block_public_access is off"
    if part.name == "config" and not data.get("config", {}).get("enabled", True):
        return "config.enabled is off"
    if part.name == "security-hub":
        if not det.get("security_hub", {}).get("enabled", True):
            return "detection.security_hub.enabled is off"
        if role is not None and role != _administrator_role(data):
            return (f"in an organisation it runs in the {_administrator_role(data)} account, the delegated administrator; "
                    "enrolling member accounts is not adoptable yet")
    return None


def _administrator_role(data: dict) -> str:
    return "security" if any(a.get("role") == "security" for a in data.get("accounts", ())) else "management"


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    """E280-E285 over ``adopt`` and ``accounts[].adopt``."""
    problems: list[Problem] = []
    accounts = data.get("accounts")
    org_regions = data["organization"]["regions"]
    if "adopt" in data and accounts:
        problems.append(problem_at(doc, ("adopt",), "with accounts, each account says what it adopts: accounts[].adopt", "E285"))
    if "adopt" in data and not accounts:
        _account(data, doc, ("adopt",), data["adopt"], None, org_regions, problems)
    for i, account in enumerate(accounts or ()):
        if isinstance(account, dict) and "adopt" in account:
            _account(data, doc, ("accounts", i, "adopt"), account["adopt"], account.get("role"),
                     account.get("regions") or org_regions, problems)
    return problems


def _account(data, doc, at, entries, role, regions, problems) -> None:
    seen: dict[tuple[str, str], tuple] = {}
    for path, name, wanted in _items(entries, doc, at, problems):
        part = PARTS.get(name)
        if part is None:
            close = difflib.get_close_matches(name, list(PARTS), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close and name not in NOT_YET else ""
            what = "cannot be adopted yet" if name in NOT_YET else "is not a part that can be adopted"
            problems.append(problem_at(doc, path + (("part",) if isinstance(entries[path[-1]], dict) else ()),
                                       f"{name!r} {what}{hint}; parts: {', '.join(PARTS)}", "E280"))
            continue
        why = _absent(part, data, role)
        if why:
            problems.append(problem_at(doc, path, f"nothing to adopt: the baseline renders no {part.what} here ({why})", "E281"))
            continue
        if wanted is not None and not part.regional:
            problems.append(problem_at(doc, path + ("regions",), f"{part.what} is global: it has no Regions", "E283"))
            continue
        for j, region in enumerate(wanted or ()):
            if region not in regions:
                problems.append(problem_at(doc, path + ("regions", j), f"{region!r} is not a Region this account runs "
                                           f"({', '.join(sorted(regions))})", "E283"))
        for region in (wanted or (regions if part.regional else ("",))):
            if (name, region) in seen:
                where = f" in {region}" if region else ""
                first = dotted_path(seen[(name, region)])
                problems.append(problem_at(doc, path, f"{name}{where} is adopted twice (first at {first}); list it once", "E284"))
                break
            seen[(name, region)] = path


def entries(raw) -> tuple[tuple[str, tuple[str, ...] | None], ...]:
    """Validated ``adopt`` items as (part, Regions or None): plain, hashable data for the model."""
    return tuple((item["part"], tuple(item["regions"]) if item.get("regions") else None) if isinstance(item, dict)
                 else (item, None) for item in raw or ())
