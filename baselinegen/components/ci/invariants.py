"""Security invariants of the CI roles, on the parsed output: each trust policy names exactly the principals and
conditions the profile implies (``aud`` and ``sub`` pinned, the repository exact), the plan role's policies grant
exactly the reads of the permission table, the apply role has its boundary, and GitHub's OIDC provider is turned on
in the account CI enters only."""

from __future__ import annotations

from ...profile.model import Profile
from ...profile.regions import partition_of
from ...validate.hclcheck import resource_bodies, unquote
from . import policies as cp

DIRECTORY = "modules/ci"


def _concrete(value: str, partition: str) -> str:
    return value.replace("<partition>", partition).replace("<account>", "${local.account_id}")


def _statements(parsed, name: str) -> list[dict]:
    doc = resource_bodies(parsed, DIRECTORY, "data", "aws_iam_policy_document").get(name) or {}
    return doc.get("statement", [])


def _shape(statement: dict) -> tuple:
    principals = tuple((unquote(p.get("type")), tuple(unquote(i) for i in p.get("identifiers", [])))
                       for p in statement.get("principals", []))
    conditions = tuple(sorted((unquote(c.get("test")), unquote(c.get("variable")), tuple(unquote(v) for v in c.get("values", [])))
                              for c in statement.get("condition", [])))
    return unquote(statement.get("effect")), tuple(unquote(a) for a in statement.get("actions", [])), principals, conditions


def _expected(document, partition: str) -> list[tuple]:
    return [(st.effect, st.actions, tuple((p.type, tuple(_concrete(i, partition) for i in p.identifiers)) for p in st.principals),
             tuple(sorted((c.test, c.variable, tuple(_concrete(v, partition) for v in c.values)) for c in st.conditions)))
            for st in document.statements]


def ci_problems(parsed, profile: Profile) -> list[str]:
    if profile.ci.github is None:
        return [f"{DIRECTORY}: rendered although ci.github is not set"] if any(p.startswith(DIRECTORY + "/") for p in parsed) else []
    partition = partition_of(profile.organization.home_region)
    problems = []
    for kind in (cp.PLAN, cp.APPLY):
        for document in (cp.trust(profile, kind), cp.github_trust(profile, kind)):
            found = [_shape(st) for st in _statements(parsed, document.name)]
            if found != _expected(document, partition):
                problems.append(f"{DIRECTORY}: the {kind} role's trust ({document.name}) differs from the profile's: {found}")
        for st in _statements(parsed, f"{kind}_trust_github"):
            for condition in st.get("condition", []):
                if any("*" in unquote(v).split(":")[1] for v in condition.get("values", []) if unquote(v).startswith("repo:")):
                    problems.append(f"{DIRECTORY}: the {kind} role trusts a wildcard owner or repository")
    expected = [cp.plan_read(profile)] + ([cp.plan_state(profile)] if profile.state.enabled else [])
    for document in expected:  # the plan role is read-only: exactly the table's reads (and the state lock)
        found = [(unquote(st.get("effect")), tuple(unquote(a) for a in st.get("actions", []))) for st in _statements(parsed, document.name)]
        if found != [(st.effect, st.actions) for st in document.statements]:
            problems.append(f"{DIRECTORY}: the plan role's {document.name} grants other actions than the profile's")
    roles = resource_bodies(parsed, DIRECTORY, "resource", "aws_iam_role")
    if {unquote(b.get("name")) for b in roles.values()} != {cp.role_name(profile, cp.PLAN), cp.role_name(profile, cp.APPLY)}:
        problems.append(f"{DIRECTORY}: the roles are not {cp.role_name(profile, cp.PLAN)} and {cp.role_name(profile, cp.APPLY)}")
    if "permissions_boundary" not in roles.get("apply", {}):
        problems.append(f"{DIRECTORY}: the apply role has no permissions boundary")
    problems += _entry_problems(parsed, profile)
    return problems


def _entry_problems(parsed, profile: Profile) -> list[str]:
    """Only the entry account's root turns on github_oidc (single account: the one root)."""
    turned_on = []
    for path, body in parsed.items():
        if path.endswith("main.tf") and not path.startswith("modules/"):
            for block in body.get("module", []):
                for name, call in block.items():
                    if name in ("ci", "\"ci\"") and call.get("github_oidc") is True:
                        turned_on.append(path.rpartition("/")[0] or ".")
    expected = [f"accounts/{profile.ci.account_name}"] if profile.organization.accounts else ["."]
    return [] if turned_on == expected else [f"GitHub's OIDC provider is turned on in {turned_on or 'no root'}, expected {expected}"]
