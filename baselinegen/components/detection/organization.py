"""Detection in an organisation (a profile with accounts).

Two modules:
- ``detection`` in the administrator account: the security account, the delegated administrator; without one (W428)
  the management account, which then designates itself administrator of GuardDuty, Security Hub and Inspector and
  sends findings to its alarm topic. There: the single-account services for the account itself plus the organisation
  configuration of GuardDuty (every account, existing ones included: ALL), Security Hub and Inspector (new accounts
  enabled automatically), Inspector's existing accounts associated as members (members.tf), an ORGANIZATION Access
  Analyzer, the AWS Config aggregator and (in the security account) the findings topic.
- ``account_detection`` in every other account: an ACCOUNT Access Analyzer per Region (CIS 1.20) and, when the
  profile scans images on push without Inspector's enhanced scanning, the basic ECR registry scanning rule. GuardDuty,
  Security Hub and Inspector are enabled there by the organisation configuration: no resource for them at all.
"""

from __future__ import annotations

from .central import member_accounts, policies_context
from .malware_s3 import merge_inputs, module_input
from .security_hub import BY_ID as STANDARDS
from ...render.filters import tf_identifier
from ...policy.document import ACCOUNT_TOKEN, Condition, PolicyDocument, Principal, Statement, arn
from ...profile.model import BASELINE_PATH, Account, Detection, Profile
from ..base import EVERY_ACCOUNT, SHARED_MODULE_FILES, ComponentOutput, Control, ModuleCall, render_module
from .render import (MODULE, analyzer_names_input, analyzer_notice, automation_notice, malware_control, any_service, guardduty_notifies, inspector_notice, module_context, notifies,
                     service_files)
from ..kms.component import key_arn_expression
from ..monitoring.render import topic_arn
from ..regional import REGIONS_INPUT

ACCOUNT_MODULE = "account_detection"
ADMINISTRATOR_ROLES = ("security", "management")  # who administers the detective services: the first role present
OUTPUTS = (("detection_guardduty_detector_ids", "GuardDuty detector id of every Region (the organisation's delegated administrator)."),)
CIS_1_20 = (("cis-1.4", "1.20"), ("cis-3.0", "1.20"))
CONFIG_ORGANIZATIONS_POLICY = "service-role/AWSConfigRoleForOrganizations"


def administrator(profile: Profile) -> Account:
    """The account that administers the detective services: the security account, else the management account."""
    org = profile.organization
    return next(a for role in ADMINISTRATOR_ROLES for a in org.accounts_with_role(role))


def administers_itself(profile: Profile) -> bool:
    """True without a security account: the management account is the administrator and designates itself."""
    return administrator(profile).role == "management"


def administrator_label(profile: Profile) -> str:
    """How texts name the administrator account: ``security account`` or ``management account``."""
    return f"{administrator(profile).role} account"


def aggregator_name(profile: Profile) -> str:
    """The organisation aggregator's name: the baseline's, or the one the administrator's adopt entry keeps (W20)."""
    kept = next((name for part, _, name, _ in administrator(profile).adopt if part == "config-aggregator" and name), None)
    return kept or f"{profile.organization.name}-organization"


def findings_topic_policy(profile: Profile) -> PolicyDocument:
    """The security account's topic: only its own EventBridge rules publish (it has no alarms)."""
    topic = topic_arn(profile)
    return PolicyDocument(
        name="findings_topic", description="Only EventBridge rules of this account may publish.",
        statements=(
            Statement("EventBridgeRulesPublish", actions=("sns:Publish",), resources=(topic,),
                      principals=(Principal("Service", ("events.amazonaws.com",)),),
                      conditions=(Condition("StringEquals", "aws:SourceAccount", (ACCOUNT_TOKEN,)),
                                  Condition("ArnLike", "aws:SourceArn", (arn("events", "rule/*", region="*"),)))),
            Statement("DenyPublishFromAnyoneElse", effect="Deny", actions=("sns:Publish",), resources=(topic,),
                      principals=(Principal("*", ("*",)),),
                      conditions=(Condition("StringNotEquals", "aws:PrincipalServiceName", ("events.amazonaws.com",)),)),
        ),
    )


def aggregator_trust_policy() -> PolicyDocument:
    return PolicyDocument(
        name="config_aggregator_trust", description="Only AWS Config, for this account, may assume the aggregator's role.",
        statements=(Statement("AwsConfig", actions=("sts:AssumeRole",), principals=(Principal("Service", ("config.amazonaws.com",)),),
                              conditions=(Condition("StringEquals", "aws:SourceAccount", (ACCOUNT_TOKEN,)),)),))


def render_organization(profile: Profile) -> list[ComponentOutput]:
    outputs = [render_security(profile), render_member_accounts(profile)]
    return [out for out in outputs if out.module]


def render_security(profile: Profile) -> ComponentOutput:
    d = profile.detection
    # Control Tower mode: Control Tower's aggregator in its audit account aggregates the organisation (H20ct)
    aggregate_config = profile.config.enabled and not getattr(profile.organization, "control_tower", False)
    if not (any_service(d) or aggregate_config):
        return ComponentOutput()
    notify = notifies(d)
    itself = administers_itself(profile)
    own_topic = notify and not itself  # the security account's findings topic; the management account has its alarm topic
    org = profile.organization.name
    context = module_context(profile) | {
        "organization": {"aggregate_config": aggregate_config, "aggregator_name": aggregator_name(profile),
                         "aggregator_role_name": f"{org}-config-aggregator", "config_policy": CONFIG_ORGANIZATIONS_POLICY,
                         "topic": _topic(profile), "own_topic": own_topic, "administers_itself": itself,
                         "administrator": administrator(profile)},
        # the organisation configuration is what CKV2_AWS_3 looks for: nothing to skip
        "org_skip": None, "analyzer_type": "ORGANIZATION", "analyzer_prefix": f"{org}-organization",
        "findings_topic_arn": "aws_sns_topic.findings.arn" if own_topic else "var.alarm_topic_arn", "iam_path": BASELINE_PATH,
        "org_feature_statuses": [(feature, "ALL" if status == "ENABLED" else "NONE") for feature, status in module_context(profile)["feature_statuses"]],
    }
    members = inspector_members(profile)
    by_region: dict[str, list[str]] = {}
    for region, account_id, _ in members:  # sorted: each Region's ids come sorted
        by_region.setdefault(region, []).append(account_id)
    context |= {"inspector_members": members, "inspector_member_regions": sorted(by_region.items())}
    if d.security_hub.enabled:
        context |= {"hub_policies": policies_context(profile, STANDARDS, tf_identifier), "hub_members": member_accounts(profile, administrator(profile))}
    policies = context["policies"] + ([findings_topic_policy(profile)] if own_topic else []) + ([aggregator_trust_policy()] if aggregate_config else [])
    context["policies"] = policies
    admin_buckets = [b for b in d.guardduty.malware_s3 if b.account == administrator(profile).name]
    context |= {"malware_s3": bool(admin_buckets)}
    names = [name for name in service_files(d) if name != "policies.tf"] + (["malware_s3.tf"] if admin_buckets else [])
    at = names.index("variables.tf")
    names[at:at] = (["organization.tf"] + (["security_hub_organization.tf"] if d.security_hub.enabled else []) + (["members.tf"] if members else [])
                    + (["findings_topic.tf"] if own_topic else []) + (["policies.tf"] if policies else []))
    topic_input = ("alarm_topic_arn", "module.monitoring.topic_arn") if itself else ("kms_key_arn", key_arn_expression(profile.monitoring.topic_kms_key))
    inputs = (REGIONS_INPUT,) + ((topic_input,) if notify else ())
    title = ("The management account administers the detective services for the organisation (no security account)" if itself
             else "Delegated administrator of the detective services for the organisation")
    call = ModuleCall(MODULE, f"./modules/{MODULE}", OUTPUTS if d.guardduty.enabled else (), inputs, title,
                      account_inputs=merge_inputs(_analyzer_inputs(profile, (administrator(profile),)), _malware_inputs(profile, (administrator(profile),))))
    out = ComponentOutput(module=call, placement=frozenset({administrator(profile).role}))
    out.files += render_module(MODULE, names, context)
    out.controls = security_controls(profile)
    # existing accounts are members in Terraform (aws_securityhub_member, members.tf): no manual checklist item
    return out


def inspector_members(profile: Profile) -> list[tuple[str, str, str]]:
    """(Region, account id, account name) of every account the administrator enrols in Amazon Inspector: each other
    account of the profile, in each of its Regions the administrator runs too (W431 names the others)."""
    if not profile.detection.inspector_resource_types:
        return []
    admin = administrator(profile)
    return sorted((region, a.id, a.name) for a in profile.organization.accounts if a.id != admin.id
                  for region in a.regions if region in admin.regions)


def _topic(profile: Profile) -> dict:
    """What the templates say of the alarm topic: only this, so that a change to the alarms leaves the module's
    inputs (and its remembered files, render/remembered.py) as they were."""
    m = profile.monitoring
    return {"topic_name": m.topic_name, "topic_kms_key": m.topic_kms_key, "email_subscribers": m.email_subscribers}


def render_member_accounts(profile: Profile) -> ComponentOutput:
    d = profile.detection
    basic_ecr = d.ecr_scan_on_push and "ecr" not in d.inspector_resource_types
    admin_role = administrator(profile).role
    others = tuple(a for a in profile.organization.accounts if a.role != admin_role)
    buckets = [b for b in d.guardduty.malware_s3 if b.account in {a.name for a in others}]
    if not (d.access_analyzer or basic_ecr or buckets):
        return ComponentOutput()
    context = {"source": profile.source, "org_name": profile.organization.name, "detection": d, "basic_ecr": basic_ecr,
               "malware_s3": bool(buckets), "account_module": True, "iam_path": BASELINE_PATH}
    call = ModuleCall(ACCOUNT_MODULE, f"./modules/{ACCOUNT_MODULE}", (), (REGIONS_INPUT,),
                      "The account's own IAM Access Analyzer in each of its Regions",
                      account_inputs=merge_inputs(_analyzer_inputs(profile, others), _malware_inputs(profile, others)))
    out = ComponentOutput(module=call, placement=EVERY_ACCOUNT - {administrator(profile).role})
    names = ("main.tf",) + (("malware_s3.tf",) if buckets else ()) + ("variables.tf", "outputs.tf", "versions.tf", "README.md")
    templates = {name: "detection/malware_s3.tf.j2" if name == "malware_s3.tf" else f"detection/account/{name}.j2"
                 for name in names if name not in SHARED_MODULE_FILES}
    out.files += render_module(ACCOUNT_MODULE, names, context, templates)
    rows = [Control("IAM Access Analyzer (every other account)",
                    f"an account analyzer in every Region of each account but the {administrator_label(profile)}", CIS_1_20)] if d.access_analyzer else []
    rows += [Control("ECR image scanning (every other account)", "basic scanning of every pushed image, in every Region of each account")] if basic_ecr else []
    rows += [malware_control(buckets)] if buckets else []
    out.controls = rows
    return out


def _malware_inputs(profile: Profile, accounts) -> tuple:
    """(account name, its malware_protection_buckets input) of the ``accounts`` that own protected buckets."""
    buckets = profile.detection.guardduty.malware_s3
    found = ((a.name, module_input([b for b in buckets if b.account == a.name])) for a in accounts)
    return tuple((name, inputs) for name, inputs in found if inputs)


def _analyzer_inputs(profile: Profile, accounts) -> tuple:
    """(account name, its analyzer_names input) of the ``accounts`` whose adopt entries name existing analyzers."""
    if not profile.detection.access_analyzer:
        return ()
    raw = {a.get("name"): a.get("adopt") for a in profile.raw.get("accounts") or () if isinstance(a, dict)}
    found = ((a.name, analyzer_names_input(raw.get(a.name), a.regions)) for a in accounts)
    return tuple((name, inputs) for name, inputs in found if inputs)


def topic_name(profile: Profile) -> str:
    return ("alarm topic" if administers_itself(profile) else "SNS topic") + f" `{profile.monitoring.topic_name}`"


def hub_control_text(profile: Profile, admin: str, standards: str) -> str:
    hub = profile.detection.security_hub
    if hub.configuration != "central":
        return (f"{admin} in every Region with {standards}; every other account a member, new accounts enabled automatically "
                "(local configuration: members run no standard)" + ("; findings aggregated in the home Region" if hub.aggregate_findings else ""))
    policies = "; ".join(f"`{profile.organization.name}-{p.name}` for {', '.join(p.apply_to)}: {', '.join(p.standards) or 'no standard'}"
                         + (f", {len(p.disabled_controls)} control(s) disabled" if p.disabled_controls else "")
                         + (f", {len(p.control_parameters)} parameter(s) set" if p.control_parameters else "") for p in hub.policies)
    return (f"{admin}, central configuration: every account runs the standards of its configuration policy ({policies}); "
            "every other account a member in every Region; findings of every Region aggregated in the home Region"
            + (f"; findings of severity {hub.notify_severity} or higher go to the {topic_name(profile)}" if hub.notify_severity != "none" else ""))


def security_controls(profile: Profile) -> list[Control]:
    d: Detection = profile.detection
    where = administrator_label(profile)
    admin = "administrator (management account, no security account)" if administers_itself(profile) else "delegated administrator (security account)"
    rows = []
    if d.access_analyzer:
        rows.append(Control("IAM Access Analyzer (organisation)", f"an organisation analyzer in every Region of the {where}: resources shared outside the "
                            f"organisation; {analyzer_notice(d, 'the ' + topic_name(profile))}", CIS_1_20))
    if d.guardduty.enabled:
        g = d.guardduty
        m = profile.monitoring
        topic = "alarm topic" if administers_itself(profile) else "SNS topic"
        notified = (f"findings of severity {g.notify_severity} or higher of every account go to the {where}'s {topic} `{m.topic_name}` "
                    f"(KMS-encrypted with `{m.topic_kms_key}`, {len(m.email_subscribers)} e-mail subscriber{'s' if len(m.email_subscribers) != 1 else ''})"
                    if guardduty_notifies(d) else "findings notify no one")
        rows.append(Control("GuardDuty", f"{admin} in every Region; every account of the organisation enabled automatically with {', '.join(g.features) or 'no protection plan'}; {notified}"))
    admin_buckets = [b for b in d.guardduty.malware_s3 if b.account == administrator(profile).name]
    rows += [malware_control(admin_buckets)] if admin_buckets else []
    if d.security_hub.enabled:
        standards = ", ".join(STANDARDS[s].title for s in d.security_hub.standards) or "no standard"
        rows.append(Control("Security Hub", hub_control_text(profile, admin, standards) + automation_notice(d), (("cis-3.0", "4.16"),)))
    if d.inspector_resource_types:
        members = len({account for _, account, _ in inspector_members(profile)})
        rows.append(Control("Amazon Inspector", f"{admin}; scans {', '.join(d.inspector_resource_types)} in every Region; the profile's "
                            f"{members} other account{'s' if members != 1 else ''} associated as members, new accounts enabled automatically; "
                            + inspector_notice(d, "the " + topic_name(profile))))
    if d.ecr_scan_on_push and "ecr" in d.inspector_resource_types:
        rows.append(Control("ECR image scanning", "enhanced (Inspector) scanning, on push and whenever a new vulnerability is published, in every account Inspector enables"))
    elif d.ecr_scan_on_push:
        rows.append(Control("ECR image scanning", f"basic scanning of every pushed image in the {where}"))
    if profile.config.enabled:
        rows.append(Control("AWS Config aggregator", f"`{aggregator_name(profile)}` in the {where}'s home Region: the configuration of every account and Region of the organisation"))
    return rows
