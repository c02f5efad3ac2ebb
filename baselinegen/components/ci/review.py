"""The CI roles in the review: who may assume them, phrased by effect (``CI plan role: now trusted by pull requests of
acme/other-repo (weaker)``). Their permission statements are left to the generic policy lines."""

from __future__ import annotations

from ...review.context import Context, area_of
from ...review.values import plain, scalars

_KINDS = ("plan", "apply")


def _trusted(body: dict | None) -> set[str]:
    """The subjects (``repo:...``) and principal ARNs a trust document admits."""
    found = set()
    for statement in (body or {}).get("statement", []):
        for condition in statement.get("condition", []):
            variable = plain(condition.get("variable"))
            if variable.endswith(":sub") or variable == "aws:PrincipalArn":
                found.update(scalars(condition.get("values")) or [plain(condition.get("values"))])
    return found


def _audiences(body: dict | None) -> set[str]:
    return {v for statement in (body or {}).get("statement", []) for c in statement.get("condition", [])
            if plain(c.get("variable")).endswith(":aud") for v in scalars(c.get("values")) or []}


def who(subject: str) -> str:
    """``repo:acme/x:pull_request`` -> ``pull requests of acme/x``."""
    if not subject.startswith("repo:"):
        return f"the role `{subject}`"
    repository, _, rest = subject[len("repo:"):].partition(":")
    if rest == "pull_request":
        return f"pull requests of {repository}"
    if rest == "ref:refs/heads/*":
        return f"every branch of {repository}"
    if rest.startswith("ref:refs/heads/"):
        return f"the branch {rest[len('ref:refs/heads/'):]} of {repository}"
    if rest.startswith("environment:"):
        return f"the environment {rest[len('environment:'):]} of {repository}"
    return f"`{subject}`"


def _environments(subjects: set[str]) -> set[str]:
    return {s.rpartition(":environment:")[2] for s in subjects if ":environment:" in s}


def _entry(ctx: Context, module: str) -> bool:
    """Whether the module instance is the one of the account CI enters (its call sets github_oidc = true)."""
    found = ctx.new.modules.get(module) or ctx.old.modules.get(module)
    return found is None or (found.call or {}).get("github_oidc") is True


def ci_rules(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_iam_policy_document", "data"):
        block = after or before
        kind = next((k for k in _KINDS if block.name in (f"{k}_trust", f"{k}_trust_github")), None)
        if kind is None or area_of(block.module) != "ci" or before is None or after is None:
            continue
        ctx.cover(address)
        if block.name.endswith("_github") and not _entry(ctx, block.module):
            continue  # the OIDC trust acts in the account CI enters only
        old, new = _trusted(before.body), _trusted(after.body)
        subject = f"CI {kind} role"
        for environment in sorted(_environments(old) - _environments(new)):
            ctx.add("ci", "changed", f"{subject}: no longer limited to the environment {environment} (weaker)", [address])
        for added in sorted(new - old):
            ctx.add("ci", "changed", f"{subject}: now trusted by {who(added)} (weaker)", [address])
        for removed in sorted(old - new):
            ctx.add("ci", "changed", f"{subject}: no longer trusted by {who(removed)} (stronger)", [address])
        a, b = _audiences(before.body), _audiences(after.body)
        if a != b:
            ctx.add("ci", "changed", f"{subject}: OIDC audience {', '.join(sorted(a)) or 'any'} -> {', '.join(sorted(b)) or 'any'}"
                    + (" (weaker)" if not b else ""), [address])
