"""What the rendered baseline itself does in a member account, as requests a guardrail could deny: Terraform's
applies through the deployment role and the CI apply role, CI's plans (read-only, in the account's Regions), CI's
federated sign-in, people assuming their job-function roles, the organisation trail and AWS Config writing to the
log buckets and using the logs key, the root sessions of centralised root access, and in the CI entry account the
pipeline's own state reads and role chaining.

``blocked(policy, ...)`` walks them through a policy (policy_presets/evaluate.py). Service control policies never
apply to AWS services or to the federated sign-in itself (no principal of the account makes it); resource control
policies apply to all of them."""

from __future__ import annotations

from ...policy_presets.evaluate import Request, denies

# One change per service the baseline manages; a guardrail that denies one of them breaks the pipeline.
APPLY_ACTIONS = ("cloudtrail:UpdateTrail", "config:PutConfigurationRecorder", "guardduty:UpdateDetector",
                 "securityhub:BatchEnableStandards", "access-analyzer:CreateAnalyzer", "inspector2:Enable", "iam:CreateRole",
                 "iam:UpdateAccountPasswordPolicy", "kms:CreateKey", "s3:PutBucketPolicy", "ec2:EnableEbsEncryptionByDefault",
                 "ssm:CreatePatchBaseline", "sns:CreateTopic", "logs:CreateLogGroup", "cloudwatch:PutMetricAlarm",
                 "organizations:DescribeOrganization", "sts:GetCallerIdentity")
PLAN_ACTIONS = ("config:DescribeConfigurationRecorders", "guardduty:GetDetector", "iam:GetRole", "kms:DescribeKey",
                "s3:GetObject", "ec2:DescribeRegions", "sts:GetCallerIdentity")


def _principal(arn: str, org_id: str, region: str) -> dict:
    return {"aws:PrincipalArn": arn, "aws:PrincipalOrgID": org_id, "aws:PrincipalIsAWSService": "false",
            "aws:RequestedRegion": region, "aws:SecureTransport": "true"}


def _service(service: str, account_id: str, org_id: str, region: str) -> dict:
    return {"aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": service, "aws:SourceAccount": account_id,
            "aws:SourceOrgID": org_id, "aws:RequestedRegion": region, "aws:SecureTransport": "true"}


def requests(profile, account) -> list[tuple[str, Request]]:
    """(kind, request) of what the baseline does in ``account``: kind principal (an IAM principal of the account),
    service (an AWS service) or federated (a sign-in without an organisation principal)."""
    org = profile.organization
    partition = "aws-cn" if org.regions and org.regions[0].startswith("cn-") else "aws-us-gov" if org.regions and org.regions[0].startswith("us-gov-") else "aws"
    role = f"arn:{partition}:iam::{account.id}:role/"
    out: list[tuple[str, Request]] = []
    appliers = [("the deployment role", org.deployment_role)]
    if profile.ci.github:
        appliers.append(("the CI apply role", f"{org.name}-baseline-apply"))
    for region in account.regions:
        for who, name in appliers:
            out += [("principal", Request(f"{who} {name}: {action} in {region}", action, _principal(role + name, org.id, region)))
                    for action in APPLY_ACTIONS]
        if profile.ci.github:
            out += [("principal", Request(f"the CI plan role: {action} in {region}", action,
                                          _principal(role + f"{org.name}-baseline-plan", org.id, region))) for action in PLAN_ACTIONS]
        out += [("service", Request(f"AWS Config: s3:PutObject from {region}", "s3:PutObject", _service("config.amazonaws.com", account.id, org.id, region))),
                ("service", Request(f"CloudTrail: kms:GenerateDataKey in {region}", "kms:GenerateDataKey",
                                    _service("cloudtrail.amazonaws.com", account.id, org.id, region)))]
    out += _pipeline_requests(profile, account, role)
    home = org.home_region
    out.append(("principal", Request("a person assuming a job-function role", "sts:AssumeRole",
                                     _principal(f"arn:{partition}:iam::{account.id}:user/someone", org.id, home))))
    out.append(("principal", Request("a centralised root session deleting root credentials", "iam:DeleteLoginProfile",
                                     dict(_principal(f"arn:{partition}:iam::{account.id}:root", org.id, home), **{"aws:AssumedRoot": "true"}))))
    if profile.ci.github:
        out.append(("federated", Request("CI signing in with GitHub's OIDC token", "sts:AssumeRoleWithWebIdentity",
                                         {"aws:PrincipalIsAWSService": "false", "aws:RequestedRegion": home, "aws:SecureTransport": "true",
                                          "aws:FederatedProvider": f"arn:{partition}:iam::{account.id}:oidc-provider/token.actions.githubusercontent.com"})))
    return out


def ci_entry(raw: dict) -> str:
    """The account CI signs in to (ci.account, else the state account, else the management account), by name."""
    accounts = raw.get("accounts") or []
    named = (raw.get("ci") or {}).get("account") or (raw.get("state") or {}).get("account")
    return named or next((a["name"] for a in accounts if isinstance(a, dict) and a.get("role") == "management"), "")


def _pipeline_requests(profile, account, role: str) -> list[tuple[str, Request]]:
    """In the CI entry account, what the pipeline does before any plan: its plan and apply roles read and lock the
    Terraform state in the state bucket's Region (through S3 with its KMS key), and assume their namesakes in every
    account (STS). The plan role is exempt from no guardrail, so a Region restriction on the entry account that
    leaves out state.region locks the pipeline out."""
    raw = getattr(profile, "raw", None) or {}
    region = (raw.get("state") or {}).get("region")
    if not profile.ci.github or account.name != ci_entry(raw) or not region:
        return []
    org = profile.organization
    out = []
    for who, name in (("the CI plan role", f"{org.name}-baseline-plan"), ("the CI apply role", f"{org.name}-baseline-apply")):
        out += [("principal", Request(f"{who} {name}: {action} on the Terraform state in {region}", action,
                                      _principal(role + name, org.id, region)))
                for action in ("s3:GetObject", "s3:PutObject", "kms:Decrypt", "sts:AssumeRole")]
    return out


def blocked(policy_type: str, body: dict, profile, account) -> str | None:
    """The first thing the baseline does in ``account`` that ``body`` denies, said for a message; None if nothing."""
    if policy_type not in ("scp", "rcp"):
        return None
    for kind, request in requests(profile, account):
        if policy_type == "scp" and kind != "principal":
            continue
        sid = denies(body, request)
        if sid:
            return f"{request.what} (statement {sid})"
    return None


def _assigned(node, *path: str):
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node.get("@@assign") if isinstance(node, dict) else None


def ec2_conflicts(body: dict, profile, account) -> str | None:
    """What a declarative EC2 policy takes from what the baseline runs in ``account``, said for a message; None if
    nothing. The baseline sets none of the attributes itself (EBS encryption by default is no declarative
    attribute), so the one conflict is its patching: Patch Manager's instances in workload accounts talk to Systems
    Manager and download from their package repositories. VPC block public access in block_bidirectional mode closes
    internet gateways both ways and NAT gateways' return path too (block_ingress leaves NAT gateways open: AWS EC2 API
    Reference, BlockPublicAccessStates, read 2026-12-05)."""
    patching = ((getattr(profile, "raw", None) or {}).get("patching") or {}).get("enabled", True)
    if account.role != "workload" or not patching:
        return None
    gateway = ("ec2_attributes", "vpc_block_public_access", "internet_gateway_block")
    if _assigned(body, *gateway, "mode") != "block_bidirectional":
        return None
    excluded = "" if _assigned(body, *gateway, "exclusions_allowed") == "disabled" else " or from excluded VPCs and subnets"
    return ("VPC block public access in block_bidirectional mode: the instances the baseline patches reach Systems Manager "
            f"(ssm, ssmmessages, ec2messages) and their package repositories only through VPC endpoints{excluded}")
