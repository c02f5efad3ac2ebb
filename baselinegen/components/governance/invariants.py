"""Security invariants of the governance module (organisation profiles): the service control policies the profile
asks for, attached to the root, each within AWS's size limit; the delegated administrator is the security account."""

from __future__ import annotations

import json

from .render import DELEGATED_SERVICE_PRINCIPALS, MODULE
from .policies import SCP_MAX_CHARACTERS, minified_size, service_control_policies
from ...profile.model import Profile
from ...validate.bucket_invariants import policy_statements
from ...validate.hclcheck import module_locals, resource_bodies, unquote

DIRECTORY = f"modules/{MODULE}"
REGIONAL_ADMINS = (("aws_guardduty_organization_admin_account", "admin_account_id"),
                   ("aws_securityhub_organization_admin_account", "admin_account_id"),
                   ("aws_inspector2_delegated_admin_account", "account_id"))


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
    policies = resource_bodies(parsed, DIRECTORY, "resource", "aws_organizations_policy")
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


def _delegation_problems(parsed, profile: Profile) -> list[str]:
    security = profile.organization.accounts_with_role("security")
    admins = {type_: resource_bodies(parsed, DIRECTORY, "resource", type_) for type_, _ in REGIONAL_ADMINS}
    delegated = resource_bodies(parsed, DIRECTORY, "resource", "aws_organizations_delegated_administrator")
    if not security:
        return [f"{DIRECTORY}: delegates administration without a security account"] if delegated or any(admins.values()) else []
    account_id = unquote(module_locals(parsed, DIRECTORY).get("security_account_id"))
    problems = [] if account_id == security[0].id else [f"{DIRECTORY}: the delegated administrator is {account_id!r}, not the security account {security[0].id}"]
    for type_, attribute in REGIONAL_ADMINS:
        body = admins[type_].get("security", {})
        if (body.get("for_each"), body.get("region"), body.get(attribute)) != ("${var.regions}", "${each.value}", "${local.security_account_id}"):
            problems.append(f"{DIRECTORY}: {type_} does not name the security account in every Region")
    body = delegated.get("security", {})
    if _toset_literal(body.get("for_each")) != list(DELEGATED_SERVICE_PRINCIPALS) or body.get("account_id") != "${local.security_account_id}":
        problems.append(f"{DIRECTORY}: AWS Config and IAM Access Analyzer are not delegated to the security account")
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


def governance_problems(parsed, profile: Profile) -> list[str]:
    rendered = any(path.startswith(DIRECTORY + "/") for path in parsed)
    wanted = bool(profile.organization.accounts) and bool(service_control_policies(profile) or profile.organization.accounts_with_role("security"))
    if rendered != wanted:
        return [f"{DIRECTORY}: rendered, but the profile asks for no service control policy and no delegation" if rendered
                else f"{DIRECTORY}: missing, but the profile asks for service control policies or delegation"]
    return _policy_problems(parsed, profile) + _delegation_problems(parsed, profile) if rendered else []
