"""IAM action sets the guardrails deny, as data: writes to the security services, tampering with them, protected keys
and resources, IAM changes, account settings. They are the denies of the permissions boundary; their verb wildcards
are checked against parliament's IAM database in the tests (complete for writes, never matching a read)."""

from __future__ import annotations


def actions_of(service: str, names: str) -> tuple[str, ...]:
    return tuple(f"{service}:{name}" for name in names.split())


# Every non-read action of the security services: infra admins see them read-only.
SECURITY_SERVICE_WRITES = (
    *actions_of("cloudtrail", "AddTags Cancel* Create* Delete* Deregister* Disable* Enable* GenerateQuery Put* "
                            "Register* RemoveTags Restore* Start* Stop* Update*"),
    *actions_of("config", "Associate* Delete* Disassociate* Put* Start* Stop* TagResource UntagResource"),
    *actions_of("guardduty", "Accept* Archive* Create* Decline* Delete* Disable* Disassociate* Enable* Invite* Send* "
                           "Start* Stop* TagResource Unarchive* UntagResource Update*"),
    *actions_of("securityhub", "Accept* BatchDelete* BatchDisable* BatchEnable* BatchImport* BatchUpdate* Create* "
                             "Decline* Delete* Disable* Disassociate* Enable* Invite* Start* TagResource "
                             "UntagResource Update*"),
    *actions_of("access-analyzer", "Apply* Cancel* Create* Delete* Generate* Start* TagResource UntagResource Update*"),
    *actions_of("inspector2", "Associate* BatchUpdate* Cancel* Create* Delete* Disable* Disassociate* Enable* Reset* "
                            "Send* Start* Stop* TagResource UntagResource Update*"),
    *actions_of("macie2", "Accept* BatchUpdate* Create* Decline* Delete* Disable* Disassociate* Enable* Put* "
                        "TagResource Test* UntagResource Update*"),
    *actions_of("detective", "Accept* Create* Delete* Disable* Disassociate* Enable* Reject* Start* TagResource "
                           "UntagResource Update*"),
)
# Turning the security services off, reconfiguring them or suppressing their findings: denied inside the
# permissions boundary too. Workload roles keep the agents' data-plane writes (guardduty:SendSecurityTelemetry,
# inspector2:*CisSession*, securityhub:BatchImportFindings, config:PutEvaluations).
SECURITY_SERVICE_TAMPERING = (
    *actions_of("cloudtrail", "Delete* Deregister* Put* Remove* Stop* Update*"),
    *actions_of("config", "Delete* Disassociate* PutConfigRule PutConfigurationAggregator PutConfigurationRecorder "
                        "PutConformancePack PutDeliveryChannel PutRemediationConfigurations PutRetentionConfiguration "
                        "PutServiceLinkedConfigurationRecorder Stop*"),
    *actions_of("guardduty", "ArchiveFindings CreateFilter CreateIPSet Delete* Disable* Disassociate* Stop* Update*"),
    *actions_of("securityhub", "BatchDisable* BatchUpdate* CreateAutomationRule Delete* Disable* Disassociate* Update*"),
    *actions_of("access-analyzer", "ApplyArchiveRule CreateArchiveRule Delete* Update*"),
    *actions_of("inspector2", "CreateFilter Delete* Disable* Disassociate* Reset* Update*"),
    *actions_of("macie2", "CreateAllowList CreateFindingsFilter Delete* Disable* Disassociate* Put* Update*"),
    *actions_of("detective", "Delete* Disable* Disassociate* Update*"),
)
SECURITY_SERVICE_PRINCIPALS = ("access-analyzer.amazonaws.com", "config.amazonaws.com", "guardduty.amazonaws.com",
                               "inspector2.amazonaws.com", "macie.amazonaws.com",
                               "malware-protection.guardduty.amazonaws.com", "securityhub.amazonaws.com")
PROTECTED_KEY_ACTIONS = actions_of("kms", "DeleteAlias DeleteImportedKeyMaterial DisableKey DisableKeyRotation "
                                          "ImportKeyMaterial PutKeyPolicy ReplicateKey RevokeGrant ScheduleKeyDeletion "
                                          "TagResource UntagResource UpdateAlias UpdateKeyDescription UpdatePrimaryRegion")
KEY_ADMIN_ACTIONS = actions_of("kms", "CancelKeyDeletion DescribeKey DisableKey DisableKeyRotation EnableKey "
                                     "EnableKeyRotation GetKeyPolicy GetKeyRotationStatus ListGrants ListKeyRotations "
                                     "ListResourceTags PutKeyPolicy RevokeGrant RotateKeyOnDemand ScheduleKeyDeletion "
                                     "TagResource UntagResource UpdateKeyDescription")
# Changes to the alarm topic, the trail's log group, alarms, finding rules, flow logs, closed default security
# groups, patch baselines and patch windows (tagged resources).
PROTECTED_RESOURCE_ACTIONS = (
    *actions_of("cloudwatch", "Delete* Disable* Put* SetAlarmState TagResource UntagResource"),
    *actions_of("ec2", "AuthorizeSecurityGroupEgress AuthorizeSecurityGroupIngress DeleteFlowLogs"),
    *actions_of("events", "Delete* Disable* Put* Remove* TagResource UntagResource"),
    *actions_of("logs", "Associate* Delete* Disassociate* Put* Tag* Untag*"),
    *actions_of("sns", "AddPermission Delete* Put* RemovePermission Set* TagResource UntagResource"),
    *actions_of("ssm", "AddTagsToResource DeleteMaintenanceWindow DeletePatchBaseline DeregisterPatchBaselineForPatchGroup "
                     "DeregisterTargetFromMaintenanceWindow DeregisterTaskFromMaintenanceWindow RemoveTagsFromResource "
                     "UpdateMaintenanceWindow UpdateMaintenanceWindowTarget UpdateMaintenanceWindowTask UpdatePatchBaseline"),
)
# Every IAM change except the self-service actions each user needs on their own user (ChangePassword,
# EnableMFADevice, ResyncMFADevice; virtual MFA devices live outside the user and group paths).
IAM_CHANGE_ACTIONS = actions_of("iam", "Add* Attach* Create* Deactivate* Delete* Detach* PassRole Put* Remove* Reset* "
                                     "Set* Tag* Untag* Update* Upload*")
ACCOUNT_SETTING_ACTIONS = (
    *actions_of("account", "DeleteAlternateContact PutAlternateContact"),
    *actions_of("ec2", "DisableEbsEncryptionByDefault DisableImageBlockPublicAccess DisableSnapshotBlockPublicAccess "
                     "ModifyEbsDefaultKmsKeyId ModifyInstanceMetadataDefaults ResetEbsDefaultKmsKeyId"),
    *actions_of("iam", "CreateAccountAlias DeleteAccountAlias DeleteAccountPasswordPolicy UpdateAccountPasswordPolicy"),
    "ecr:PutRegistryScanningConfiguration", "organizations:LeaveOrganization", "s3:PutAccountPublicAccessBlock",
)
BOUNDARY_REQUIRED_ACTIONS = actions_of("iam", "AttachRolePolicy AttachUserPolicy CreateRole CreateUser DeleteRolePolicy "
                                             "DeleteUserPolicy DetachRolePolicy DetachUserPolicy "
                                             "PutRolePermissionsBoundary PutRolePolicy PutUserPermissionsBoundary "
                                             "PutUserPolicy")
SECURITY_SERVICES = ("access-analyzer", "cloudtrail", "config", "detective", "guardduty", "inspector2", "macie2",
                      "securityhub")
