"""The ``detection`` section: GuardDuty, Security Hub, IAM Access Analyzer, Inspector and ECR scanning."""

from __future__ import annotations

from . import automation, hub_schema, malware_s3
from .hub_schema import SECURITY_HUB, security_hub_standards  # noqa: F401 (security_hub_standards: re-exported)
from ...errors import Problem
from ...profile.loader import LoadedDocument, problem_at as _problem

# Profile name -> GuardDuty detector feature. EKS_RUNTIME_MONITORING is superseded by RUNTIME_MONITORING.
GUARDDUTY_FEATURES = {
    "s3-data-events": "S3_DATA_EVENTS",
    "eks-audit-logs": "EKS_AUDIT_LOGS",
    "ebs-malware-protection": "EBS_MALWARE_PROTECTION",
    "rds-login-events": "RDS_LOGIN_EVENTS",
    "lambda-network-logs": "LAMBDA_NETWORK_LOGS",
    "runtime-monitoring": "RUNTIME_MONITORING",
}
DEFAULT_FEATURES = ["s3-data-events", "eks-audit-logs", "ebs-malware-protection", "rds-login-events", "lambda-network-logs"]
# Profile name -> RUNTIME_MONITORING additional configuration: GuardDuty installs and updates its agent. The names are
# the AWS SDK's FeatureAdditionalConfiguration enum, which the aws provider 6.x validates additional_configuration.name
# against (internal/service/guardduty/detector_feature.go; the block is a set and the name forces a replacement).
RUNTIME_AGENTS = {"ec2": "EC2_AGENT_MANAGEMENT", "ecs-fargate": "ECS_FARGATE_AGENT_MANAGEMENT", "eks": "EKS_ADDON_MANAGEMENT"}
# GuardDuty severity bands: the lowest score of each.
SEVERITY_FLOOR = {"low": 1, "medium": 4, "high": 7, "critical": 9}
# Security Hub severity labels, lowest first (ASFF Severity.Label; INFORMATIONAL is never notified).
HUB_LABELS = ("LOW", "MEDIUM", "HIGH", "CRITICAL")


def hub_labels(severity: str) -> list[str]:
    """The labels at or above a profile severity (none: no label)."""
    return list(HUB_LABELS[HUB_LABELS.index(severity.upper()):]) if severity != "none" else []
# Access Analyzer findings have no severity: which ones notify.
ANALYZER_NOTIFY = ("active", "public", "none")
PUBLISHING_FREQUENCIES = ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"]
INSPECTOR_TYPES = {"ec2": "EC2", "ecr": "ECR", "lambda": "LAMBDA", "lambda-code": "LAMBDA_CODE"}


def _enabled(description: str) -> dict:
    return {"type": "boolean", "default": True, "meta": {"description": description}}


def _names(allowed, default, description: str) -> dict:
    return {"type": "list", "default": list(default), "schema": {"type": "string", "allowed": sorted(allowed)},
            "meta": {"description": description}}


SCHEMA = {
    "detection": {
        "type": "dict",
        "default": {},
        "meta": {"description": "Detective services in every Region of organization.regions."},
        "schema": {
            "access_analyzer": {"type": "dict", "default": {}, "meta": {"description": "IAM Access Analyzer."}, "schema": {
                "enabled": _enabled("An account analyzer in every Region: reports resources shared outside the account "
                                    "(CIS 1.20); false: warning W410."),
                "notify": {"type": "string", "allowed": list(ANALYZER_NOTIFY), "default": "active",
                           "meta": {"description": "Which external-access findings go to the alarm topic (Access Analyzer findings have "
                                                   "no severity): active (every new or changed active finding), public (only those "
                                                   "that grant public access); none: warning W463. In an organisation: the "
                                                   "organisation analyzer's findings, from the delegated administrator."}},
            }},
            "guardduty": {"type": "dict", "default": {}, "meta": {"description": "Amazon GuardDuty threat detection."}, "schema": {
                "enabled": _enabled("A GuardDuty detector in every Region; false: warning W412."),
                "publishing_frequency": {"type": "string", "allowed": PUBLISHING_FREQUENCIES, "default": "FIFTEEN_MINUTES",
                                         "meta": {"description": "How often updates of existing findings are published."}},
                "features": _names(GUARDDUTY_FEATURES, DEFAULT_FEATURES,
                                   "Protection plans turned on, each once; every other plan is turned off explicitly. ebs-malware-protection scans the EBS volumes of instances with suspicious behaviour (the baseline's antivirus requirement); without it: warning W415."),
                "runtime_agents": _names(RUNTIME_AGENTS, [], "With the runtime-monitoring feature only (E219): where GuardDuty installs and updates its security agent itself."),
                "malware_protection_s3": malware_s3.SCHEMA,
                "notify_severity": {"type": "string", "allowed": [*SEVERITY_FLOOR, "none"], "default": "medium",
                                    "meta": {"description": "Findings of this severity or higher go to the alarm topic: low (1+), medium (4+), "
                                                            "high (7+), critical (9+); none: no notifications, warning W415."}},
            }},
            "security_hub": SECURITY_HUB,
            "inspector": {"type": "dict", "default": {}, "meta": {"description": "Amazon Inspector."}, "schema": {
                "resource_types": _names(INSPECTOR_TYPES, ["ec2", "ecr", "lambda"],
                                         "What Amazon Inspector scans for vulnerabilities, each once; empty: Inspector off, warning W414."),
                "notify_severity": {"type": "string", "allowed": [*SEVERITY_FLOOR, "none"], "default": "high",
                                    "meta": {"description": "Active Inspector findings of this severity or higher go to the alarm topic "
                                                            "(in an organisation every account's, from the delegated administrator); "
                                                            "untriaged and informational ones never; none: warning W462."}},
            }},
            "ecr_scanning": {"type": "dict", "default": {}, "meta": {"description": "Scanning of container images in Amazon ECR."}, "schema": {
                "scan_on_push": _enabled("Scan every image pushed to ECR (enhanced scanning by Inspector when inspector.resource_types has ecr, else basic scanning); false: warning W414."),
            }},
        },
    },
}


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    d = data["detection"]
    return (_duplicates(d, doc) + _guardduty_problems(d["guardduty"], doc) + hub_schema.check(d["security_hub"], data, doc)
            + automation.check(d["security_hub"], data, doc) + malware_s3.check(d["guardduty"], data, doc)
            + _inspector_problems(d, doc)
            + _analyzer_problems(d["access_analyzer"], doc))


def _analyzer_problems(a: dict, doc: LoadedDocument) -> list[Problem]:
    at = ("detection", "access_analyzer")
    if not a["enabled"]:
        return [_problem(doc, at + ("enabled",), "no IAM Access Analyzer: external access to resources goes unreported (CIS 1.20)", "W410", "warning")]
    if a["notify"] == "none":
        return [_problem(doc, at + ("notify",), "Access Analyzer findings notify no one: a resource shared outside waits in the console until someone looks", "W463", "warning")]
    return []


def _duplicates(d: dict, doc: LoadedDocument) -> list[Problem]:
    problems = []
    for section, key in (("guardduty", "features"), ("guardduty", "runtime_agents"), ("security_hub", "standards"), ("inspector", "resource_types")):
        values = d[section].get(key, [])
        problems += [_problem(doc, ("detection", section, key, i), f"{value!r} is listed twice", "E209")
                     for i, value in enumerate(values) if value in values[:i]]
    return problems


def _guardduty_problems(g: dict, doc: LoadedDocument) -> list[Problem]:
    at = ("detection", "guardduty")
    if not g["enabled"]:
        return [_problem(doc, at + ("enabled",), "GuardDuty is off: no threat detection from CloudTrail, VPC flow logs and DNS logs (Security Hub GuardDuty.1)", "W412", "warning")]
    problems = []
    if g["runtime_agents"] and "runtime-monitoring" not in g["features"]:
        problems.append(_problem(doc, at + ("runtime_agents",), "runtime_agents needs the runtime-monitoring feature; add 'runtime-monitoring' to detection.guardduty.features or remove the agents", "E219"))
    if "ebs-malware-protection" not in g["features"]:
        problems.append(_problem(doc, at + ("features",), "no ebs-malware-protection: instances are not scanned for malware (the baseline's antivirus requirement)", "W415", "warning"))
    if g["notify_severity"] == "none":
        problems.append(_problem(doc, at + ("notify_severity",), "GuardDuty findings notify no one: they wait in the console until someone looks", "W415", "warning"))
    return problems


def _inspector_problems(d: dict, doc: LoadedDocument) -> list[Problem]:
    problems = []
    if not d["inspector"]["resource_types"]:
        problems.append(_problem(doc, ("detection", "inspector", "resource_types"), "Amazon Inspector is off: no vulnerability scanning of instances, images or functions", "W414", "warning"))
    elif d["inspector"]["notify_severity"] == "none":
        problems.append(_problem(doc, ("detection", "inspector", "notify_severity"), "Inspector findings notify no one: vulnerabilities wait in the console until someone looks", "W462", "warning"))
    if not d["ecr_scanning"]["scan_on_push"]:
        problems.append(_problem(doc, ("detection", "ecr_scanning", "scan_on_push"), "container images are not scanned when pushed to ECR (Security Hub ECR.1)", "W414", "warning"))
    return problems
