"""The single-account detection module: GuardDuty, Security Hub, IAM Access Analyzer, Inspector and ECR scanning in
every Region."""

from __future__ import annotations

from .security_hub import BY_ID as STANDARDS
from ...catalog.securityhub import title
from ...policy.document import ACCOUNT_TOKEN, Condition, PolicyDocument, Principal, Statement, arn
from ...profile.model import BASELINE_PATH, Detection, GuardDuty, Profile
from ...profile.regions import partition_of
from . import automation, malware_s3, schema as ds
from ..base import AcceptedFinding, ComponentOutput, Control, ModuleCall, render_module
from ..regional import REGIONS_INPUT
from ...profile.adopt import analyzer_names
from ...render.filters import hcl_string, tf_identifier

MODULE = "detection"
SKIP_NO_ORG_CONFIGURATION = ("CKV2_AWS_3", "a standalone account has no GuardDuty organization configuration: it exists only in an organization's delegated administrator")
OUTPUTS = (("detection_guardduty_detector_ids", "GuardDuty detector id of every Region."),)


def analyzer_names_input(raw_adopt, regions) -> tuple[tuple[str, str], ...]:
    """The ``analyzer_names`` input of an account whose ``adopt`` entries name existing analyzers: those analyzers
    keep their names (renaming one would replace it); () when none does."""
    names = analyzer_names(raw_adopt, regions)
    if not names:
        return ()
    return (("analyzer_names", "{ " + ", ".join(f"{hcl_string(r)} = {hcl_string(n)}" for r, n in sorted(names.items())) + " }"),)


def findings_rule_name(profile: Profile) -> str:
    return f"{profile.organization.name}-guardduty-findings"


def inspector_rule_name(profile: Profile) -> str:
    return f"{profile.organization.name}-inspector-findings"


def analyzer_rule_name(profile: Profile) -> str:
    return f"{profile.organization.name}-access-analyzer-findings"


def regional_rule_names(profile: Profile) -> list[str]:
    """The findings rules that run in every Region and forward the other Regions' findings to the home Region."""
    d = profile.detection
    return ([findings_rule_name(profile)] if guardduty_notifies(d) else []) + ([inspector_rule_name(profile)] if inspector_notifies(d) else []) \
        + ([analyzer_rule_name(profile)] if analyzer_notifies(d) else [])


def forwarding_policies(profile: Profile) -> list[PolicyDocument]:
    """The role EventBridge uses to bring other Regions' findings to the home Region's default event bus."""
    home_bus = arn("events", "event-bus/default", region=profile.organization.home_region)
    rules = tuple(arn("events", f"rule/{name}", region="*") for name in regional_rule_names(profile))
    trust = PolicyDocument(
        name="findings_forwarding_trust", description="Only this account's finding rules may assume the role.",
        statements=(Statement("EventBridgeRules", actions=("sts:AssumeRole",), principals=(Principal("Service", ("events.amazonaws.com",)),),
                              conditions=(Condition("StringEquals", "aws:SourceAccount", (ACCOUNT_TOKEN,)),
                                          Condition("ArnLike", "aws:SourceArn", rules))),))
    put = PolicyDocument(
        name="findings_forwarding", description="Put events on the home Region's default event bus, nothing else.",
        statements=(Statement("PutEventsOnHomeBus", actions=("events:PutEvents",), resources=(home_bus,)),))
    return [trust, put]


def feature_statuses(guardduty: GuardDuty) -> list[tuple[str, str]]:
    """Every detector feature but runtime monitoring, ENABLED or DISABLED: the profile is the whole truth."""
    return [(feature, "ENABLED" if name in guardduty.features else "DISABLED")
            for name, feature in ds.GUARDDUTY_FEATURES.items() if feature != "RUNTIME_MONITORING"]


def render(profile: Profile) -> ComponentOutput:
    """The single-account module."""
    d = profile.detection
    if not any_service(d):
        return ComponentOutput()
    notify = notifies(d)
    inputs = (REGIONS_INPUT,) + ((("alarm_topic_arn", "module.monitoring.topic_arn"),) if notify else ())
    inputs += analyzer_names_input(profile.raw.get("adopt"), profile.organization.regions) if d.access_analyzer else ()
    inputs += malware_s3.module_input(d.guardduty.malware_s3)
    findings = [AcceptedFinding(SKIP_NO_ORG_CONFIGURATION[0], f"module.{MODULE}.aws_guardduty_detector.this", SKIP_NO_ORG_CONFIGURATION[1])] if d.guardduty.enabled else []
    out = ComponentOutput(module=ModuleCall(MODULE, f"./modules/{MODULE}", OUTPUTS if d.guardduty.enabled else (), inputs),
                          accepted_findings=findings)
    out.files += render_module(MODULE, service_files(d), module_context(profile))
    out.controls = _controls(d)
    return out


def any_service(d: Detection) -> bool:
    return bool(d.access_analyzer or d.guardduty.enabled or d.security_hub.enabled or d.inspector_resource_types or d.ecr_scan_on_push)


def guardduty_notifies(d: Detection) -> bool:
    return d.guardduty.enabled and d.guardduty.notify_severity != "none"


def hub_notifies(d: Detection) -> bool:
    return d.security_hub.enabled and d.security_hub.notify_severity != "none"


def inspector_notifies(d: Detection) -> bool:
    return bool(d.inspector_resource_types) and d.inspector_notify_severity != "none"


def analyzer_notifies(d: Detection) -> bool:
    return d.access_analyzer and d.access_analyzer_notify != "none"


def regional_notifies(d: Detection) -> bool:
    """Findings rules in every Region (GuardDuty, Inspector, Access Analyzer): the forwarding role exists."""
    return guardduty_notifies(d) or inspector_notifies(d) or analyzer_notifies(d)


def notifies(d: Detection) -> bool:
    """Some findings go to a topic (GuardDuty's, Security Hub's, Inspector's or Access Analyzer's): the module takes the topic."""
    return regional_notifies(d) or hub_notifies(d)


def service_files(d: Detection) -> list[str]:
    """The module's files for the services the profile turns on (the single-account module's, in order)."""
    names = ["main.tf"] + (["guardduty.tf"] if d.guardduty.enabled else []) + (["security_hub.tf"] if d.security_hub.enabled else [])
    names += ["automation_rules.tf"] if d.security_hub.enabled and d.security_hub.automation_rules else []
    names += ["inspector.tf"] if d.inspector_resource_types or d.ecr_scan_on_push else []
    names += ["findings.tf"] if regional_notifies(d) else []
    names += ["malware_s3.tf"] if any(not b.account for b in d.guardduty.malware_s3) else []
    return names + (["policies.tf"] if regional_notifies(d) else []) + ["variables.tf", "outputs.tf", "versions.tf", "README.md"]


def module_context(profile: Profile) -> dict:
    """The templates' context of the single-account module; the organisation variant overrides a few entries."""
    d = profile.detection
    guardduty, hub = d.guardduty, d.security_hub
    notify = notifies(d)
    return {
        "source": profile.source, "org_name": profile.organization.name, "home_region": profile.organization.home_region,
        "partition": partition_of(profile.organization.home_region), "detection": d, "notify": notify,
        "feature_statuses": feature_statuses(guardduty), "runtime_monitoring": "runtime-monitoring" in guardduty.features,
        "runtime_agents": [(agent, "ENABLED" if name in guardduty.runtime_agents else "DISABLED") for name, agent in ds.RUNTIME_AGENTS.items()],
        "severity_floor": ds.SEVERITY_FLOOR.get(guardduty.notify_severity), "rule_name": findings_rule_name(profile),
        "role_name": f"{profile.organization.name}-guardduty-findings-forwarding", "iam_path": BASELINE_PATH,
        "policies": forwarding_policies(profile) if regional_notifies(d) else [], "standards": [STANDARDS[s] for s in hub.standards],
        "guardduty_notify": guardduty_notifies(d), "hub_notify": hub_notifies(d), "hub_labels": ds.hub_labels(hub.notify_severity),
        "hub_rule_name": f"{profile.organization.name}-security-hub-findings",
        "disabled": [(c, standard) for c in hub.disabled_controls for standard in c.standards],
        "inspector_types": [ds.INSPECTOR_TYPES[t] for t in d.inspector_resource_types],
        "inspector_notify": inspector_notifies(d), "inspector_labels": ds.hub_labels(d.inspector_notify_severity),
        "inspector_rule_name": inspector_rule_name(profile), "analyzer_notify": analyzer_notifies(d),
        "analyzer_rule_name": analyzer_rule_name(profile), "regional_notify": regional_notifies(d),
        "enhanced_ecr": "ecr" in d.inspector_resource_types, "org_skip": SKIP_NO_ORG_CONFIGURATION,
        "organization": None, "analyzer_type": "ACCOUNT", "analyzer_prefix": profile.organization.name,
        "findings_topic_arn": "var.alarm_topic_arn", "automation_rules": automation_context(profile),
        "malware_s3": any(not b.account for b in d.guardduty.malware_s3), "account_module": False,
        "control_titles": {c.control: title(c.control) for c in hub.disabled_controls + tuple(c for p in hub.policies for c in p.disabled_controls)},
    }


def _controls(d: Detection) -> list[Control]:
    rows = []
    if d.access_analyzer:
        rows.append(Control("IAM Access Analyzer", "an account analyzer in every Region of the profile; " + analyzer_notice(d), (("cis-1.4", "1.20"), ("cis-3.0", "1.20"))))
    if d.guardduty.enabled:
        notified = f"findings of severity {d.guardduty.notify_severity} or higher go to the alarm topic" if guardduty_notifies(d) else "findings notify no one"
        rows.append(Control("GuardDuty", f"a detector in every Region with {', '.join(d.guardduty.features) or 'no protection plan'}; {notified}"))
    if d.guardduty.malware_s3:
        rows.append(malware_control(d.guardduty.malware_s3))
    if d.security_hub.enabled:
        standards = ", ".join(STANDARDS[s].title for s in d.security_hub.standards) or "no standard"
        disabled = len(d.security_hub.disabled_controls)
        rows.append(Control("Security Hub", f"in every Region with {standards}" + (f"; {disabled} control{'s' if disabled != 1 else ''} disabled with a reason" if disabled else "")
                            + ("; findings aggregated in the home Region" if d.security_hub.aggregate_findings else "")
                            + (f"; findings of severity {d.security_hub.notify_severity} or higher (new, active, not suppressed) go to the alarm topic"
                               if hub_notifies(d) else "; findings notify no one") + automation_notice(d), (("cis-3.0", "4.16"),)))
    if d.inspector_resource_types:
        rows.append(Control("Amazon Inspector", f"vulnerability scanning of {', '.join(d.inspector_resource_types)} in every Region; " + inspector_notice(d)))
    if d.ecr_scan_on_push:
        how = "enhanced (Inspector) scanning, on push and whenever a new vulnerability is published" if "ecr" in d.inspector_resource_types else "basic scanning of every pushed image"
        rows.append(Control("ECR image scanning", how))
    return rows


def analyzer_notice(d: Detection, topic: str = "the alarm topic") -> str:
    if not analyzer_notifies(d):
        return "findings notify no one"
    return ("active findings" if d.access_analyzer_notify == "active" else "active findings that grant public access") + f" go to {topic}"


def inspector_notice(d: Detection, topic: str = "the alarm topic") -> str:
    return f"active findings of severity {d.inspector_notify_severity} or higher go to {topic}" if inspector_notifies(d) else "findings notify no one"


def automation_context(profile: Profile) -> list[dict]:
    """Per automation rule: its resource name, Security Hub name, criteria blocks and what it does in words."""
    return [{"rule": rule, "resource": tf_identifier(rule.name), "name": f"{profile.organization.name}-{rule.name}",
             "criteria": automation.criteria(rule), "summary": automation.summary(rule)}
            for rule in profile.detection.security_hub.automation_rules]


def automation_notice(d: Detection) -> str:
    rules = d.security_hub.automation_rules
    if not rules:
        return ""
    suppressing = sum(1 for r in rules if r.action == "suppress")
    return f"; {len(rules)} automation rule{'s' if len(rules) != 1 else ''} with a reason ({suppressing} suppressing)"


def malware_control(buckets) -> Control:
    where = "; ".join(f"{b.bucket} ({b.account + ', ' if b.account else ''}{b.region}{', prefixes ' + ', '.join(b.prefixes) if b.prefixes else ''})"
                      for b in buckets)
    return Control("GuardDuty Malware Protection for S3", f"new objects scanned for malware and tagged with the result: {where}")
