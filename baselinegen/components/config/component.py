"""AWS Config component: a recorder, a delivery channel and managed rules in every Region, one hardened bucket."""

from __future__ import annotations

from dataclasses import replace

from .rules import BY_NAME, PASSWORD_POLICY_RULE, parameter_string, password_policy_parameters
from ...policy.document import ACCOUNT_TOKEN, Condition, PolicyDocument, Principal, Statement
from ...profile.adopt import config_names
from ...profile.model import BucketLifecycle, Config, ConfigRule, Profile
from ...profile.regions import partition_of
from . import schema as config_schema
from ..base import AcceptedFinding, Component, ComponentOutput, Control, KeyUsage, ModuleCall, render_module
from ..cloudtrail.component import LOG_BUCKET_SKIPS
from ..cloudtrail.component import MODULE as CLOUDTRAIL_MODULE
from ..cloudtrail.policies import bucket_arn, deny_insecure_transport, deny_log_deletion
from ..iam.component import COMPONENT as IAM
from ..kms.component import key_arn_expression
from ..monitoring.render import BENCHMARK_TITLES
from ..regional import REGIONS_INPUT
from ...render.filters import hcl_string
from .invariants import config_problems
from .. import trusted_access as access
from .. import control_tower

MODULE = "config"
CONFIG = (Principal("Service", ("config.amazonaws.com",)),)
SKIP_NO_ACCESS_LOGS = ("CKV_AWS_18", "no server access logs: the account's access-log bucket belongs to the CloudTrail module, which the profile turns off (logging.cloudtrail.enabled: false)")
SKIP_NO_ACCESS_LOGS_CONTROL_TOWER = ("CKV_AWS_18", "no server access logs: in Control Tower mode the baseline renders no access-log bucket (Control Tower's log archive bucket takes the trail's and its recorders' files); this bucket holds the management account's Config files only")
SKIP_GLOBAL_RESOURCES = {
    "home": ("CKV2_AWS_48", "global (IAM) resource types are recorded once, by the home Region's recorder (config.global_resources: home); every other Region would record the same IAM configuration items again"),
    "none": ("CKV2_AWS_48", "the profile records global (IAM) resource types in no Region (config.global_resources: none)"),
}
DELIVERY_EVERY = {"One_Hour": "hour", "Three_Hours": "3 hours", "Six_Hours": "6 hours", "Twelve_Hours": "12 hours",
                  "TwentyFour_Hours": "24 hours"}

OUTPUTS = (
    ("config_bucket_name", "Bucket that receives AWS Config's configuration history and snapshots."),
    ("config_recorder_names", "Name of the configuration recorder of every Region."),
)
ORGANIZATION_OUTPUTS = OUTPUTS[1:]  # the bucket is the log_archive module's


def _rules(data: dict) -> tuple[ConfigRule, ...]:
    """The preset's rules (minus exclusions) with explicit parameters laid over the preset's, then the other
    explicit rules. iam-password-policy's parameters always come from iam.password_policy."""
    rules = data["config"]["rules"]
    explicit = {entry["name"]: entry["parameters"] for entry in rules["extra"]}
    out = []
    for name in config_schema.active_rule_names(rules):
        spec = BY_NAME[name]
        if name == PASSWORD_POLICY_RULE:
            values = password_policy_parameters(IAM.build(data).password_policy)
        else:
            values = {**(spec.cis_preset or {}), **explicit.get(name, {})} if rules["preset"] == "cis" else dict(explicit.get(name, {}))
        parameters = tuple(sorted((key, parameter_string(spec.parameter(key), value)) for key, value in values.items()))
        out.append(ConfigRule(name, spec.source_identifier, parameters, spec.home_region_only))
    return tuple(out)


def _map(names: dict[str, str]) -> str:
    return "{ " + ", ".join(f"{hcl_string(r)} = {hcl_string(n)}" for r, n in sorted(names.items())) + " }"


def adopted_name_inputs(raw_adopt, regions) -> tuple[tuple[str, str], ...]:
    """The recorder_names / delivery_channel_names inputs of an account whose ``adopt`` entry of config names an
    existing recorder or channel: they keep their names (a new name would replace them); () when none does."""
    recorders, channels = config_names(raw_adopt, regions)
    return (((("recorder_names", _map(recorders)),) if recorders else ())
            + ((("delivery_channel_names", _map(channels)),) if channels else ()))


def config_bucket_policy(config: Config) -> PolicyDocument:
    bucket = config.bucket_name
    account = Condition("StringEquals", "aws:SourceAccount", (ACCOUNT_TOKEN,))
    return PolicyDocument(
        name="config_bucket", description="TLS only; files cannot be deleted; AWS Config of this account may check the bucket and write its own files.",
        statements=(
            deny_insecure_transport(bucket),
            deny_log_deletion(bucket),
            Statement("AWSConfigBucketPermissionsCheck", actions=("s3:GetBucketAcl",), resources=(bucket_arn(bucket),),
                      principals=CONFIG, conditions=(account,)),
            Statement("AWSConfigBucketExistenceCheck", actions=("s3:ListBucket",), resources=(bucket_arn(bucket),),
                      principals=CONFIG, conditions=(account,)),
            Statement("AWSConfigBucketDelivery", actions=("s3:PutObject",),
                      resources=(bucket_arn(bucket) + f"/AWSLogs/{ACCOUNT_TOKEN}/Config/*",), principals=CONFIG,
                      conditions=(Condition("StringEquals", "s3:x-amz-acl", ("bucket-owner-full-control",)), account)),
        ),
    )


def rule_description(name: str, benchmark: str) -> str:
    spec = BY_NAME[name]
    refs = [f"{BENCHMARK_TITLES[benchmark]} {spec.cis_ids(benchmark)}"] if spec.cis_ids(benchmark) else []
    refs += [f"Security Hub {spec.security_hub}"] if spec.security_hub else []
    return f"AWS managed rule {spec.source_identifier}" + (f" ({'; '.join(refs)})." if refs else ".")


class ConfigComponent(Component):
    id = "config"
    title = "AWS Config recorders, delivery bucket and managed rules"
    SCHEMA = config_schema.SCHEMA

    def check(self, data, doc):
        return config_schema.check(data, doc)

    def build(self, data: dict) -> Config:
        c = data["config"]
        bucket = c["bucket"]
        return Config(
            enabled=c["enabled"], global_resources=c["global_resources"], delivery_frequency=c["delivery_frequency"],
            kms_key=c["kms_key"], bucket_name=bucket.get("name") or f"{data['organization']['name']}-config-{ACCOUNT_TOKEN}",
            lifecycle=BucketLifecycle(transition_days=bucket["transition_days"], storage_class=bucket["storage_class"],
                                      expiration_days=bucket["expiration_days"], noncurrent_expiration_days=bucket["noncurrent_expiration_days"]),
            retention_days=c["retention_days"], preset=c["rules"]["preset"], rules=_rules(data) if c["enabled"] else (),
        )

    def key_usages(self, profile: Profile) -> list[KeyUsage]:
        config = profile.config
        bucket = profile.log_archive.config_bucket_name if profile.organization.accounts else config.bucket_name
        return [KeyUsage(config.kms_key, "config", bucket_arn(bucket))] if config.enabled else []

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return config_problems(parsed, profile)

    def trusted_access(self, profile: Profile):
        if control_tower.on(profile):
            return ()  # Control Tower's trusted access (config.amazonaws.com) and its own Config delegated administrator
        return (access.CONFIG, access.CONFIG_MULTIACCOUNT) if profile.config.enabled else ()

    def render(self, profile: Profile) -> ComponentOutput:
        config = profile.config
        if not config.enabled:
            return ComponentOutput()
        access_logs = profile.cloudtrail.enabled
        bucket_skips = LOG_BUCKET_SKIPS + (() if access_logs else (SKIP_NO_ACCESS_LOGS,))
        out, context = self._output(profile, bucket_skips, None)
        named = adopted_name_inputs(profile.raw.get("adopt"), profile.organization.regions)
        context.update(access_logs=access_logs, bucket_skips=bucket_skips, policies=[config_bucket_policy(config)], adopted_names=bool(named))
        if access_logs:
            out.module = replace(out.module, inputs=out.module.inputs + (("access_log_bucket", f"module.{CLOUDTRAIL_MODULE}.access_log_bucket_name"),))
        out.module = replace(out.module, inputs=out.module.inputs + named)
        out.files += render_module(MODULE, ("main.tf", "rules.tf", "bucket.tf", "policies.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"), context)
        return out

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        """Every account: recorder, delivery channel and rules; the channel delivers to the log-archive account's
        Config bucket (module log_archive) by its literal name, encrypted with this account's copy of the key."""
        if not profile.config.enabled:
            return []
        tower = control_tower.on(profile)
        out, context = self._output(profile, (), {"config_bucket": profile.log_archive.config_bucket_name, "control_tower": tower})
        raw = {a.get("name"): a.get("adopt") for a in profile.raw.get("accounts") or () if isinstance(a, dict)}
        named = {a.name: inputs for a in profile.organization.accounts
                 for inputs in [adopted_name_inputs(raw.get(a.name), a.regions)] if inputs}
        context.update(access_logs=False, adopted_names=bool(named))
        # Control Tower's recorder records the enrolled accounts: their roots pass create_recorder = false
        recorder = {a.name: (("create_recorder", "false" if control_tower.enrolled(a) else "true"),)
                    for a in profile.organization.accounts} if tower else {}
        out.module = replace(out.module, account_inputs=tuple(
            (a.name, recorder.get(a.name, ()) + named.get(a.name, ())) for a in profile.organization.accounts
            if a.name in recorder or a.name in named))
        out.files += render_module(MODULE, ("main.tf", "rules.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"), context)
        return [out]

    def _output(self, profile: Profile, bucket_skips: tuple, organization: dict | None) -> tuple[ComponentOutput, dict]:
        """The module's call (without the access-log input), accepted findings and controls, and the shared part of
        the context its templates render with."""
        config = profile.config
        address = f"module.{MODULE}"
        recorder_skips = [SKIP_GLOBAL_RESOURCES[config.global_resources]] if config.global_resources in SKIP_GLOBAL_RESOURCES else []
        findings = [AcceptedFinding(c, f"{address}.aws_s3_bucket.config", r) for c, r in bucket_skips]
        findings += [AcceptedFinding(c, f"{address}.aws_config_configuration_recorder.this", r) for c, r in recorder_skips]
        benchmark = profile.monitoring.benchmark
        context = {
            "source": profile.source, "partition": partition_of(profile.organization.home_region),
            "home_region": profile.organization.home_region, "config": config, "recorder_skips": recorder_skips,
            "rules": [(rule, rule_description(rule.name, benchmark), BY_NAME[rule.name]) for rule in config.rules],
            "benchmark": benchmark, "benchmark_title": BENCHMARK_TITLES[benchmark],
            "delivery_every": DELIVERY_EVERY[config.delivery_frequency],
            "explicit_only": any(BY_NAME[rule.name].cis_preset is None for rule in config.rules),
            "organization": organization,
            "recorder_regions": "var.create_recorder ? var.regions : toset([])" if organization and organization.get("control_tower") else "var.regions",
        }
        inputs = (REGIONS_INPUT, ("kms_key_arn", key_arn_expression(config.kms_key)))
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", ORGANIZATION_OUTPUTS if organization else OUTPUTS, inputs),
                              accepted_findings=sorted(findings, key=lambda f: (f.address, f.check_id)))
        bucket = organization["config_bucket"] if organization else config.bucket_name
        where = {"home": f"global resource types recorded in the home Region `{profile.organization.home_region}`",
                 "all": "global resource types recorded in every Region", "none": "global resource types not recorded"}[config.global_resources]
        how = f"recorder (all supported resource types; {where}) and delivery to the KMS-encrypted bucket `{bucket}`, in every Region of the {'account' if organization else 'profile'}"
        if organization and organization.get("control_tower"):
            how = (f"Control Tower's recorder `{control_tower.RECORDER}` in every enrolled account (relies on Control Tower); the "
                   f"accounts Control Tower does not record (the management account, `control_tower: false`): {how}")
        out.controls = [Control("AWS Config in every Region", how, (("cis-1.2", "2.5"), ("cis-1.4", "3.5"), ("cis-3.0", "3.3")))]
        if config.rules:
            named = sum(BY_NAME[rule.name].cis_preset is None or config.preset != "cis" for rule in config.rules)
            source = ", ".join(part for part in ("the cis preset" if config.preset == "cis" else "", f"{named} named in the profile" if named else "") if part)
            out.controls.append(Control("AWS Config managed rules", f"{len(config.rules)} rules ({source}); the module README lists the CIS items each one backs"))
        return out, context


COMPONENT = ConfigComponent()
