"""Organisation policies (SCPs, RCPs) in the summary, by effect: which Regions a region restriction now allows or
denies, and statement by statement which way the document moved (components/governance/statement_direction.py). The policy's description, which restates its content, is not
repeated. A rule that covers a policy first (the governance component's review) takes precedence."""

from __future__ import annotations

from .context import Context, area_of
from ..components.governance.invariants import policy_json
from ..components.governance.statement_direction import statement_lines
from .direction import set_verdict
from .policies import document
from .values import plain, scalars

KINDS = {"SERVICE_CONTROL_POLICY": "SCP", "RESOURCE_CONTROL_POLICY": "RCP"}
_REGION_KEY = "aws:requestedregion"


def policy_words(block) -> str:
    """``SCP region-restriction``: the kind and the Terraform name, as a reviewer reads it."""
    kind = KINDS.get(plain(block.body.get("type")), plain(block.body.get("type")))
    return f"{kind} {block.name.replace('_', '-')}"


def allowed_regions(body: dict | None) -> dict[str, set[str]]:
    """sid -> the Regions a Deny statement exempts (``StringNotEquals aws:RequestedRegion [...]``)."""
    out = {}
    for i, raw in enumerate((body or {}).get("statement", [])):
        if plain(raw.get("effect", '"Allow"')) != "Deny":
            continue
        for condition in raw.get("condition") or []:
            if plain(condition.get("test")) == "StringNotEquals" and plain(condition.get("variable")).lower() == _REGION_KEY:
                out[plain(raw["sid"]) if "sid" in raw else f"#{i + 1}"] = set(scalars(condition.get("values")) or [])
    return out


def guardrail_rules(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_organizations_policy"):
        if ctx.covered(address) or before is None or after is None:
            continue  # added or removed: the module's or the governance component's line says it
        doc_old, body_old = document(ctx, "old", before, "content")
        doc_new, body_new = document(ctx, "new", after, "content")
        ctx.cover(address, *filter(None, (doc_old, doc_new)))
        area, subject = area_of(after.module), policy_words(after)
        a, b = allowed_regions(body_old), allowed_regions(body_new)
        for sid in sorted(set(a) & set(b)):
            if a[sid] == b[sid]:
                continue
            if doc_new:
                ctx.explain(doc_new, sid, "condition")
            now, gone = sorted(b[sid] - a[sid]), sorted(a[sid] - b[sid])
            if now:
                ctx.add(area, "changed", f"{subject}: {', '.join(now)} now allowed{set_verdict('scp.allowed_regions', now, ())}", [address])
            if gone:
                ctx.add(area, "changed", f"{subject}: {', '.join(gone)} now denied{set_verdict('scp.allowed_regions', (), gone)}", [address])
        for action, phrase in statement_lines(policy_json((body_old or {}).get("statement") or []),
                                              policy_json((body_new or {}).get("statement") or [])):
            ctx.add(area, action, f"{subject}: {phrase}", [address])
        for key in ("name", "type"):
            if plain(before.body.get(key)) != plain(after.body.get(key)):
                ctx.add(area, "changed", f"{subject}: {key} {plain(before.body.get(key))} → {plain(after.body.get(key))}", [address])
