"""Findings people hear about, in the review: a findings rule added or removed, and its threshold moved (the
severity of GuardDuty's, Security Hub's and Inspector's rules; for Access Analyzer, every active finding or only
public ones). One line per rule; its targets only restate it."""

from __future__ import annotations

import re

from ...review.context import Context, area_of
from ...review.direction import presence, verdict
from ...review.tree import join
from ...review.values import plain

# rule resource name -> (the service as the line names it, its targets' resource names)
RULES = {
    "guardduty_findings": ("GuardDuty", ("guardduty_findings_topic", "guardduty_findings_home")),
    "security_hub_findings": ("Security Hub", ("security_hub_findings_topic",)),
    "inspector_findings": ("Inspector", ("inspector_findings_topic", "inspector_findings_home")),
    "access_analyzer_findings": ("Access Analyzer", ("access_analyzer_findings_topic", "access_analyzer_findings_home")),
}
SEVERITY_RE = re.compile(r"of severity (low|medium|high|critical)\b")


def threshold(body: dict) -> str:
    """What notifies, read from the rule's description: a severity, ``public`` or ``active``."""
    description = plain(body.get("description"))
    found = SEVERITY_RE.search(description)
    if found:
        return found.group(1)
    return "public" if "public access" in description else "active"


def findings_rules(ctx: Context) -> None:
    for name, (service, targets) in RULES.items():
        for address, before, after in ctx.pairs("aws_cloudwatch_event_rule"):
            if not address.endswith(f"aws_cloudwatch_event_rule.{name}"):
                continue
            block = after or before
            area = area_of(block.module)
            if before is None or after is None:
                ctx.cover_block_and_instances(address)
                for target in targets:
                    ctx.cover_block_and_instances(join(block.module, f"aws_cloudwatch_event_target.{target}"))
                # the forwarding role's trust lists the rules that may assume it: it only restates the rule's line
                ctx.cover(join(block.module, "data.aws_iam_policy_document.findings_forwarding_trust"))
                what = threshold(block.body)
                scope = "every active finding" if what == "active" else "active findings that grant public access" if what == "public" else f"findings of severity {what} or higher"
                if after is not None:
                    ctx.add(area, "added", f"{service} findings reach the alarm topic: {scope}{presence('findings.notification', True)}", [address])
                else:
                    ctx.add(area, "removed", f"{service} findings notify no one (they were: {scope}){presence('findings.notification', False)}", [address])
                continue
            old, new = threshold(before.body), threshold(after.body)
            if old != new:
                ctx.cover(address)
                ctx.add(area, "changed", f"{service} findings notify from {old} -> {new}{verdict('findings.notify_threshold', old, new)}", [address])
