"""Data sources with fully known, plausible values: the ones the templates read are modelled, every other one is
its configuration with each computed attribute filled (see planning.fill_block)."""

from __future__ import annotations

import json
import re

from tfprovider.planning import Settings, digest, fill_block
from tfprovider.values import UNKNOWN

STATEMENT_KEYS = (("sid", "Sid"), ("effect", "Effect"), ("actions", "Action"), ("not_actions", "NotAction"),
                  ("resources", "Resource"), ("not_resources", "NotResource"))


def _one_or_list(values):
    values = sorted(values)
    return values[0] if len(values) == 1 else values


def _principals(blocks) -> dict | str:
    out: dict = {}
    for block in blocks:
        identifiers = sorted(set(block["identifiers"] or []) | set(out.get(block["type"], [])))
        out[block["type"]] = identifiers
    if set(out) == {"*"} and out["*"] == ["*"]:
        return "*"
    return {kind: _one_or_list(identifiers) for kind, identifiers in sorted(out.items())}


def policy_statement(statement: dict) -> dict:
    """One statement block of aws_iam_policy_document as IAM policy JSON."""
    out: dict = {}
    for key, label in STATEMENT_KEYS:
        value = statement.get(key)
        if key == "effect":
            out[label] = value or "Allow"
        elif key == "sid":
            if value:
                out[label] = value
        elif value:
            out[label] = _one_or_list(value)
    for key, label in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if statement.get(key):
            out[label] = _principals(statement[key])
    conditions: dict = {}
    for condition in statement.get("condition") or []:
        conditions.setdefault(condition["test"], {})[condition["variable"]] = _one_or_list(condition["values"] or [])
    if conditions:
        out["Condition"] = {test: dict(sorted(variables.items())) for test, variables in sorted(conditions.items())}
    return out


def _merge(statements: list, more: list) -> list:
    """Statements with a Sid already there are replaced, others appended (as the real data source merges)."""
    out = list(statements)
    for statement in more:
        sid = statement.get("Sid")
        index = next((i for i, s in enumerate(out) if sid and s.get("Sid") == sid), None)
        if index is None:
            out.append(statement)
        else:
            out[index] = statement
    return out


def _statements_of(document: str) -> list:
    statements = json.loads(document).get("Statement") or []
    return statements if isinstance(statements, list) else [statements]


def policy_document(config: dict) -> dict:
    statements: list = []
    for source in config.get("source_policy_documents") or []:
        statements = _merge(statements, _statements_of(source))
    statements = _merge(statements, [policy_statement(s) for s in config.get("statement") or []])
    for override in config.get("override_policy_documents") or []:
        statements = _merge(statements, _statements_of(override))
    document = {"Version": config.get("version") or "2012-10-17"}
    if config.get("policy_id"):
        document["Id"] = config["policy_id"]
    document["Statement"] = statements
    text = json.dumps(document, indent=2)
    return {"json": text, "minified_json": json.dumps(document, separators=(",", ":")), "id": str(int(digest(text)[:8], 16))}


def _region(config: dict, settings: Settings) -> str:
    return config.get("region") or settings.region


def identity_center_values(type_name: str, config: dict, settings: Settings) -> dict | None:
    """IAM Identity Center: the organisation's one instance (``aws_ssoadmin_instances``) and a group the identity
    provider provisioned, found by its display name (``aws_identitystore_group``); None for any other type."""
    account = settings.account_id
    if type_name == "aws_ssoadmin_instances":
        instance = "ssoins-" + digest(account, "sso")[:16]
        return {"arns": [f"arn:aws:sso:::instance/{instance}"], "identity_store_ids": ["d-" + digest(account, "store")[:10]],
                "id": settings.region}
    if type_name == "aws_identitystore_group":
        wanted = ((config.get("alternate_identifier") or [{}])[0].get("unique_attribute") or [{}])[0].get("attribute_value") or ""
        group = digest(account, "group", wanted)
        group_id = f"{group[:8]}-{group[8:12]}-{group[12:16]}-{group[16:20]}-{group[20:32]}"
        return {"group_id": group_id, "id": group_id, "display_name": wanted, "description": "", "external_ids": []}
    return None


def known_values(type_name: str, config: dict, settings: Settings) -> dict:
    """The computed attributes a modelled data source returns."""
    center = identity_center_values(type_name, config, settings)
    if center is not None:
        return center
    account, region = settings.account_id, _region(config, settings)
    if type_name == "aws_iam_policy_document":
        return policy_document(config)
    if type_name == "aws_caller_identity":
        return {"account_id": account, "id": account, "user_id": "AROAEXAMPLEROLEID:terraform",
                "arn": f"arn:aws:sts::{account}:assumed-role/terraform/terraform"}
    if type_name == "aws_partition":
        return {"partition": "aws", "id": "aws", "dns_suffix": "amazonaws.com", "reverse_dns_prefix": "com.amazonaws"}
    if type_name == "aws_region":
        return {"name": region, "region": region, "id": region, "endpoint": f"ec2.{region}.amazonaws.com",
                "description": region}
    if type_name == "aws_vpcs":
        return {"ids": [f"vpc-{digest(account, region)[:17]}"], "id": region}
    if type_name == "aws_guardduty_detector":
        return guardduty_detector(config, settings)
    if type_name == "aws_organizations_organization":
        org = "o-" + digest(account)[:10]
        root = "r-" + digest(account, "root")[:4]
        return {
            "id": org, "arn": f"arn:aws:organizations::{account}:organization/{org}", "feature_set": "ALL",
            "master_account_id": account, "master_account_arn": f"arn:aws:organizations::{account}:account/{org}/{account}",
            "master_account_email": "aws-management@example.com", "master_account_name": "management",
            "roots": [{"id": root, "name": "Root", "arn": f"arn:aws:organizations::{account}:root/{org}/{root}",
                       "policy_types": [{"status": "ENABLED", "type": "SERVICE_CONTROL_POLICY"}]}],
        }
    return {}


def guardduty_detector(config: dict, settings: Settings) -> dict:
    """The account's existing detector in the data source's Region (one per account and Region, as in AWS): a
    32-character hexadecimal id derived from the account and the Region, enabled, publishing every six hours."""
    region = _region(config, settings)
    detector = config.get("id") or digest("guardduty", settings.account_id, region)[:32]
    return {"id": detector, "status": "ENABLED", "finding_publishing_frequency": "SIX_HOURS",
            "service_role_arn": f"arn:aws:iam::{settings.account_id}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
            "region": region}


def read(type_name: str, block: dict, config: dict, settings: Settings) -> dict:
    state = dict(config)
    known = known_values(type_name, config, settings)
    for name, attr in block.get("attributes", {}).items():
        if name in known and state.get(name) is None:
            state[name] = known[name]
        elif attr.get("computed") and state.get(name) is None:
            state[name] = UNKNOWN
    if "region" in block.get("attributes", {}) and block["attributes"]["region"].get("computed"):
        state["region"] = _region(config, settings)
    return fill_block(state, block, f"{type_name}.{digest(type_name, config)[:12]}", {"account_id": settings.account_id})


def imported(type_name: str, id_: str, settings: Settings) -> dict:
    """The state ImportResourceState returns: the id, plus, for the modelled types, what the real provider reads.
    ``aws_organizations_organization``: an existing organisation with all features, the service control policy type
    enabled on its root and no trusted access yet (so the plan after the import adds the baseline's principals)."""
    if type_name != "aws_organizations_organization":
        return region_suffixed(id_)
    account = settings.account_id
    root = "r-" + digest(id_, "root")[:4]
    return {
        "id": id_, "arn": f"arn:aws:organizations::{account}:organization/{id_}", "feature_set": "ALL",
        "aws_service_access_principals": [], "enabled_policy_types": ["SERVICE_CONTROL_POLICY"],
        "master_account_id": account, "master_account_arn": f"arn:aws:organizations::{account}:account/{id_}/{account}",
        "master_account_email": "aws-management@example.com", "master_account_name": "management",
        "accounts": [], "non_master_accounts": [],
        "roots": [{"id": root, "name": "Root", "arn": f"arn:aws:organizations::{account}:root/{id_}/{root}",
                   "policy_types": [{"status": "ENABLED", "type": "SERVICE_CONTROL_POLICY"}]}],
    }


def region_suffixed(id_: str) -> dict:
    """An import id with the ``@<region>`` suffix of the provider's enhanced Region support: the resource's id and
    its ``region`` (the real provider strips the suffix the same way); any other id: the id alone."""
    base, at, region = id_.rpartition("@")
    if at and base and re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", region):
        return {"id": base, "region": region}
    return {"id": id_}
