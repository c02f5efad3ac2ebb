"""Log archive (organisation layout only): the hardened buckets that receive the organisation trail's log files and
every account's AWS Config files, in the log-archive account (the management account when the profile has none).

A single-account baseline keeps these buckets in the cloudtrail and config modules; this component renders nothing
there. Bucket names and the settings of the buckets come from ``logging.cloudtrail.bucket`` and ``config.bucket``,
with the log-archive account's id in place of ``<account>``."""

from __future__ import annotations

from ...policy.document import ACCOUNT_TOKEN
from ...profile.model import LogArchive, Profile
from ...profile.regions import partition_of
from ..base import AcceptedFinding, Component, ComponentOutput, ModuleCall, render_module
from ..cloudtrail.component import ACCESS_LOG_BUCKET_SKIPS, LOG_BUCKET_SKIPS, bucket_controls
from ..cloudtrail.component import COMPONENT as CLOUDTRAIL
from ..config.component import COMPONENT as CONFIG
from ..config.component import SKIP_NO_ACCESS_LOGS, SKIP_NO_ACCESS_LOGS_CONTROL_TOWER
from .. import control_tower
from ..kms.component import key_arn_expression
from .policies import (organization_access_log_policy, organization_config_bucket_policy,
                                   organization_trail_arn, organization_trail_bucket_policy)
from .invariants import log_archive_problems

MODULE = "log_archive"
ARCHIVE_ROLE = "log-archive"
FALLBACK_ROLE = "management"  # keeps the log-archive duties when the profile has no log-archive account (W427)


def archive_placement(profile: Profile) -> frozenset[str]:
    return frozenset({profile.log_archive.account_role})


class LogArchiveComponent(Component):
    id = "log_archive"
    title = "Log archive: the organisation's trail, access-log and AWS Config buckets"
    SCHEMA: dict = {}  # no profile section of its own: logging.cloudtrail.bucket and config.bucket

    def build(self, data: dict) -> LogArchive:
        accounts = data.get("accounts") or []
        if not accounts:
            return LogArchive()
        by_role = {account["role"]: account for account in accounts}  # validated: one management, at most one log-archive
        archive = by_role.get(ARCHIVE_ROLE) or by_role[FALLBACK_ROLE]
        trail, config = CLOUDTRAIL.build(data), CONFIG.build(data)

        def literal(name: str) -> str:
            return name.replace(ACCOUNT_TOKEN, archive["id"])

        return LogArchive(account_id=archive["id"], account_role=archive["role"], management_account_id=by_role[FALLBACK_ROLE]["id"],
                          trail_bucket_name=literal(trail.bucket_name), access_log_bucket_name=literal(trail.access_log_bucket_name),
                          config_bucket_name=literal(config.bucket_name))

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return log_archive_problems(parsed, profile)

    def render(self, profile: Profile) -> ComponentOutput:
        return ComponentOutput()  # a single account keeps its buckets in the cloudtrail and config modules

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        tower = control_tower.on(profile)  # Control Tower's log archive bucket takes its trail and its recorders' files
        trail = profile.cloudtrail if profile.cloudtrail.enabled and not tower else None
        config = profile.config if profile.config.enabled else None
        if not (trail or config):
            return []
        archive, address = profile.log_archive, f"module.{MODULE}"
        config_bucket_skips = LOG_BUCKET_SKIPS + (() if trail else (SKIP_NO_ACCESS_LOGS_CONTROL_TOWER if tower else SKIP_NO_ACCESS_LOGS,))
        findings, policies, inputs, outputs = [], [], [], []
        if trail:
            findings += [AcceptedFinding(c, f"{address}.aws_s3_bucket.trail", r) for c, r in LOG_BUCKET_SKIPS]
            findings += [AcceptedFinding(c, f"{address}.aws_s3_bucket.access_logs", r) for c, r in ACCESS_LOG_BUCKET_SKIPS]
            policies += [organization_trail_bucket_policy(profile), organization_access_log_policy(profile)]
            inputs.append(("trail_kms_key_arn", key_arn_expression(trail.kms_key)))
            outputs += [("log_archive_trail_bucket_name", "Bucket that receives the organisation trail's log files."),
                        ("log_archive_access_log_bucket_name", "Bucket that receives the log buckets' server access logs.")]
        if config:
            findings += [AcceptedFinding(c, f"{address}.aws_s3_bucket.config", r) for c, r in config_bucket_skips]
            policies.append(organization_config_bucket_policy(profile))
            inputs.append(("config_kms_key_arn", key_arn_expression(config.kms_key)))
            outputs.append(("log_archive_config_bucket_name", "Bucket that receives every account's AWS Config files."))
        context = {
            "source": profile.source, "partition": partition_of(profile.organization.home_region),
            "archive": archive, "organization_id": profile.organization.id, "trail": trail, "config": config,
            "trail_arn": organization_trail_arn(profile).replace("<partition>", partition_of(profile.organization.home_region)),
            "accounts": profile.organization.accounts,
            "log_bucket_skips": LOG_BUCKET_SKIPS, "access_log_bucket_skips": ACCESS_LOG_BUCKET_SKIPS,
            "config_bucket_skips": config_bucket_skips, "policies": policies,
        }
        out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", tuple(outputs), tuple(inputs)),
                              accepted_findings=sorted(findings, key=lambda f: (f.address, f.check_id)),
                              placement=archive_placement(profile))
        out.files += render_module(MODULE, ("main.tf", "policies.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"), context)
        out.controls = bucket_controls() if trail else []  # the Config bucket is in the config module's AWS Config row
        return [out]


COMPONENT = LogArchiveComponent()
