"""``governance.policies`` as the template writes them: each document as an HCL object inside ``jsonencode`` (so a
review reads the policy itself, and Terraform sends it minified), its attachments by target."""

from __future__ import annotations

from ...render.filters import hcl_string
from ...profile.units import ROOT

SHORT_LIST = 100  # a list of scalars shorter than this stays on one line


def hcl_json(value, indent: int = 0) -> str:
    """A JSON value as an HCL expression, indented for a block at ``indent`` spaces."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = [f"{pad}  {hcl_string(str(k))} = {hcl_json(v, indent + 2)}" for k, v in value.items()]
        return "{\n" + "\n".join(lines) + f"\n{pad}}}"
    if isinstance(value, list):
        scalars = [hcl_json(v) for v in value if not isinstance(v, (dict, list))]
        if len(scalars) == len(value) and len(", ".join(scalars)) < SHORT_LIST:
            return "[" + ", ".join(scalars) + "]"
        return "[\n" + "\n".join(f"{pad}  {hcl_json(v, indent + 2)}," for v in value) + f"\n{pad}]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    return hcl_string(value)


def org_policy_context(profile) -> dict:
    policies = profile.governance.policies
    accounts = {a.name: a.id for a in profile.organization.accounts}
    targets = sorted({t for p in policies for t in p.attach if t in accounts and t != ROOT})
    return {
        "policies": [{"policy": p, "aws_name": f"{profile.organization.name}-{p.name}", "content": hcl_json(p.body, 2)} for p in policies],
        "account_targets": [(name, accounts[name]) for name in targets],
    }


def org_policy_invariant_problems(parsed, directory: str, profile) -> list[str]:
    """Each policy of governance.policies is rendered with its type and attached exactly to its targets; each account
    target is the account's id."""
    from ...validate.hclcheck import resource_bodies, unquote

    policies = resource_bodies(parsed, directory, "resource", "aws_organizations_policy")
    attachments = resource_bodies(parsed, directory, "resource", "aws_organizations_policy_attachment")
    problems = []
    for p in profile.governance.policies:
        body, attachment = policies.get(p.tf_name), attachments.get(p.tf_name, {})
        if body is None or unquote(body.get("type")) != p.aws_type:
            problems.append(f"{directory}: policy {p.name} is not rendered as a {p.aws_type}")
        targets = str(attachment.get("for_each") or "")
        wanted = "${toset([" + ", ".join(f'"{t}"' for t in p.attach) + "])}"
        if targets != wanted or attachment.get("policy_id") != f"${{aws_organizations_policy.{p.tf_name}.id}}":
            problems.append(f"{directory}: policy {p.name} is attached to {targets or 'nothing'}, the profile says {list(p.attach)}")
    return problems
