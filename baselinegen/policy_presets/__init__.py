"""Organisation policy presets shipped with baselinegen (``governance.policies[].preset``), each with what it does and
why. The service control policy presets are built from the profile (its deployment and CI roles, its Regions:
components/governance/org_policies.py); the others are fixed documents, below, in which ``<organization_id>`` stands for
``organization.id``. Quotas: quotas.py; the policy grammar: grammar.py; a small evaluator of deny statements that
proves no preset denies what the baseline itself does: evaluate.py; the tag policy preset, built from the profile's
tags: tags.py. No backup policy preset: a backup plan needs an IAM role and a backup vault in every account and
Region it reaches (AWS Organizations User Guide, "Backup policy syntax and examples", read 2026-12-05: the role must
exist when the plan is first created, the vault in each Region and in every account that receives the effective
policy), which the baseline does not create; a preset naming them would fail in every account, so a backup policy is a file of the organisation's own."""

from __future__ import annotations

from dataclasses import dataclass

ORGANIZATION_TOKEN = "<organization_id>"


@dataclass(frozen=True)
class Preset:
    name: str
    type: str  # quotas.POLICY_TYPES
    does: str  # what it denies or enforces
    why: str
    body: dict | None = None  # a fixed document; None: built from the profile (service control policies)


# The services resource control policies support (AWS Organizations User Guide, "Resource control policies", list of
# supported services), as the data perimeter covers them.
RCP_SERVICES = ("kms:*", "s3:*", "secretsmanager:*", "sqs:*")
# STS operations on the organisation's roles that only the organisation's principals should call. Left out on purpose:
# AssumeRoleWithWebIdentity and AssumeRoleWithSAML, whose callers are federated identities (GitHub's OIDC tokens for
# the CI roles of ci.github), never principals of an organisation; AWS's data perimeter examples leave them out too.
STS_ORGANIZATION_ACTIONS = ("sts:AssumeRole", "sts:DecodeAuthorizationMessage", "sts:GetAccessKeyInfo",
                            "sts:GetFederationToken", "sts:GetServiceBearerToken", "sts:GetSessionToken", "sts:SetContext")


def _rcp(sid: str, actions: tuple[str, ...], condition: dict) -> dict:
    return {"Sid": sid, "Effect": "Deny", "Principal": "*", "Action": list(actions), "Resource": "*", "Condition": condition}


# The three statements of the data perimeter, each a preset of its own and together preset data-perimeter. Sources
# (read 2026-12-05): AWS Organizations User Guide, "Resource control policy examples"
# (docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html: the confused deputy
# statement, Null aws:SourceAccount false so that integrations without the key are not affected);
# aws-samples/data-perimeter-policy-examples, resource_control_policies/identity_perimeter_rcp.json
# (EnforceOrgIdentities: StringNotEqualsIfExists aws:PrincipalOrgID with BoolIfExists aws:PrincipalIsAWSService false;
# EnforceConfusedDeputyProtection); aws-samples/resource-control-policy-examples,
# Restrict-access-to-only-HTTPS-connections-to-your-resources.json (BoolIfExists aws:SecureTransport false). The
# samples' exception lists (third-party accounts, dp:exclude tags) are left out: a policy file holds an
# organisation's own exceptions.
ORGANIZATION_PRINCIPALS = _rcp("EnforceOrganizationIdentities", RCP_SERVICES + STS_ORGANIZATION_ACTIONS,
                               {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": ORGANIZATION_TOKEN},
                                "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}})
CONFUSED_DEPUTY = _rcp("EnforceConfusedDeputyProtection", RCP_SERVICES + ("sts:*",),
                       {"StringNotEqualsIfExists": {"aws:SourceOrgID": ORGANIZATION_TOKEN},
                        "Null": {"aws:SourceAccount": "false"}, "Bool": {"aws:PrincipalIsAWSService": "true"}})
SECURE_TRANSPORT = _rcp("EnforceSecureTransport", RCP_SERVICES + ("sts:*",), {"BoolIfExists": {"aws:SecureTransport": "false"}})


def _rcp_policy(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


DATA_PERIMETER = _rcp_policy(ORGANIZATION_PRINCIPALS, CONFUSED_DEPUTY, SECURE_TRANSPORT)


def _assign(value: str) -> dict:
    return {"@@assign": value}


EC2_SETTINGS = {
    "instance_metadata_defaults": {"http_tokens": _assign("required"), "http_put_response_hop_limit": _assign("2")},
    "image_block_public_access": {"state": _assign("block_new_sharing")},
    "snapshot_block_public_access": {"state": _assign("block_all_sharing")},
    "vpc_block_public_access": {"internet_gateway_block": {"mode": _assign("block_ingress"), "exclusions_allowed": _assign("enabled")}},
    "serial_console": {"status": _assign("disabled")},
}


def _ec2(*keys: str) -> dict:
    return {"ec2_attributes": {key: EC2_SETTINGS[key] for key in keys}}


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("deny-leaving-organization", "scp", "denies organizations:LeaveOrganization",
           "an account that leaves escapes every policy, the organisation trail and the delegated security services"),
    Preset("protect-security-services", "scp",
           "denies stopping, deleting or reconfiguring CloudTrail, AWS Config, GuardDuty, Security Hub and IAM Access Analyzer "
           "to everyone but the deployment role (and the CI apply role)",
           "a stolen administrator session could otherwise blind the security account; the exempt roles keep Terraform "
           "managing the services"),
    Preset("deny-root-user", "scp", "denies every action of a member account's root user, except the root sessions the "
                                    "management account opens with sts:AssumeRoot (centralised root access)",
           "a root password and MFA device are enough to take over an account, past every IAM guardrail"),
    Preset("restrict-regions", "scp", "denies requests outside the policy's regions (default organization.regions), except "
                                      "to global services and by the deployment role (and the CI apply role)",
           "resources in Regions nobody watches escape the Regional controls; global services have one endpoint"),
    Preset("data-perimeter", "rcp",
           "on S3, KMS, Secrets Manager, SQS and STS: denies principals outside the organisation (AWS services excepted), "
           "AWS services acting for another organisation (confused deputy: aws:SourceOrgID), and requests without TLS",
           "the three rcp-* presets in one policy (one of the five RCPs a target may hold): a bucket policy or key policy "
           "written too wide no longer exposes data outside the organisation; federated sign-ins "
           "(AssumeRoleWithWebIdentity, AssumeRoleWithSAML: the CI roles) are outside its STS actions", DATA_PERIMETER),
    Preset("rcp-organization-principals", "rcp",
           "on S3, KMS, Secrets Manager, SQS and the STS operations of the organisation's roles: denies principals outside "
           "the organisation (aws:PrincipalOrgID); AWS services acting for the organisation are not concerned",
           "a resource policy written too wide (a bucket shared with \"*\", a key trusting another account) no longer "
           "reaches outside; federated sign-ins (the CI roles' GitHub OIDC) are outside its STS actions",
           _rcp_policy(ORGANIZATION_PRINCIPALS)),
    Preset("rcp-tls-only", "rcp", "on S3, KMS, Secrets Manager, SQS and STS: denies every request made without TLS "
                                  "(aws:SecureTransport false)",
           "data and credentials never cross the network in the clear, whatever a bucket or queue policy allows; every "
           "AWS SDK and the CLI use TLS, so nothing the baseline does is concerned", _rcp_policy(SECURE_TRANSPORT)),
    Preset("rcp-confused-deputy", "rcp",
           "on S3, KMS, Secrets Manager, SQS and STS: denies an AWS service acting for an account outside the organisation "
           "(aws:SourceOrgID, where the request names aws:SourceAccount)",
           "a resource policy that trusts a service principal (cloudtrail.amazonaws.com, config.amazonaws.com) no longer "
           "lets another customer's trail or recorder write to it", _rcp_policy(CONFUSED_DEPUTY)),
    Preset("ec2-secure-defaults", "declarative-ec2", "IMDSv2 required, no public AMIs or snapshots, VPC block public access "
                                                               "(exclusions allowed), serial console off: the five ec2-* presets at once",
           "the account settings no IAM policy can hold", _ec2(*EC2_SETTINGS)),
    Preset("ec2-imdsv2", "declarative-ec2", "new instances default to IMDSv2 only (http_tokens required, hop limit 2)",
           "IMDSv1 answers any SSRF with the instance role's credentials", _ec2("instance_metadata_defaults")),
    Preset("ec2-block-public-images", "declarative-ec2", "AMIs can no longer be made public (image block public access)",
           "a public AMI publishes whatever its snapshot holds", _ec2("image_block_public_access")),
    Preset("ec2-block-public-snapshots", "declarative-ec2", "EBS snapshots can no longer be shared publicly",
           "a public snapshot publishes a disk", _ec2("snapshot_block_public_access")),
    Preset("ec2-vpc-block-public-access", "declarative-ec2",
           "VPC block public access: inbound traffic through internet gateways blocked, exclusions allowed (a public "
           "subnet or VPC is then a deliberate, visible exclusion)",
           "a route to an internet gateway no longer makes a workload public by accident; instances that reach Systems "
           "Manager (patching) or their package repositories through an internet gateway instead of a NAT gateway "
           "need VPC endpoints or an exclusion", _ec2("vpc_block_public_access")),
    Preset("ec2-no-serial-console", "declarative-ec2", "EC2 serial console access off",
           "the serial console is an interactive way into an instance past its network controls", _ec2("serial_console")),
    Preset("baseline-tags", "tag",
           "reports resources whose ManagedBy or organization.tags keys are spelled otherwise, or whose "
           "baselinegen:protected tag is not true; blocks nothing (no enforced_for)",
           "one spelling of the baseline's own tags across the organisation keeps cost reports, tag conditions and "
           "searches whole; enforcing would break other tools' tagging calls (tags.py)"),
    Preset("ai-opt-out-all", "ai-opt-out", "opts every account out of AWS AI services using its content to improve them",
           "the organisation's data stays the organisation's", {"services": {"default": {"opt_out_policy": _assign("optOut")}}}),
)}


def fixed_body(preset: Preset, organization_id: str) -> dict:
    """A fixed preset's document with ``organization.id`` in place of its token."""
    def substitute(value):
        if isinstance(value, dict):
            return {k: substitute(v) for k, v in value.items()}
        if isinstance(value, list):
            return [substitute(v) for v in value]
        return value.replace(ORGANIZATION_TOKEN, organization_id) if isinstance(value, str) else value
    return substitute(preset.body)
