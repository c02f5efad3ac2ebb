"""Security invariants of the governance module (organisation profiles): the organisation lists exactly the trusted
access and policy types the profile needs, and the principal of every service it delegates; the service control
policies the profile asks for, attached to the root, each within AWS's size limit; the delegated administrator is
the security account."""

from __future__ import annotations

import json

from .render import MODULE, ORGANIZATION_ADDRESS, REGIONAL_ADMIN_ATTRIBUTES, OrganizationSettings, delegations
from ..trusted_access import EVERY_PRINCIPAL, ORGANIZATIONS
from .units import tree_invariant_problems
from .region_controls import root_access_problems
from .org_policy_render import org_policy_invariant_problems
from .policies import SCP_MAX_CHARACTERS, minified_size, service_control_policies
from ...profile.model import Profile
from ...validate.bucket_invariants import policy_statements
from ...validate.hclcheck import blocks, module_locals, resource_bodies, unquote

DIRECTORY = f"modules/{MODULE}"
PRINCIPAL_OF_ADMIN = {a.delegation: a.principal for a in EVERY_PRINCIPAL if a.delegation not in ("", ORGANIZATIONS)}


def _one_or_many(values: list):
    values = [unquote(v) for v in values]
    return values[0] if len(values) == 1 else values


def policy_json(statements: list[dict]) -> dict:
    """A parsed aws_iam_policy_document as the JSON policy it produces (keys as AWS writes them)."""
    out = []
    for st in statements:
        item = {"Sid": unquote(st.get("sid")), "Effect": unquote(st.get("effect"))}
        for key, name in (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"), ("not_resources", "NotResource")):
            if key in st:
                item[name] = _one_or_many(st[key])
        conditions: dict = {}
        for c in st.get("condition", []):
            conditions.setdefault(unquote(c["test"]), {})[unquote(c["variable"])] = _one_or_many(c["values"])
        if conditions:
            item["Condition"] = conditions
        out.append(item)
    return {"Version": "2012-10-17", "Statement": out}


def _policy_problems(parsed, profile: Profile) -> list[str]:
    others = {policy.tf_name for policy in profile.governance.policies}  # governance.policies: org_policy_invariant_problems
    policies = {k: v for k, v in resource_bodies(parsed, DIRECTORY, "resource", "aws_organizations_policy").items() if k not in others}
    attachments = resource_bodies(parsed, DIRECTORY, "resource", "aws_organizations_policy_attachment")
    expected = {document.name: document for document in service_control_policies(profile)}
    problems = []
    if set(policies) != set(expected):
        problems.append(f"{DIRECTORY}: service control policies {sorted(policies)} differ from the profile's {sorted(expected)}")
    for name, document in expected.items():
        body = policies.get(name, {})
        if unquote(body.get("type")) != "SERVICE_CONTROL_POLICY" or body.get("content") != f"${{data.aws_iam_policy_document.{name}.minified_json}}":
            problems.append(f"{DIRECTORY}: {name} is not a service control policy with the minified JSON of its document")
        attachment = attachments.get(name, {})
        if (attachment.get("policy_id"), attachment.get("target_id")) != (f"${{aws_organizations_policy.{name}.id}}", "${local.root_id}"):
            problems.append(f"{DIRECTORY}: {name} is not attached to the organisation root")
        statements = policy_statements(parsed, DIRECTORY, name)
        got = {unquote(st.get("sid")): unquote(st.get("effect")) for st in statements}
        want = {st.sid: st.effect for st in document.statements}
        if got != want:
            problems.append(f"{DIRECTORY}: {name} has the statements {got}, the profile says {want}")
        size = minified_size(policy_json(statements))
        if size > SCP_MAX_CHARACTERS:
            problems.append(f"{DIRECTORY}: {name} is {size} characters of minified JSON; AWS Organizations accepts at most "
                            f"{SCP_MAX_CHARACTERS} in a service control policy")
    return problems


def _organization_problems(parsed, settings: OrganizationSettings) -> tuple[list[str], set[str]]:
    """Problems of the organisation resource, and the principals it lists."""
    body = resource_bodies(parsed, DIRECTORY, "resource", ORGANIZATION_ADDRESS.split(".")[0]).get("this")
    if body is None:
        return [f"{DIRECTORY}: the organisation ({ORGANIZATION_ADDRESS}) is missing"], set()
    principals = {unquote(p) for p in body.get("aws_service_access_principals") or []}
    types = sorted(unquote(t) for t in body.get("enabled_policy_types") or [])
    problems = []
    if unquote(body.get("feature_set")) != "ALL":
        problems.append(f"{DIRECTORY}: the organisation's feature_set is not ALL")
    if principals != set(settings.principals):
        problems.append(f"{DIRECTORY}: the organisation trusts {sorted(principals)}, the profile needs {list(settings.principals)}")
    if types != list(settings.policy_types):
        problems.append(f"{DIRECTORY}: the organisation enables the policy types {types}, the profile needs {list(settings.policy_types)}")
    if (body.get("lifecycle") or [{}])[0].get("prevent_destroy") is not True:
        problems.append(f"{DIRECTORY}: the organisation is not protected by prevent_destroy")
    return problems, principals


def _delegation_problems(parsed, profile: Profile, settings: OrganizationSettings, trusted: set[str]) -> list[str]:
    security = profile.organization.accounts_with_role("security")
    admins = {type_: resource_bodies(parsed, DIRECTORY, "resource", type_) for type_ in REGIONAL_ADMIN_ATTRIBUTES}
    delegated = resource_bodies(parsed, DIRECTORY, "resource", "aws_organizations_delegated_administrator")
    registered = _toset_literal(delegated.get("security", {}).get("for_each")) or []
    problems = [f"{DIRECTORY}: {type_} delegates {principal} without trusted access for it"
                for type_, principal in PRINCIPAL_OF_ADMIN.items() if admins[type_] and principal not in trusted]
    problems += [f"{DIRECTORY}: aws_organizations_delegated_administrator delegates {principal} without trusted access for it"
                 for principal in registered if principal not in trusted]
    if not security:
        return problems + ([f"{DIRECTORY}: delegates administration without a security account"] if delegated or any(admins.values()) else [])
    want_delegated, want_regional = delegations(settings, security[0])
    account_id = unquote(module_locals(parsed, DIRECTORY).get("security_account_id"))
    if account_id != security[0].id:
        problems.append(f"{DIRECTORY}: the delegated administrator is {account_id!r}, not the security account {security[0].id}")
    for type_, attribute in REGIONAL_ADMIN_ATTRIBUTES.items():
        body = admins[type_].get("security")
        if type_ not in want_regional:
            if body is not None:
                problems.append(f"{DIRECTORY}: {type_} delegates a service the profile does not turn on")
        elif body is None or (body.get("for_each"), body.get("region"), body.get(attribute)) != ("${var.regions}", "${each.value}", "${local.security_account_id}"):
            problems.append(f"{DIRECTORY}: {type_} does not name the security account in every Region")
    body = delegated.get("security", {})
    if registered != list(want_delegated) or (want_delegated and body.get("account_id") != "${local.security_account_id}"):
        problems.append(f"{DIRECTORY}: the services delegated through AWS Organizations are {registered}, the profile needs {list(want_delegated)}")
    return problems


def _toset_literal(expression) -> list | None:
    """The strings of ``toset([...])`` with literal elements, as python-hcl2 writes the expression back."""
    text = str(expression or "")
    if not (text.startswith("${toset([") and text.endswith("])}")):
        return None
    try:
        return json.loads(text[len("${toset("):-len(")}")])
    except ValueError:
        return None


def _other_modules_problems(parsed, trusted: set[str]) -> list[str]:
    """A module other than this one that designates an administrator (the management account's detection module,
    without a security account) needs the same trusted access."""
    found = {(path.rpartition("/")[0], type_) for path, doc in parsed.items()
             if path.startswith("modules/") and not path.startswith(DIRECTORY + "/")
             for type_, _, _ in blocks(doc, "resource") if type_ in PRINCIPAL_OF_ADMIN}
    return [f"{folder}: {type_} designates an administrator of {PRINCIPAL_OF_ADMIN[type_]} without trusted access for it"
            for folder, type_ in sorted(found) if PRINCIPAL_OF_ADMIN[type_] not in trusted]


def governance_problems(parsed, profile: Profile, settings: OrganizationSettings) -> list[str]:
    rendered = any(path.startswith(DIRECTORY + "/") for path in parsed)
    wanted = bool(profile.organization.accounts)
    if rendered != wanted:
        return [f"{DIRECTORY}: rendered for a single account" if rendered else f"{DIRECTORY}: missing from an organisation profile"]
    if not rendered:
        return []
    problems, trusted = _organization_problems(parsed, settings)
    problems += root_access_problems(parsed, DIRECTORY, profile, trusted)
    tree = (tree_invariant_problems(parsed, DIRECTORY, profile.governance.units, profile.governance.placements)
            + org_policy_invariant_problems(parsed, DIRECTORY, profile))
    return (problems + tree + _policy_problems(parsed, profile) + _delegation_problems(parsed, profile, settings, trusted)
            + _other_modules_problems(parsed, trusted))
