"""CloudTrail and S3 buckets in the summary: trail settings, event selectors, log groups, bucket hardening."""

from __future__ import annotations

from ...review.context import Context, area_of, reference, sibling
from ...review.direction import presence
from ...review.names import type_name
from ...review.reach import account_names
from ...review.policies import document, statement_phrases
from ...review.tree import Block
from ...review.values import Field, describe_changes, identity, plain

TRAIL_FIELDS = {
    "is_multi_region_trail": Field("multi-Region", "switch", rule="trail.multi_region"),
    "enable_log_file_validation": Field("log file validation", "switch", rule="trail.log_file_validation"),
    "include_global_service_events": Field("global service events", "switch", rule="trail.global_service_events"),
    "enable_logging": Field("logging", "switch", rule="trail.logging"),
    "is_organization_trail": Field("organization trail", "switch", rule="trail.organization"),
    "kms_key_id": Field("KMS key"),
    "s3_bucket_name": Field("bucket"),
    "cloud_watch_logs_group_arn": Field("CloudWatch Logs group"),
}
SATELLITES = {
    "aws_s3_bucket_public_access_block": "public access block",
    "aws_s3_bucket_ownership_controls": "object ownership",
    "aws_s3_bucket_versioning": "versioning",
    "aws_s3_bucket_object_lock_configuration": "object lock",
    "aws_s3_bucket_policy": "bucket policy",
    "aws_s3_bucket_server_side_encryption_configuration": "default encryption",
    "aws_s3_bucket_logging": "access logging",
    "aws_s3_bucket_lifecycle_configuration": "lifecycle",
    "aws_s3_bucket_replication_configuration": "replication",
}
SATELLITE_FIELDS = {
    "block_public_acls": Field("block_public_acls", "switch", rule="bucket.public_access_block"),
    "block_public_policy": Field("block_public_policy", "switch", rule="bucket.public_access_block"),
    "ignore_public_acls": Field("ignore_public_acls", "switch", rule="bucket.public_access_block"),
    "restrict_public_buckets": Field("restrict_public_buckets", "switch", rule="bucket.public_access_block"),
    "versioning_configuration.status": Field("status", rule="bucket.versioning"),
    "versioning_configuration.mfa_delete": Field("MFA delete", rule="bucket.mfa_delete"),
}
BUCKET_FIELDS = {"force_destroy": Field("force_destroy", "switch", rule="bucket.force_destroy"), "object_lock_enabled": Field("object lock", "switch", rule="bucket.object_lock"),
                 "bucket": Field("name")}


def logging_rules(ctx: Context) -> None:
    _trails(ctx)
    _buckets(ctx)


def _trails(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_cloudtrail"):
        block = after or before
        area, subject = area_of(block.module), f"trail `{plain(block.body.get('name'))}`"
        ctx.cover(address)
        if before is None:
            on = [f.label for k, f in TRAIL_FIELDS.items() if f.kind == "switch" and after.body.get(k) is True]
            ctx.add(area, "added", f"{subject} added ({', '.join(on) or 'defaults'})", [address])
            continue
        if after is None:
            ctx.add(area, "removed", f"{subject} removed: API activity is no longer recorded", [address])
            continue
        if plain(before.body.get("name")) != plain(after.body.get("name")):
            ctx.add(area, "changed", f"trail `{plain(before.body.get('name'))}` renamed to `{plain(after.body.get('name'))}`", [address])
        for phrase in describe_changes(before.body, after.body, TRAIL_FIELDS, ignore=("advanced_event_selector", "name")):
            ctx.add(area, "changed", f"{subject}: {phrase}", [address])
        a = {identity(s) or str(i): s for i, s in enumerate(before.body.get("advanced_event_selector") or [])}
        b = {identity(s) or str(i): s for i, s in enumerate(after.body.get("advanced_event_selector") or [])}
        for name in [n for n in b if n not in a]:
            ctx.add(area, "added", f"{subject}: event selector `{name}` added{presence('trail.event_selector', True)}", [address])
        if a and not b:
            ctx.add(area, "removed", f"{subject}: event selectors removed: management events only (the default), no data events"
                                     + presence("trail.event_selector", False), [address])
            continue
        for name in [n for n in a if n not in b]:
            ctx.add(area, "removed", f"{subject}: event selector `{name}` removed{presence('trail.event_selector', False)}", [address])
        for name in [n for n in b if n in a and a[n] != b[n]]:
            for phrase in describe_changes(a[name], b[name], {}):
                ctx.add(area, "changed", f"{subject}: event selector `{name}` {phrase}", [address])
    for address, before, after in ctx.pairs("aws_cloudwatch_log_group"):
        block = after or before
        area, subject = area_of(block.module), f"log group `{plain(block.body.get('name'))}`"
        ctx.cover(address)
        fields = {"retention_in_days": Field("retention", unit=" days", rule="logs.retention"), "kms_key_id": Field("KMS key")}
        if before is None or after is None:
            verb = "added" if before is None else "removed"
            ctx.add(area, verb, f"{subject} {verb}", [address])
        else:
            for phrase in describe_changes(before.body, after.body, fields):
                ctx.add(area, "changed", f"{subject}: {phrase}", [address])


def _satellites(ctx: Context, side: str, bucket: Block) -> dict[str, Block]:
    """The bucket's public access block, versioning, policy, ... (``bucket = aws_s3_bucket.<name>.id``)."""
    tree = ctx.old if side == "old" else ctx.new
    out = {}
    for address, block in tree.blocks.items():
        name = reference(block.body.get("bucket"), "aws_s3_bucket") if block.type in SATELLITES else None
        if name and ctx.resolve(side, sibling(block, "aws_s3_bucket", name)) == bucket.address:
            out[address] = block
    return out


def _buckets(ctx: Context) -> None:
    for address, before, after in ctx.pairs("aws_s3_bucket"):
        block = after or before
        area, subject = area_of(block.module), f"bucket `{plain(block.body.get('bucket'))}`"
        old_parts = _satellites(ctx, "old", before) if before else {}
        new_parts = _satellites(ctx, "new", after) if after else {}
        ctx.cover(address)
        if before is None or after is None:
            parts = new_parts if before is None else old_parts
            for part in parts.values():
                ctx.cover(part.address, *filter(None, [document(ctx, "new" if before is None else "old", part)[0]]))
            if before is None:
                hardening = ", ".join(SATELLITES[t] for t in SATELLITES if any(p.type == t for p in parts.values()))
                ctx.add(area, "added", f"{subject} added" + (f" ({hardening})" if hardening else ""), [address])
            else:
                protected = plain((before.body.get("lifecycle") or [{}])[0].get("prevent_destroy")) == "true"
                note = " (prevent_destroy: the plan fails until it is lifted)" if protected else ""
                ctx.add(area, "removed", f"{subject} removed{note}", [address])
            continue
        if plain(before.body.get("bucket")) != plain(after.body.get("bucket")):
            subject = f"bucket `{plain(before.body.get('bucket'))}` (now `{plain(after.body.get('bucket'))}`)"
        for phrase in describe_changes(before.body, after.body, BUCKET_FIELDS):
            ctx.add(area, "changed", f"{subject}: {phrase}", [address])
        for part_address in sorted(set(old_parts) | set(new_parts)):
            _satellite(ctx, area, subject, part_address, old_parts.get(part_address), new_parts.get(part_address))


def _satellite(ctx: Context, area: str, subject: str, address: str, before: Block | None, after: Block | None) -> None:
    block = after or before
    title = SATELLITES[block.type]
    doc_old, body_old = document(ctx, "old", before)
    doc_new, body_new = document(ctx, "new", after)
    ctx.cover(address, *filter(None, (doc_old, doc_new)))
    if before is None or after is None:
        verb = "added" if before is None else "removed"
        words = presence("bucket.hardening", verb == "added") if block.type != "aws_s3_bucket_lifecycle_configuration" else ""
        ctx.add(area, verb, f"{subject}: {title} {verb}{words}", [address])
        return
    for phrase in describe_changes(before.body, after.body, SATELLITE_FIELDS, ignore=("bucket", "policy", "depends_on")):
        ctx.add(area, "changed", f"{subject}: {title}: {phrase}", [address])
    for _, phrase in statement_phrases(body_old, body_new, names=account_names(ctx)):
        ctx.add(area, "changed", f"{subject}: {title} {phrase}", [address])


def document_rules(ctx: Context) -> None:
    """Policy documents no other rule explained, under the name of what uses them."""
    for address, before, after in ctx.pairs("aws_iam_policy_document", "data"):
        if ctx.covered(address):
            continue
        ctx.cover(address)
        if before is None or after is None or before.body == after.body:
            continue  # added or removed with the resource that uses it; or the same
        block = after
        subject = _document_user(ctx, block) or f"policy document `{address}`"
        for action, phrase in statement_phrases(before.body, after.body, names=account_names(ctx)):
            ctx.add(area_of(block.module), action, f"{subject}: {phrase}", [address])


def _document_user(ctx: Context, doc: Block) -> str | None:
    for side in (ctx.new, ctx.old):
        for block in side.blocks.values():
            if block.module != doc.module or block.mode != "resource":
                continue
            for attribute in ("policy", "assume_role_policy"):
                if reference(block.body.get(attribute), "data.aws_iam_policy_document") == doc.name:
                    name = plain(block.body["name"]) if "name" in block.body else block.name
                    trust = " trust policy" if attribute == "assume_role_policy" else ""
                    return f"{type_name(block.type)} `{name}`{trust}"
    return None

