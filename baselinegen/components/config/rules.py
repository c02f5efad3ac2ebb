"""AWS Config managed rules the profile may name: identifiers, parameters, scope and the CIS items they back.

Facts from `reference/cis-aws-foundations.md` §6 (rule names, ``source_identifier``s, parameters, the values of
AWS's CIS v1.4 conformance pack) and §2 (CIS ids per benchmark, Security Hub controls). Display names and
identifiers differ (``restricted-ssh`` is ``INCOMING_SSH_DISABLED``); Terraform needs the identifier.

``home_region_only``: the rule evaluates account-wide or global resources (IAM, the root user, the account's
public access block, the multi-Region trail). It runs once, in the home Region; in every Region it would only
repeat the same evaluation. The other rules evaluate regional resources and run in every Region.

``cis_preset``: the parameters the ``cis`` preset uses (``None`` = not in the preset). ``iam-password-policy``
takes its parameters from the profile's ``iam.password_policy`` instead (:func:`password_policy_parameters`).
AWS wants every parameter value as a string (``"90"``, ``"true"``); :func:`parameter_string` renders them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...policy.document import aws_managed_policy
from ...profile.model import PasswordPolicy
from ...catalog.cis_versions import translate

PASSWORD_POLICY_RULE = "iam-password-policy"


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # int | bool | string | csv | enum
    required: bool = False
    values: tuple[str, ...] = ()  # enum: the allowed values
    minimum: int = 0  # int: the smallest value
    spelling: tuple[str, str] = ("true", "false")  # bool: how AWS spells true and false for this rule


@dataclass(frozen=True)
class RuleSpec:
    name: str
    source_identifier: str
    trigger: str  # periodic | changes | changes and periodic
    parameters: tuple[Parameter, ...] = ()
    home_region_only: bool = False
    security_hub: str = ""
    cis: tuple[tuple[str, str], ...] = ()  # (benchmark, CIS ids) the rule backs
    cis_preset: dict | None = None  # parameters in the cis preset; None = not in the preset

    def cis_ids(self, benchmark: str) -> str:
        ids = dict(self.cis)
        if benchmark not in ids and "cis-3.0" in ids and benchmark in ("cis-5.0", "cis-6.0", "cis-7.0"):
            return translate(ids["cis-3.0"], benchmark)  # the v3.0.0 ids in the later numbering (the crosswalk)
        return ids.get(benchmark, "")

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def _bools(*names: str, spelling=("true", "false")) -> tuple[Parameter, ...]:
    return tuple(Parameter(n, "bool", spelling=spelling) for n in names)


def _cis(v12: str, v14: str, v30: str) -> tuple[tuple[str, str], ...]:
    return tuple((b, ids) for b, ids in (("cis-1.2", v12), ("cis-1.4", v14), ("cis-3.0", v30)) if ids)


_PUBLIC_ACCESS_BLOCKS = _bools("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets", spelling=("True", "False"))
_NO_FULL_ACCESS = _bools("excludePermissionBoundaryPolicy")
_PASSWORD = _bools("RequireUppercaseCharacters", "RequireLowercaseCharacters", "RequireSymbols", "RequireNumbers") + (
    Parameter("MinimumPasswordLength", "int", minimum=6), Parameter("PasswordReusePrevention", "int", minimum=1),
    Parameter("MaxPasswordAge", "int", minimum=1))

CATALOG: tuple[RuleSpec, ...] = (
    # Identity (global: home Region only)
    RuleSpec(PASSWORD_POLICY_RULE, "IAM_PASSWORD_POLICY", "periodic", _PASSWORD, True, "IAM.11-IAM.17",
             _cis("1.5-1.11", "1.8, 1.9", "1.8, 1.9"), {}),
    RuleSpec("root-account-mfa-enabled", "ROOT_ACCOUNT_MFA_ENABLED", "periodic", (), True, "IAM.9", _cis("1.13", "1.5", "1.5"), {}),
    RuleSpec("root-account-hardware-mfa-enabled", "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED", "periodic", (), True, "IAM.6",
             _cis("1.14", "1.6", "1.6"), {}),
    RuleSpec("iam-root-access-key-check", "IAM_ROOT_ACCESS_KEY_CHECK", "periodic", (), True, "IAM.4", _cis("1.12", "1.4", "1.4"), {}),
    RuleSpec("mfa-enabled-for-iam-console-access", "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", "periodic", (), True, "IAM.5",
             _cis("1.2", "1.10", "1.10"), {}),
    RuleSpec("iam-user-mfa-enabled", "IAM_USER_MFA_ENABLED", "periodic", (), True),
    RuleSpec("iam-user-unused-credentials-check", "IAM_USER_UNUSED_CREDENTIALS_CHECK", "periodic",
             (Parameter("maxCredentialUsageAge", "int", minimum=1),), True, "IAM.22", _cis("1.3", "1.12", "1.12"),
             {"maxCredentialUsageAge": 45}),
    RuleSpec("access-keys-rotated", "ACCESS_KEYS_ROTATED", "periodic", (Parameter("maxAccessKeyAge", "int", minimum=1),), True,
             "IAM.3", _cis("1.4", "1.14", "1.14"), {"maxAccessKeyAge": 90}),
    RuleSpec("iam-user-no-policies-check", "IAM_USER_NO_POLICIES_CHECK", "changes", (), True, "IAM.2", _cis("1.16", "1.15", "1.15"), {}),
    RuleSpec("iam-user-group-membership-check", "IAM_USER_GROUP_MEMBERSHIP_CHECK", "changes", (Parameter("groupNames", "csv"),), True),
    RuleSpec("iam-no-inline-policy-check", "IAM_NO_INLINE_POLICY_CHECK", "changes", (), True),
    RuleSpec("iam-policy-no-statements-with-admin-access", "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS", "changes", _NO_FULL_ACCESS, True,
             "IAM.1", _cis("1.22", "1.16", "1.16"), {"excludePermissionBoundaryPolicy": True}),
    RuleSpec("iam-policy-no-statements-with-full-access", "IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS", "changes", _NO_FULL_ACCESS, True, "IAM.21"),
    RuleSpec("iam-policy-in-use", "IAM_POLICY_IN_USE", "periodic",
             (Parameter("policyARN", "string", required=True), Parameter("policyUsageType", "enum", values=("IAM_USER", "IAM_GROUP", "IAM_ROLE", "ANY"))),
             True, "IAM.18", _cis("1.20", "1.17", "1.17"), {"policyARN": aws_managed_policy("AWSSupportAccess")}),
    RuleSpec("account-part-of-organizations", "ACCOUNT_PART_OF_ORGANIZATIONS", "periodic", (Parameter("MasterAccountId", "string"),), True),
    # Logging: the multi-Region trail lives in the home Region
    RuleSpec("cloudtrail-enabled", "CLOUD_TRAIL_ENABLED", "periodic",
             (Parameter("s3BucketName", "string"), Parameter("snsTopicArn", "string"), Parameter("cloudWatchLogsLogGroupArn", "string"))),
    RuleSpec("multi-region-cloudtrail-enabled", "MULTI_REGION_CLOUD_TRAIL_ENABLED", "periodic",
             (Parameter("s3BucketName", "string"), Parameter("snsTopicArn", "string"), Parameter("cloudWatchLogsLogGroupArn", "string"),
              Parameter("includeManagementEvents", "bool"), Parameter("readWriteType", "enum", values=("ReadOnly", "WriteOnly", "ALL"))),
             True, "CloudTrail.1", _cis("2.1", "3.1", "3.1"), {"readWriteType": "ALL"}),
    RuleSpec("cloud-trail-log-file-validation-enabled", "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", "periodic", (), True, "CloudTrail.4",
             _cis("2.2", "3.2", "3.2"), {}),
    RuleSpec("cloud-trail-cloud-watch-logs-enabled", "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED", "periodic",
             (Parameter("expectedDeliveryWindowAge", "int", minimum=1),), True, "CloudTrail.5", _cis("2.4", "3.4", ""), {}),
    RuleSpec("cloud-trail-encryption-enabled", "CLOUD_TRAIL_ENCRYPTION_ENABLED", "periodic", (), True, "CloudTrail.2",
             _cis("2.7", "3.7", "3.5"), {}),
    RuleSpec("cloudtrail-s3-dataevents-enabled", "CLOUDTRAIL_S3_DATAEVENTS_ENABLED", "periodic", (Parameter("S3BucketNames", "csv"),), True,
             "", _cis("", "3.10, 3.11", "3.8, 3.9")),
    RuleSpec("cloudtrail-security-trail-enabled", "CLOUDTRAIL_SECURITY_TRAIL_ENABLED", "periodic", (), True),
    RuleSpec("cmk-backing-key-rotation-enabled", "CMK_BACKING_KEY_ROTATION_ENABLED", "periodic", (), False, "KMS.4",
             _cis("2.8", "3.8", "3.6"), {}),
    RuleSpec("kms-cmk-not-scheduled-for-deletion", "KMS_CMK_NOT_SCHEDULED_FOR_DELETION", "periodic", (Parameter("kmsKeyIds", "csv"),)),
    RuleSpec("vpc-flow-logs-enabled", "VPC_FLOW_LOGS_ENABLED", "periodic",
             (Parameter("trafficType", "enum", values=("ACCEPT", "REJECT", "ALL")),), False, "EC2.6", _cis("2.9", "3.9", "3.7"),
             {"trafficType": "REJECT"}),
    RuleSpec("cloudwatch-alarm-action-check", "CLOUDWATCH_ALARM_ACTION_CHECK", "changes",
             _bools("alarmActionRequired", "insufficientDataActionRequired", "okActionRequired")
             + tuple(Parameter(f"action{i}", "string") for i in range(1, 6)), False, "CloudWatch.15"),
    RuleSpec("cw-loggroup-retention-period-check", "CW_LOGGROUP_RETENTION_PERIOD_CHECK", "periodic",
             (Parameter("LogGroupNames", "csv"), Parameter("MinRetentionTime", "int", minimum=1)), False, "CloudWatch.16"),
    RuleSpec("cloudwatch-log-group-encrypted", "CLOUDWATCH_LOG_GROUP_ENCRYPTED", "periodic", (Parameter("KmsKeyId", "string"),)),
    RuleSpec("sns-encrypted-kms", "SNS_ENCRYPTED_KMS", "changes", (Parameter("kmsKeyIds", "csv"),)),
    # Storage
    RuleSpec("s3-account-level-public-access-blocks-periodic", "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", "periodic",
             _PUBLIC_ACCESS_BLOCKS, True, "S3.1", _cis("", "2.1.5", "2.1.4"),
             {"BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}),
    RuleSpec("s3-account-level-public-access-blocks", "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS", "changes", _PUBLIC_ACCESS_BLOCKS, True),
    RuleSpec("s3-bucket-level-public-access-prohibited", "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED", "changes",
             (Parameter("excludedPublicBuckets", "csv"),), False, "S3.8", _cis("", "2.1.5", "2.1.4"), {}),
    RuleSpec("s3-bucket-public-read-prohibited", "S3_BUCKET_PUBLIC_READ_PROHIBITED", "changes and periodic", (), False, "",
             _cis("2.3", "3.3", ""), {}),
    RuleSpec("s3-bucket-public-write-prohibited", "S3_BUCKET_PUBLIC_WRITE_PROHIBITED", "changes and periodic", (), False, "",
             _cis("2.3", "3.3", ""), {}),
    RuleSpec("s3-bucket-server-side-encryption-enabled", "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", "changes", (), False, "S3.4",
             _cis("", "2.1.1", ""), {}),
    RuleSpec("s3-bucket-ssl-requests-only", "S3_BUCKET_SSL_REQUESTS_ONLY", "changes", (), False, "S3.5", _cis("", "2.1.2", "2.1.1"), {}),
    RuleSpec("s3-bucket-logging-enabled", "S3_BUCKET_LOGGING_ENABLED", "changes",
             (Parameter("targetBucket", "string"), Parameter("targetPrefix", "string")), False, "", _cis("2.6", "3.6", "3.4")),
    RuleSpec("s3-bucket-versioning-enabled", "S3_BUCKET_VERSIONING_ENABLED", "changes", (Parameter("isMfaDeleteEnabled", "bool"),), False,
             "", _cis("", "2.1.3", "2.1.2")),
    RuleSpec("ec2-ebs-encryption-by-default", "EC2_EBS_ENCRYPTION_BY_DEFAULT", "periodic", (), False, "EC2.7", _cis("", "2.2.1", "2.2.1"), {}),
    RuleSpec("encrypted-volumes", "ENCRYPTED_VOLUMES", "changes", (Parameter("kmsId", "string"),), False, "", _cis("", "2.2.1", "2.2.1"), {}),
    RuleSpec("rds-storage-encrypted", "RDS_STORAGE_ENCRYPTED", "changes", (Parameter("kmsKeyId", "string"),), False, "RDS.3"),
    RuleSpec("efs-encrypted-check", "EFS_ENCRYPTED_CHECK", "periodic", (Parameter("KmsKeyId", "string"),), False, "EFS.1"),
    # Networking and instances
    RuleSpec("restricted-ssh", "INCOMING_SSH_DISABLED", "changes", (), False, "EC2.13", _cis("4.1", "5.2", "5.2"), {}),
    RuleSpec("restricted-common-ports", "RESTRICTED_INCOMING_TRAFFIC", "changes",
             tuple(Parameter(f"blockedPort{i}", "int", minimum=0) for i in range(1, 6)), False, "EC2.14", _cis("4.2", "5.2", "5.2"),
             {"blockedPort3": 3389}),
    RuleSpec("vpc-sg-open-only-to-authorized-ports", "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS", "changes",
             (Parameter("authorizedTcpPorts", "string"), Parameter("authorizedUdpPorts", "string"))),
    RuleSpec("nacl-no-unrestricted-ssh-rdp", "NACL_NO_UNRESTRICTED_SSH_RDP", "changes", (), False, "EC2.21", _cis("", "5.1", "5.1"), {}),
    RuleSpec("vpc-default-security-group-closed", "VPC_DEFAULT_SECURITY_GROUP_CLOSED", "changes", (), False, "EC2.2",
             _cis("4.3", "5.3", "5.4"), {}),
    RuleSpec("ec2-imdsv2-check", "EC2_IMDSV2_CHECK", "changes", (), False, "EC2.8", _cis("", "", "5.6"), {}),
    RuleSpec("ec2-instance-profile-attached", "EC2_INSTANCE_PROFILE_ATTACHED", "changes", (Parameter("IamInstanceProfileArnList", "csv"),)),
    # Detection
    RuleSpec("guardduty-enabled-centralized", "GUARDDUTY_ENABLED_CENTRALIZED", "periodic", (Parameter("CentralMonitoringAccount", "csv"),),
             False, "GuardDuty.1"),
    RuleSpec("securityhub-enabled", "SECURITYHUB_ENABLED", "periodic", (), False, "", _cis("", "", "4.16"), {}),
)

BY_NAME = {rule.name: rule for rule in CATALOG}
CIS_PRESET = tuple(rule.name for rule in CATALOG if rule.cis_preset is not None)


def password_policy_parameters(policy: PasswordPolicy) -> dict:
    """iam-password-policy's parameters: exactly the profile's password policy (no MaxPasswordAge without expiry)."""
    values = {
        "RequireUppercaseCharacters": policy.require_uppercase, "RequireLowercaseCharacters": policy.require_lowercase,
        "RequireSymbols": policy.require_symbols, "RequireNumbers": policy.require_numbers,
        "MinimumPasswordLength": policy.minimum_length, "PasswordReusePrevention": policy.reuse_prevention,
    }
    if policy.max_age is not None:
        values["MaxPasswordAge"] = policy.max_age
    return values


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip()) and value.isprintable()


def value_problem(param: Parameter, value) -> str:
    """What is wrong with ``value`` for ``param`` ("" if nothing)."""
    if param.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be an integer"
        return f"must be at least {param.minimum}" if value < param.minimum else ""
    if param.kind == "bool":
        return "" if isinstance(value, bool) else "must be true or false"
    if param.kind == "enum":
        return "" if value in param.values else f"must be one of {', '.join(param.values)}"
    if param.kind == "csv" and isinstance(value, list):
        ok = bool(value) and all(_text(v) and "," not in v for v in value)
        return "" if ok else "must be a list of non-empty strings without commas (or one comma-separated string)"
    return "" if _text(value) else "must be a non-empty string"


def parameter_string(param: Parameter, value) -> str:
    """The string AWS Config wants for a parameter value: ``"90"``, ``"true"``, ``"a,b"``."""
    if param.kind == "bool":
        return param.spelling[0] if value else param.spelling[1]
    if param.kind == "csv" and isinstance(value, list):
        return ",".join(value)
    return str(value)
