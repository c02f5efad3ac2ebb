"""The ``detection`` section: GuardDuty, Security Hub, IAM Access Analyzer, Inspector and ECR scanning."""

from __future__ import annotations

from .security_hub import BY_ID as STANDARDS, CONTROL_ID_RE
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
# Profile name -> RUNTIME_MONITORING additional configuration: GuardDuty installs and updates its agent.
RUNTIME_AGENTS = {"ec2": "EC2_AGENT_MANAGEMENT", "ecs-fargate": "ECS_FARGATE_AGENT_MANAGEMENT", "eks": "EKS_ADDON_MANAGEMENT"}
# GuardDuty severity bands: the lowest score of each.
SEVERITY_FLOOR = {"low": 1, "medium": 4, "high": 7, "critical": 9}
PUBLISHING_FREQUENCIES = ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"]
INSPECTOR_TYPES = {"ec2": "EC2", "ecr": "ECR", "lambda": "LAMBDA", "lambda-code": "LAMBDA_CODE"}
REASON_RE = r"^[\x20-\x7e]{10,1000}$"


def _enabled(description: str) -> dict:
    return {"type": "boolean", "default": True, "meta": {"description": description}}


def _names(allowed, default, description: str) -> dict:
    return {"type": "list", "default": list(default), "schema": {"type": "string", "allowed": sorted(allowed)},
            "meta": {"description": description}}


DISABLED_CONTROL = {
    "type": "dict",
    "schema": {
        "control": {"type": "string", "required": True, "regex": CONTROL_ID_RE,
                    "meta": {"description": "The Security Hub control id, e.g. IAM.6.",
                             "allowed": "a control id such as IAM.6, EC2.2 or CloudTrail.1"}},
        "reason": {"type": "string", "required": True, "regex": REASON_RE,
                   "meta": {"description": "Why the control does not apply; Security Hub shows it next to the control.",
                            "allowed": "10-1000 printable ASCII characters"}},
        "standards": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string", "allowed": sorted(STANDARDS)},
                      "meta": {"description": "Standards of security_hub.standards in which to disable it; each must contain the control (Security Hub rejects the change otherwise)."}},
    },
}

SCHEMA = {
    "detection": {
        "type": "dict",
        "default": {},
        "meta": {"description": "Detective services in every Region of organization.regions."},
        "schema": {
            "access_analyzer": {"type": "dict", "default": {}, "meta": {"description": "IAM Access Analyzer."}, "schema": {
                "enabled": _enabled("An account analyzer in every Region: reports resources shared outside the account "
                                    "(CIS 1.20); false: warning W410."),
            }},
            "guardduty": {"type": "dict", "default": {}, "meta": {"description": "Amazon GuardDuty threat detection."}, "schema": {
                "enabled": _enabled("A GuardDuty detector in every Region; false: warning W412."),
                "publishing_frequency": {"type": "string", "allowed": PUBLISHING_FREQUENCIES, "default": "FIFTEEN_MINUTES",
                                         "meta": {"description": "How often updates of existing findings are published."}},
                "features": _names(GUARDDUTY_FEATURES, DEFAULT_FEATURES,
                                   "Protection plans turned on, each once; every other plan is turned off explicitly. ebs-malware-protection scans the EBS volumes of instances with suspicious behaviour (the baseline's antivirus requirement); without it: warning W415."),
                "runtime_agents": _names(RUNTIME_AGENTS, [], "With the runtime-monitoring feature only (E219): where GuardDuty installs and updates its security agent itself."),
                "notify_severity": {"type": "string", "allowed": [*SEVERITY_FLOOR, "none"], "default": "medium",
                                    "meta": {"description": "Findings of this severity or higher go to the alarm topic: low (1+), medium (4+), "
                                                            "high (7+), critical (9+); none: no notifications, warning W415."}},
            }},
            "security_hub": {"type": "dict", "default": {}, "meta": {"description": "AWS Security Hub."}, "schema": {
                "enabled": _enabled("Security Hub in every Region, with exactly the standards listed; false: warning W413."),
                "standards": {"type": "list", "schema": {"type": "string", "allowed": sorted(STANDARDS)},
                              "meta": {"description": "Standards to subscribe to, each once; Security Hub's default standards are not "
                                                      "enabled silently. Empty: warning W413; a CIS 1.2 or 1.4 standard other than "
                                                      "monitoring.alarms.benchmark: warning W411.",
                                       "default": "`aws-foundational` and the CIS version of `monitoring.alarms.benchmark`"}},
                "disabled_controls": {"type": "list", "default": [], "schema": DISABLED_CONTROL,
                                      "meta": {"description": "Controls that do not apply here, each once (E220), with the reason."}},
                "aggregate_findings": _enabled("Aggregate the findings of every Region of the profile in the home Region."),
            }},
            "inspector": {"type": "dict", "default": {}, "meta": {"description": "Amazon Inspector."}, "schema": {
                "resource_types": _names(INSPECTOR_TYPES, ["ec2", "ecr", "lambda"],
                                         "What Amazon Inspector scans for vulnerabilities, each once; empty: Inspector off, warning W414."),
            }},
            "ecr_scanning": {"type": "dict", "default": {}, "meta": {"description": "Scanning of container images in Amazon ECR."}, "schema": {
                "scan_on_push": _enabled("Scan every image pushed to ECR (enhanced scanning by Inspector when inspector.resource_types has ecr, else basic scanning); false: warning W414."),
            }},
        },
    },
}


def security_hub_standards(data: dict) -> list[str]:
    """The profile's standards, or AWS Foundational plus the CIS version the alarms follow."""
    hub = data["detection"]["security_hub"]
    if "standards" in hub:
        return hub["standards"]
    benchmark = data["monitoring"]["alarms"]["benchmark"]
    return ["aws-foundational"] + ([benchmark] if benchmark in STANDARDS else [])


def check(data: dict, doc: LoadedDocument) -> list[Problem]:
    d = data["detection"]
    return (_duplicates(d, doc) + _guardduty_problems(d["guardduty"], doc) + _security_hub_problems(d["security_hub"], data, doc)
            + _inspector_problems(d, doc)
            + ([] if d["access_analyzer"]["enabled"] else [_problem(doc, ("detection", "access_analyzer", "enabled"), "no IAM Access Analyzer: external access to resources goes unreported (CIS 1.20)", "W410", "warning")]))


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


def _security_hub_problems(s: dict, data: dict, doc: LoadedDocument) -> list[Problem]:
    at = ("detection", "security_hub")
    if not s["enabled"]:
        return [_problem(doc, at + ("enabled",), "Security Hub is off: no continuous checks against the CIS and AWS best-practice standards (CIS 3.0 4.16)", "W413", "warning")]
    problems = []
    if not data.get("config", {}).get("enabled", True):
        problems.append(_problem(doc, ("config", "enabled"), "Security Hub (detection.security_hub) evaluates its controls with AWS Config rules: with AWS Config off most of its checks have no data", "W413", "warning"))
    standards = security_hub_standards(data)
    if not standards:
        problems.append(_problem(doc, at + ("standards",), "Security Hub has no standard: it collects findings but checks nothing itself", "W413", "warning"))
    seen: dict[str, int] = {}
    for i, control in enumerate(s["disabled_controls"]):
        path = at + ("disabled_controls", i)
        if control["control"] in seen:
            problems.append(_problem(doc, path + ("control",), f"control {control['control']!r} is disabled twice (same as index {seen[control['control']]})", "E220"))
        seen.setdefault(control["control"], i)
        for j, standard in enumerate(control.get("standards", [])):
            if standard not in standards:
                enabled = ", ".join(x for x in standards if x in STANDARDS) or "none"
                problems.append(_problem(doc, path + ("standards", j), f"standard {standard!r} is not enabled; standards in detection.security_hub.standards: {enabled}", "E221"))
    alarms = data["monitoring"]["alarms"]
    for i, standard in enumerate(s.get("standards", [])):
        if standard in ("cis-1.2", "cis-1.4") and alarms["enabled"] and alarms["benchmark"] in STANDARDS and alarms["benchmark"] != standard:
            problems.append(_problem(doc, at + ("standards", i),
                                     f"Security Hub's {standard} standard compares metric filters with its own patterns, but monitoring.alarms.benchmark is {alarms['benchmark']}: its CloudWatch controls may fail; use one benchmark for both", "W411", "warning"))
    return problems


def _inspector_problems(d: dict, doc: LoadedDocument) -> list[Problem]:
    problems = []
    if not d["inspector"]["resource_types"]:
        problems.append(_problem(doc, ("detection", "inspector", "resource_types"), "Amazon Inspector is off: no vulnerability scanning of instances, images or functions", "W414", "warning"))
    if not d["ecr_scanning"]["scan_on_push"]:
        problems.append(_problem(doc, ("detection", "ecr_scanning", "scan_on_push"), "container images are not scanned when pushed to ECR (Security Hub ECR.1)", "W414", "warning"))
    return problems
