"""CIS logging controls: the trail, its bucket, KMS, AWS Config and Security Hub."""

from __future__ import annotations

from .context import Context
from .model import Verdict, covered, off, partial
from ..validate.hclcheck import unquote
from .rendered import Found, literal, nested
from .storage import companions

_TRAIL_KEY = "logging.cloudtrail"


def _trails(ctx: Context) -> list[Found]:
    return ctx.found("aws_cloudtrail")


def _no_trail() -> Verdict:
    return off(f"{_TRAIL_KEY}.enabled", "no trail is rendered: set logging.cloudtrail.enabled: true")


def _trail_attribute(ctx: Context, good, key: str, what: str) -> Verdict:
    trails = _trails(ctx)
    if not trails:
        return _no_trail()
    if not all(good(t.body) for t in trails):
        return off(key, f"{what}: set {key}: true") if key else partial(what, ctx.cite(trails))
    return covered(ctx.cite(trails))


def trail_all_regions(ctx: Context) -> Verdict:
    trails = _trails(ctx)
    if not trails:
        return _no_trail()
    terraform_defaults = {"is_multi_region_trail": False, "include_global_service_events": True, "enable_logging": True}
    weak = [f for f, default in terraform_defaults.items() if not all(t.body.get(f, default) is True for t in trails)]
    if weak:
        return partial(f"{', '.join(weak)} not true", ctx.cite(trails))
    org = [t for t in trails if t.body.get("is_organization_trail") is True]
    return covered(ctx.cite(trails), "an organisation trail: every account of the organisation" if org else "")


def log_file_validation(ctx: Context) -> Verdict:
    return _trail_attribute(ctx, lambda b: b.get("enable_log_file_validation") is True,
                            f"{_TRAIL_KEY}.log_file_validation", "log file validation is off")


def trail_to_cloudwatch(ctx: Context) -> Verdict:
    return _trail_attribute(ctx, lambda b: bool(b.get("cloud_watch_logs_group_arn")) and bool(b.get("cloud_watch_logs_role_arn")),
                            "", "the trail does not deliver to CloudWatch Logs")


def trail_kms(ctx: Context) -> Verdict:
    return _trail_attribute(ctx, lambda b: bool(b.get("kms_key_id")), "", "the trail's log files are not encrypted with a KMS key")


def _trail_buckets(ctx: Context) -> list[Found]:
    """The buckets the trails write to (a reference in the same module, or a literal name of a bucket anywhere)."""
    out = []
    for trail in _trails(ctx):
        target = str(trail.body.get("s3_bucket_name", ""))
        for bucket in ctx.found("aws_s3_bucket"):
            if (bucket.module == trail.module and target in (f"${{aws_s3_bucket.{bucket.name}.id}}", f"${{aws_s3_bucket.{bucket.name}.bucket}}")) \
                    or literal(bucket.body, "bucket") == literal(trail.body, "s3_bucket_name"):
                out.append(bucket)
    return out


def trail_bucket_private(ctx: Context) -> Verdict:
    if not _trails(ctx):
        return _no_trail()
    buckets = _trail_buckets(ctx)
    flags = ("block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets")
    blocks = [c for b in buckets for c in companions(ctx, b, "aws_s3_bucket_public_access_block") if all(c.body.get(f) is True for f in flags)]
    if not buckets or len(blocks) < len(buckets):
        return partial("the trail bucket has no public access block with all four settings on", ctx.cite(buckets))
    return covered(ctx.cite(buckets) + ctx.cite(blocks))


def trail_bucket_logging(ctx: Context) -> Verdict:
    if not _trails(ctx):
        return _no_trail()
    buckets = _trail_buckets(ctx)
    logging = [c for b in buckets for c in companions(ctx, b, "aws_s3_bucket_logging")]
    if not buckets or len(logging) < len(buckets):
        return partial("no server access logging on the trail bucket", ctx.cite(buckets))
    return covered(ctx.cite(logging))


def config_recording(ctx: Context) -> Verdict:
    recorders = ctx.found("aws_config_configuration_recorder")
    if not recorders:
        return off("config.enabled", "AWS Config is not rendered: set config.enabled: true")
    groups = [g for r in recorders for g in nested(r.body, "recording_group")]
    if not all(g.get("all_supported") is True for g in groups):
        return partial("the recorders do not record all supported resource types", ctx.cite(recorders))
    enabled = ctx.found("aws_config_configuration_recorder_status", lambda b: b.get("is_enabled") is True)
    channels = ctx.found("aws_config_delivery_channel")
    evidence = ctx.cite(recorders) + ctx.cite(enabled) + ctx.cite(channels)
    if not enabled or not channels:
        return partial("a recorder is not started or has no delivery channel", evidence)
    return ctx.everywhere(recorders, evidence)


def key_rotation(ctx: Context) -> Verdict:
    keys = ctx.found("aws_kms_key", lambda b: literal(b, "customer_master_key_spec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT")
    if not keys:
        return covered((), "the baseline creates no customer managed symmetric key")
    unrotated = [k for k in keys if k.body.get("enable_key_rotation") is not True]
    if unrotated:
        names = ", ".join(k.name for k in unrotated)
        return partial(f"rotation is off for key(s) {names} (encryption.keys[].rotation)", ctx.cite(keys), "encryption.keys[].rotation")
    return covered(ctx.cite(keys))


def _s3_data_events(ctx: Context, read_only: str) -> Verdict:
    trails = _trails(ctx)
    if not trails:
        return _no_trail()
    key = f"{_TRAIL_KEY}.data_events.s3"
    selectors = [s for t in trails for s in nested(t.body, "advanced_event_selector")]

    def fields(selector) -> dict:
        return {literal(f, "field"): f for f in nested(selector, "field_selector")}

    s3 = [s for s in selectors if [unquote(v) for v in fields(s).get("resources.type", {}).get("equals", [])] == ["AWS::S3::Object"]]
    matching = [s for s in s3 if "readOnly" not in fields(s) or [unquote(v) for v in fields(s)["readOnly"].get("equals", [])] == [read_only]]
    if not matching:
        kind = "write" if read_only == "false" else "read"
        return off(key, f"no S3 object-level {kind} events are logged: set {key} to {kind} or all")
    scoped = [s for s in matching if any(fields(s).get("resources.ARN", {}).get(op) for op in ("equals", "starts_with"))]
    if scoped:
        return partial("only the buckets in logging.cloudtrail.data_events.s3_buckets are logged; CIS asks for every bucket",
                       ctx.cite(trails), f"{_TRAIL_KEY}.data_events.s3_buckets")
    return covered(ctx.cite(trails), "every bucket except the baseline's own log buckets")


def s3_write_events(ctx: Context) -> Verdict:
    return _s3_data_events(ctx, "false")


def s3_read_events(ctx: Context) -> Verdict:
    return _s3_data_events(ctx, "true")


def security_hub(ctx: Context) -> Verdict:
    hubs = ctx.found("aws_securityhub_account")
    if not hubs:
        return off("detection.security_hub.enabled", "Security Hub is not rendered: set detection.security_hub.enabled: true")
    if ctx.tree.organization:
        return organisation_hub(ctx, hubs)
    return ctx.everywhere(hubs, ctx.cite(hubs))


def organisation_hub(ctx: Context, hubs: list[Found]) -> Verdict:
    """Judged for every account from what the administrator renders: central configuration with policies that run
    standards and reach each account (the root reaches all), else local configuration (members run no standard)."""
    central = ctx.found("aws_securityhub_organization_configuration",
                        lambda b: any(literal(c, "configuration_type") == "CENTRAL" for c in nested(b, "organization_configuration")))
    members = ctx.found("aws_securityhub_member")
    if not central:
        auto = ctx.found("aws_securityhub_organization_configuration", lambda b: b.get("auto_enable") is True)
        return partial("member accounts have Security Hub but run no standard (local configuration): their Security Hub checks "
                       "nothing; central configuration needs a security account", ctx.cite(hubs) + ctx.cite(auto) + ctx.cite(members[:1]),
                       "detection.security_hub.configuration")
    running = {f.address.split("[", 1)[0].rsplit(".", 1)[1] for f in ctx.found(
        "aws_securityhub_configuration_policy", lambda b: any(c.get("service_enabled") is True and c.get("enabled_standard_arns")
                                                            for c in nested(b, "configuration_policy")))}
    associations = [f for f in ctx.found("aws_securityhub_configuration_policy_association") if f.name in running]
    targets = {str(f.body.get("target_id")) for f in associations}
    evidence = ctx.cite(hubs[:1]) + ctx.cite(central) + ctx.cite(associations)
    if any("roots[0].id" in t for t in targets):
        return ctx.everywhere(associations, evidence, "central configuration: every account, present and future, runs its policy's standards", accounts=False)
    ids = {unquote(t) for t in targets}
    missing = [a.name for a in ctx.profile.organization.accounts if a.id not in ids]
    if missing:
        return partial(f"no configuration policy with a standard reaches {ctx.accounts_text(missing)}", evidence, "detection.security_hub.apply_to")
    return ctx.everywhere(associations, evidence, "central configuration: every account of the profile runs its policy's standards (accounts that join later: none)", accounts=False)
