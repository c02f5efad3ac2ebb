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
# rule -> the service's own resource: a rule that comes or goes with its service is said by the service's line
SERVICES = {"guardduty_findings": "aws_guardduty_detector.this", "security_hub_findings": "aws_securityhub_account.this",
            "inspector_findings": "aws_inspector2_enabler.this", "access_analyzer_findings": "aws_accessanalyzer_analyzer.this"}
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
                if (ctx.block("old", join(block.module, SERVICES[name])) is None) != (ctx.block("new", join(block.module, SERVICES[name])) is None):
                    continue  # the service itself turned on or off
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


# criteria block -> the profile's key for it
CRITERIA = {"compliance_security_control_id": "controls", "product_name": "products", "aws_account_id": "accounts", "resource_id": "resources"}


def _rule_effect(body: dict) -> tuple[str, bool]:
    """(what the rule does in words, whether it suppresses), read from the block."""
    from .automation import PRODUCTS
    names = {v: k for k, v in PRODUCTS.items()}
    criteria = (body.get("criteria") or [{}])[0]
    where = []
    for block, key in CRITERIA.items():
        values = [plain(c.get("value")) + ("*" if plain(c.get("comparison")) == "PREFIX" else "") for c in criteria.get(block) or []]
        if values:
            where.append(f"{key} {', '.join(names.get(v, v) if key == 'products' else v for v in values)}")
    update = ((body.get("actions") or [{}])[0].get("finding_fields_update") or [{}])[0]
    suppress = plain(((update.get("workflow") or [{}])[0]).get("status")) == "SUPPRESSED"
    what = "suppresses" if suppress else f"sets severity {plain(((update.get('severity') or [{}])[0]).get('label')).lower()} on"
    return f"{what} findings of {'; '.join(where)}", suppress


def automation_rules(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_securityhub_automation_rule"):
        block = after or before
        area, subject = area_of(block.module), f"Security Hub automation rule `{plain(block.body.get('rule_name'))}`"
        reason = plain(block.body.get("description"))
        if before is not None and after is not None:
            old, new = _rule_effect(before.body), _rule_effect(after.body)
            if (old, plain(before.body.get("description"))) == (new, reason):
                continue  # its order or tags: the generic lines say it
            ctx.cover(address)
            ctx.add(area, "changed", f"{subject} now {new[0]}" + (presence("securityhub.suppression", True) if new[1] and not old[1] else "") + f": {reason}", [address])
            continue
        ctx.cover_block_and_instances(address)
        effect, suppress = _rule_effect(block.body)
        if after is not None:
            ctx.add(area, "added", f"{subject} added: {effect}" + (presence("securityhub.suppression", True) if suppress else "") + f": {reason}", [address])
        else:
            ctx.add(area, "removed", f"{subject} removed: " + ("its findings notify again" + presence("securityhub.suppression", False)
                                                              if suppress else "its findings keep their own severity"), [address])


def _buckets(call) -> dict[str, str]:
    """Bucket -> Region of a module call's ``malware_protection_buckets`` input."""
    value = (call or {}).get("malware_protection_buckets")
    if not isinstance(value, dict):
        return {}
    return {plain(k): plain((v or {}).get("region")) if isinstance(v, dict) else "" for k, v in value.items() if k != "__is_block__"}


MALWARE_BLOCKS = ("aws_guardduty_malware_protection_plan.s3", "aws_iam_role.malware_protection_s3", "aws_iam_role_policy.malware_protection_s3",
                  "data.aws_iam_policy_document.malware_protection_s3", "data.aws_iam_policy_document.malware_protection_s3_trust")
MALWARE_LOCALS = ("malware_protection_bucket_arns", "malware_protection_kms_keys", "malware_protection_rules")


def malware_rules(ctx: Context) -> None:
    """GuardDuty Malware Protection for S3, by bucket, from the module inputs of each account's root. The module's
    plan, role and policy blocks only restate them (they appear in a module when some account it serves has buckets)."""
    for address, before, after in ctx.pairs("aws_guardduty_malware_protection_plan"):
        if before is None or after is None:
            module = (after or before).module
            for name in MALWARE_BLOCKS + (("data.aws_caller_identity.current", "data.aws_partition.current")
                                          if module.endswith("account_detection") else ()):
                ctx.cover_block_and_instances(join(module, name))
            for name in MALWARE_LOCALS + (("account_id", "partition") if module.endswith("account_detection") else ()):
                ctx.cover_local(module, name)
    for prefix in sorted(set(ctx.old.modules) | set(ctx.new.modules)):
        old_module, new_module = ctx.old.modules.get(prefix), ctx.new.modules.get(prefix)
        old = _buckets(old_module.call if old_module else None)
        new = _buckets(new_module.call if new_module else None)
        if old == new:
            continue
        plan = join(prefix, "aws_guardduty_malware_protection_plan.s3")
        for name in MALWARE_BLOCKS:
            ctx.cover_block_and_instances(join(prefix, name))  # the role and its policy exist exactly while the account has buckets
        for bucket in sorted(set(new) - set(old)):
            ctx.add(area_of(prefix), "added", f"GuardDuty Malware Protection for S3 on bucket `{bucket}` ({new[bucket]}): new objects scanned and tagged"
                    + presence("guardduty.malware_protection_s3", True), [plan])
        for bucket in sorted(set(old) - set(new)):
            ctx.add(area_of(prefix), "removed", f"GuardDuty Malware Protection for S3 no longer scans bucket `{bucket}` ({old[bucket]})"
                    + presence("guardduty.malware_protection_s3", False), [plan])
