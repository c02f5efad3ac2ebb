"""Invariants of Security Hub central configuration: the delegated administrator's policies carry the profile's
standards, disabled controls and parameters, and are associated where the profile says."""

from __future__ import annotations

from .security_hub import BY_ID as STANDARDS
from ...profile.model import Profile
from ...render.filters import tf_identifier
from ...validate.hclcheck import unquote
from ...validate.regional_invariants import DETECTION, module_body

ROOT_ID = "${data.aws_organizations_organization.this.roots[0].id}"


def _first(body: dict, key: str) -> dict:
    value = body.get(key) or [{}]
    return value[0] if isinstance(value, list) else value


def central_problems(parsed, profile: Profile) -> list[str]:
    hub = profile.detection.security_hub
    problems = []
    org = module_body(parsed, DETECTION, "aws_securityhub_organization_configuration")
    if unquote(_first(org, "organization_configuration").get("configuration_type")) != "CENTRAL":
        problems.append("modules/detection: Security Hub's organisation configuration is not CENTRAL")
    if not module_body(parsed, DETECTION, "aws_securityhub_finding_aggregator"):
        problems.append("modules/detection: central configuration without the home Region's finding aggregator")
    ids = {a.name: a.id for a in profile.organization.accounts}
    for policy in hub.policies:
        name = tf_identifier(policy.name)
        body = module_body(parsed, DETECTION, "aws_securityhub_configuration_policy", name)
        config = _first(body, "configuration_policy")
        arns = [unquote(a) for a in config.get("enabled_standard_arns", [])]
        want = [STANDARDS[s].arn_template().replace("${each.value.region}", "${local.home_region}") for s in policy.standards]
        if config.get("service_enabled") is not True or arns != want:
            problems.append(f"modules/detection: configuration policy {policy.name} runs {arns}, the profile says {want}")
        controls = _first(config, "security_controls_configuration")
        disabled = [unquote(c) for c in controls.get("disabled_control_identifiers", [])]
        if disabled != [c.control for c in policy.disabled_controls]:
            problems.append(f"modules/detection: configuration policy {policy.name} disables {disabled}, the profile says {[c.control for c in policy.disabled_controls]}")
        got_parameters = sorted((unquote(c.get("security_control_id")), unquote(p.get("name")))
                                for c in controls.get("security_control_custom_parameter", []) for p in c.get("parameter", []))
        if got_parameters != sorted((p.control, p.parameter) for p in policy.control_parameters):
            problems.append(f"modules/detection: configuration policy {policy.name} sets parameters {got_parameters}")
        association = module_body(parsed, DETECTION, "aws_securityhub_configuration_policy_association", name)
        targets = {unquote(k): v for k, v in (association.get("for_each") or {}).items() if k != "__is_block__"}
        want_targets = {t: ROOT_ID if t == "root" else f'"{ids[t]}"' for t in policy.targets} | {path: f'"{i}"' for path, i in policy.units}
        if {k: (v if v == ROOT_ID else f'"{unquote(v)}"') for k, v in targets.items()} != want_targets:
            problems.append(f"modules/detection: configuration policy {policy.name} is associated with {sorted(targets)}, the profile says {sorted(want_targets)}")
    return problems
