"""Hypothesis strategies that build valid profiles of every shape: one account, or an organisation with any subset
of the optional account roles (log-archive, security, workloads; management is required, E250), any Regions of one
partition, per-account Regions, and every optional section turned on, changed or off. Everything they build must
pass ``validate`` (warnings are fine): the property tests assert it, so a strategy that builds an invalid profile
fails loudly instead of testing nothing."""

from __future__ import annotations

from hypothesis import strategies as st

from baselinegen.components.monitoring.alarms import CATALOG as ALARMS
from baselinegen.components.config.rules import CIS_PRESET
from baselinegen.profile.regions import AWS_REGIONS, partition_of

PARTITIONS = {p: tuple(r for r in AWS_REGIONS if partition_of(r) == p) for p in sorted({partition_of(r) for r in AWS_REGIONS})}
ORG_NAMES = ("acme", "zz", "a1-b2", "thirty-two-characters-long-name1")  # 2 and 32 characters: the limits
ALARM_IDS = tuple(a.id for a in ALARMS)
GUARDDUTY_FEATURES = ("ebs-malware-protection", "eks-audit-logs", "lambda-network-logs", "rds-login-events",
                      "runtime-monitoring", "s3-data-events")
STANDARDS = ("aws-foundational", "aws-resource-tagging", "cis-1.2", "cis-1.4", "cis-3.0", "nist-800-171", "nist-800-53",
             "pci-dss-3.2.1", "pci-dss-4.0.1")
OPERATING_SYSTEMS = ("windows", "amazon-linux-2", "amazon-linux-2023", "redhat-enterprise-linux", "rocky-linux",
                     "ubuntu", "debian", "suse", "oracle-linux", "alma-linux")
APP_SERVICES = ("dynamodb", "lambda", "s3", "sqs", "logs", "ecr")
READ_STATEMENT = {"sid": "ReadBuckets", "actions": ["s3:GetObject"], "resources": ["arn:<partition>:s3:::<account>-data/*"]}


def subset(values, min_size=0, max_size=None):
    """A sub-list of ``values`` in their order, each once."""
    if not values:
        return st.just([])
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=max_size, unique=True).map(
        lambda picked: [v for v in values if v in picked])


@st.composite
def regions(draw):
    """(home Region, organization.regions): 1-3 Regions of one partition, the home one among them."""
    partition = draw(st.sampled_from(sorted(PARTITIONS)))
    listed = draw(st.lists(st.sampled_from(PARTITIONS[partition]), min_size=1, max_size=3, unique=True))
    return draw(st.sampled_from(listed)), listed


@st.composite
def accounts(draw, home: str, listed: list[str]):
    """The accounts: one management account, optionally a log-archive and a security account, 0-3 workloads."""
    roles = ["management"] + draw(subset(("log-archive", "security"))) + ["workload"] * draw(st.integers(0, 3))
    found = []
    for i, role in enumerate(roles):
        account = {"name": f"{role}-{i}" if role == "workload" else role, "id": f"{i + 1:012d}", "role": role,
                   "description": draw(st.sampled_from(["Payments, production (本番).", 'Quotes " and ${x} stay text.']))}
        if draw(st.booleans()):
            account["renamed_from"] = [f"old-{account['name']}"]
        if draw(st.booleans()):  # its own Regions: the home Region and some of the others
            others = draw(subset([r for r in listed if r != home]))
            account["regions"] = [home] + others
        found.append(account)
    return draw(st.permutations(found))


@st.composite
def iam(draw, organization: bool, mfa: bool):
    duties = draw(subset(("administrator", "infra-admin", "security-admin", "iam-admin", "app-developer", "operator",
                          "read-only", "custom")))
    groups = []
    for duty in duties:
        group = {"name": "G" + duty.title().replace("-", ""), "duty": duty}
        if draw(st.booleans()):
            group["renamed_from"] = ["Old" + group["name"]]
        if duty == "app-developer":
            group |= {"services": draw(subset(APP_SERVICES, min_size=1)), "resource_prefix": "payments-"}
            if draw(st.booleans()):
                group["app_tag"] = "payments"
        if duty == "custom":
            group |= draw(st.sampled_from([{"statements": [READ_STATEMENT]},
                                           {"managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}]))
        groups.append(group)
    names = [g["name"] for g in groups]
    users = [{"name": f"person{i}", "groups": draw(subset(names)), "tags": draw(st.sampled_from([{}, {"Team": "payments"}]))}
             for i in range(draw(st.integers(0, 3)))]
    for user in users:
        if draw(st.booleans()):
            user["renamed_from"] = [f"old-{user['name']}"]
    if draw(st.booleans()):
        bot = {"name": "deploy-bot", "programmatic": True}
        if draw(st.booleans()):
            bot["statements"] = [READ_STATEMENT]
        if not mfa and names and draw(st.booleans()):
            bot["groups"] = names[:1]
        users.append(bot)
    section = {"mfa": {"require_for_console": mfa}, "groups": groups, "users": users,
               "password_policy": draw(st.sampled_from([{}, {"minimum_length": 8, "reuse_prevention": 5, "max_age": 90}]))}
    return section


@st.composite
def encryption(draw, listed: list[str]):
    split = draw(st.booleans())  # one key per service, or one key for all
    keys = [{"name": "logs", "services": ["cloudtrail", "cloudwatch-logs"] if split else ["cloudtrail", "cloudwatch-logs", "config", "sns"],
             "rotation": draw(st.booleans())}]
    if split:
        keys += [{"name": "recorder", "services": ["config"], "renamed_from": ["old-recorder"]}, {"name": "alerts", "services": ["sns"]}]
    section = {"keys": keys, "ebs_default_encryption": draw(st.booleans()), "s3_block_public_access": draw(st.booleans()),
               "close_default_security_groups": draw(st.booleans())}
    if draw(st.booleans()):
        keys.append({"name": "data", "multi_region": True, "deletion_window_days": 7})
        if section["ebs_default_encryption"] and draw(st.booleans()):
            section["ebs_default_key"] = "data"
    return section


@st.composite
def logging_and_monitoring(draw):
    trail = draw(st.booleans())
    cloudtrail = {"enabled": trail}
    if trail:
        if draw(st.booleans()):  # names of its own
            cloudtrail |= {"name": "audit.trail", "bucket": {"name": "trail-<account>", "access_log_bucket_name": "access-<account>",
                                                              "transition_days": None, "expiration_days": None},
                           "cloudwatch_logs": {"log_group_name": "/audit/trail"}}
        cloudtrail |= {"log_file_validation": draw(st.booleans()),
                       "cloudwatch_logs": cloudtrail.get("cloudwatch_logs", {}) | {"retention_days": draw(st.sampled_from([0, 90, 365]))},
                       "data_events": {"s3": draw(st.sampled_from(["none", "read", "write", "all"])), "lambda": draw(st.booleans()),
                                       "s3_buckets": draw(st.sampled_from([[], ["<account>-data"]]))}}
    alarms = {"enabled": trail and draw(st.booleans()), "benchmark": draw(st.sampled_from(["cis-1.2", "cis-1.4", "cis-3.0"]))}
    if alarms["enabled"]:
        alarms["exclude"] = draw(subset(ALARM_IDS, max_size=4))
        alarms["custom"] = [{"id": "bucket-deletion", "description": "A bucket was deleted.",
                             "pattern": "{ $.eventName = DeleteBucket }"}][:draw(st.integers(0, 1))]
    topic = {"email": draw(subset(["security@example.com", "oncall@example.com"]))}
    if draw(st.booleans()):
        topic["name"] = "security-alarms"
        alarms["namespace"] = "Baseline/CIS"
        if alarms["enabled"] and alarms["custom"]:
            alarms["custom"][0] |= {"renamed_from": ["old-deletion"], "threshold": 2, "period": 60}
    return {"cloudtrail": cloudtrail}, {"topic": topic, "alarms": alarms}


@st.composite
def config(draw):
    if not draw(st.booleans()):
        return {"enabled": False}
    preset = draw(st.sampled_from(["cis", "none"]))
    rules = {"preset": preset, "extra": [{"name": "cw-loggroup-retention-period-check", "parameters": {"MinRetentionTime": 365}}][:draw(st.integers(0, 1))]}
    if preset == "cis":
        rules["exclude"] = draw(subset([r for r in CIS_PRESET if r != "iam-password-policy"], max_size=2))
    section = {"enabled": True, "global_resources": draw(st.sampled_from(["home", "all", "none"])), "rules": rules,
               "delivery_frequency": draw(st.sampled_from(["One_Hour", "TwentyFour_Hours"]))}
    if draw(st.booleans()):
        section |= {"bucket": {"name": "config-<account>", "transition_days": None}, "retention_days": 30}
    return section


@st.composite
def detection(draw):
    features = draw(subset(GUARDDUTY_FEATURES))
    guardduty = {"enabled": draw(st.booleans()), "features": features,
                 "notify_severity": draw(st.sampled_from(["low", "medium", "high", "critical", "none"]))}
    if "runtime-monitoring" in features:
        guardduty["runtime_agents"] = draw(subset(("ec2", "ecs-fargate", "eks")))
    standards = draw(subset(STANDARDS))
    hub = {"enabled": draw(st.booleans()), "standards": standards, "aggregate_findings": draw(st.booleans())}
    if "aws-foundational" in standards and draw(st.booleans()):
        hub["disabled_controls"] = [{"control": "IAM.6", "reason": "Root credentials are managed centrally.", "standards": ["aws-foundational"]}]
    return {"access_analyzer": {"enabled": draw(st.booleans())}, "guardduty": guardduty, "security_hub": hub,
            "inspector": {"resource_types": draw(subset(("ec2", "ecr", "lambda", "lambda-code")))},
            "ecr_scanning": {"scan_on_push": draw(st.booleans())}}


@st.composite
def patching(draw):
    if not draw(st.booleans()):
        return {"enabled": False}
    section = {}
    if draw(st.booleans()):
        section = {"groups": ["staging", "qa", "production"], "renamed_from": {"staging": ["stage"]}, "tag_key": "Patch Group"}
    return section | {"operating_systems": draw(subset(OPERATING_SYSTEMS, min_size=1, max_size=3)),
            "production_delay_days": draw(st.integers(0, 6)), "reboot": draw(st.sampled_from(["RebootIfNeeded", "NoReboot"])),
            "scan_schedule": draw(st.sampled_from([None, "cron(0 1 * * ? *)"])), "timezone": draw(st.sampled_from(["UTC", "Asia/Tokyo"]))}


@st.composite
def profiles(draw, organization: bool | None = None):
    """A valid profile (a dict to write as YAML): an organisation or, when ``organization`` is False, one account."""
    if organization is None:
        organization = draw(st.booleans())
    home, listed = draw(regions())
    org = {"name": draw(st.sampled_from(ORG_NAMES)), "home_region": home, "regions": listed,
           "tags": draw(st.sampled_from([{}, {"Owner": "platform-security"}]))}
    logging, monitoring = draw(logging_and_monitoring())
    keys = draw(encryption(listed))
    profile = {"version": 1, "organization": org, "encryption": keys, "logging": logging,
               "monitoring": monitoring, "config": draw(config()), "detection": draw(detection()), "patching": draw(patching())}
    if len(keys["keys"]) > 2:  # one key per service
        monitoring["topic"]["kms_key"] = "alerts"
        if profile["config"]["enabled"]:
            profile["config"]["kms_key"] = "recorder"
    extends = draw(st.sampled_from([None, "minimal", "cis-1.4", "cis-3.0"]))
    if extends:
        profile["extends"] = extends
    profile["iam"] = draw(iam(organization, draw(st.booleans())))
    if organization:
        org["id"] = "o-a1b2c3d4e5"
        profile["accounts"] = found = draw(accounts(home, listed))
        profile["iam"]["identity_account"] = draw(st.sampled_from([a["name"] for a in found]))
        if draw(st.booleans()):
            profile["governance"] = {"service_control_policies": {
                key: draw(st.booleans()) for key in ("deny_leaving_organization", "protect_security_services", "deny_root_user", "restrict_regions")}}
    return profile
