"""governance.policies in the summary, per target and by effect: a policy created or deleted, attached to or detached
from a target, its document changed (which Regions a restriction now allows or denies; statement by statement, which
way it moved: statement_direction.py), and what an account's move between units puts it under (tree_review.py asks ``policies_under``)."""

from __future__ import annotations

import json
import re

from ...policy_presets.quotas import QUOTAS
from ...review.context import Context
from ...validate.hclcheck import unquote
from .statement_direction import statement_lines

AREA = "organisation"  # not a module: summary lines of the organisation's tree and policies sort after the modules'
LABEL = {q.aws_type: q.label for q in QUOTAS.values()}
DENYING = {"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"}  # attaching one denies more; the others set things


def _targets(block) -> list[str]:
    text = str((block.body.get("for_each") if block else "") or "")
    return re.findall(r'"((?:[^"\\]|\\.)*)"', text) if text.startswith("${toset([") else []


def document(block) -> dict | None:
    """The policy document of ``content = jsonencode({...})`` as the parser gives it back, or None."""
    text = str(block.body.get("content") or "") if block else ""
    if not (text.startswith("${jsonencode(") and text.endswith(")}")):
        return None
    inner, out, quoted, escaped = text[len("${jsonencode("):-2], [], False, False
    for ch in inner:
        if quoted:
            escaped = not escaped and ch == "\\"
            quoted = escaped or ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == "=":
            ch = ":"
        out.append(ch)
    try:
        return json.loads("".join(out).replace("$${", "${").replace("%%{", "%{"))
    except ValueError:
        return None


def _name(block) -> str:
    label = LABEL.get(unquote(block.body.get("type")), "policy")
    return f"{label} {unquote(block.body.get('name'))}"


def _add(ctx: Context, area: str, action: str, text: str, address: str) -> None:
    ctx.add(area, action, f"organisation: {text}", [address])


def _requested_regions(doc) -> set[str] | None:
    """The Regions a Region restriction leaves open (aws:RequestedRegion of a Deny ... StringNotEquals), or None."""
    for st in (doc or {}).get("Statement", []) if isinstance((doc or {}).get("Statement"), list) else []:
        regions = ((st.get("Condition") or {}).get("StringNotEquals") or {}).get("aws:RequestedRegion")
        if st.get("Effect") == "Deny" and regions:
            return set(regions if isinstance(regions, list) else [regions])
    return None


def _document_lines(name: str, targets: list[str], old: dict | None, new: dict | None, denying: bool) -> list[str]:
    where = ", ".join(targets) or "nothing"
    before, after = _requested_regions(old), _requested_regions(new)
    lines = []
    if before is not None and after is not None:
        lines = [f"{name} on {where}: {r} now allowed (weaker)" for r in sorted(after - before)]
        lines += [f"{name} on {where}: {r} now denied (stronger)" for r in sorted(before - after)]
    if denying:
        lines += [f"{name} on {where}: {phrase}" for _, phrase in statement_lines(old, new)]
    return lines or [f"{name} on {where}: document changed"]


def policy_rules(ctx: Context) -> None:
    attachments = dict((a, (b, c)) for a, b, c in ctx.pairs("aws_organizations_policy_attachment"))
    for address, before, after in ctx.pairs("aws_organizations_policy"):
        attachment = attachments.get(address.replace("aws_organizations_policy.", "aws_organizations_policy_attachment."), (None, None))
        if not any(_targets(b) for b in attachment):
            continue  # the root guardrails of governance.service_control_policies: the generic rules describe them
        ctx.cover(address)
        ctx.cover_local((after or before).module, "target_ids")
        ctx.cover_block_and_instances(address.replace("aws_organizations_policy.", "aws_organizations_policy_attachment."))
        area = AREA  # after every module's lines, in the same place whichever roots the review indexed
        name = _name(after or before)
        old, new = _targets(attachment[0]), _targets(attachment[1])
        denying = unquote((after or before).body.get("type")) in DENYING
        if before is None:
            _add(ctx, area, "added", f"{name} created, attached to {', '.join(new)}" + (" (stronger)" if denying else ""), address)
            continue
        if after is None:
            _add(ctx, area, "removed", f"{name} deleted, detached from {', '.join(old)}" + (" (weaker)" if denying else ""), address)
            continue
        for target in [t for t in new if t not in old]:
            _add(ctx, area, "added", f"{name} attached to {target}" + (" (stronger)" if denying else ""), address)
        for target in [t for t in old if t not in new]:
            _add(ctx, area, "removed", f"{name} detached from {target}" + (" (weaker)" if denying else ""), address)
        was, now = document(before), document(after)
        if was != now:
            for line in _document_lines(name, new, was, now, denying):
                _add(ctx, area, "changed", line, address)


def policies_under(ctx: Context, side: str, unit: str) -> list[str]:
    """The policies of governance.policies that apply in ``unit`` (attached to it or a unit above it) on a side."""
    chain = {"root"} | {"/".join(unit.split("/")[:i]) for i in range(1, len(unit.split("/")) + 1)} if unit != "root" else {"root"}
    out = []
    for address, block in sorted(ctx.of_type(side, "aws_organizations_policy_attachment").items()):
        if set(_targets(block)) & (chain - {"root"}):
            policy = ctx.block(side, address.replace("aws_organizations_policy_attachment.", "aws_organizations_policy."))
            if policy is not None:
                out.append(_name(policy))
    return out
