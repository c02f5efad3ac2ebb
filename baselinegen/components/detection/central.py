"""Security Hub central configuration: the profile's settings as configuration policies and where each applies.

The organisation-wide policy (``baseline``) applies where ``detection.security_hub.apply_to`` says (default: the
root, so every account, the management account and every account that joins later); each entry of
``configuration_policies`` applies to the accounts of its units and accounts instead (an association with an account
overrides the one it inherits from the root). Unit paths are resolved to their accounts here: the delegated
administrator's module associates policies with the root and with account ids, both of which it can name without the
organisation's unit ids."""

from __future__ import annotations

from . import automation
from .catalog_checks import parameter_kind
from .hub_schema import configuration, security_hub_standards, unit_ids
from .model import ControlParameter, DisabledControl, HubPolicy, SecurityHub
from ...profile.units import ROOT, accounts_at

DESCRIPTION_LIMIT = 512  # CreateConfigurationPolicy: Description, at most 512 characters


def _disabled(items) -> tuple[DisabledControl, ...]:
    return tuple(sorted((DisabledControl(c["control"], c["reason"], tuple(sorted(c["standards"]))) for c in items), key=lambda c: c.control))


def _parameters(items: dict) -> tuple[ControlParameter, ...]:
    def value(v):
        return tuple(v) if isinstance(v, list) else v
    return tuple(sorted((ControlParameter(control, name, value(v)) for control, parameters in items.items() for name, v in parameters.items()),
                        key=lambda p: (p.control, p.parameter)))


def _targets(data: dict, apply_to) -> tuple[str, ...]:
    """``root`` kept; unit paths and account names as the account names they reach, in profile order, leaving out
    the accounts of units associated by their id (``_units``)."""
    out = [ROOT] if ROOT in apply_to else []
    by_unit = {a for path in _units(data, apply_to) for a in accounts_at(data, path[0])}
    return tuple(out + list(dict.fromkeys(a for t in apply_to if t != ROOT and t not in unit_ids(data) for a in accounts_at(data, t)
                                           if a not in by_unit)))


def _units(data: dict, apply_to) -> tuple[tuple[str, str], ...]:
    """(unit path, unit id) of the targets that are units with a known id: the policy is associated with the unit
    itself, so an account that joins it later gets the policy too."""
    ids = unit_ids(data)
    return tuple((t, ids[t]) for t in apply_to if t in ids)


def build_security_hub(data: dict) -> SecurityHub:
    s = data["detection"]["security_hub"]
    standards = tuple(security_hub_standards(data))
    disabled, parameters = _disabled(s["disabled_controls"]), _parameters(s["control_parameters"])
    mode = configuration(data) if data.get("accounts") else "single"
    policies: tuple[HubPolicy, ...] = ()
    if mode == "central":
        policies = (HubPolicy("baseline", _targets(data, s["apply_to"]), standards, disabled, parameters, tuple(s["apply_to"]),
                              _units(data, s["apply_to"])),)
        policies += tuple(
            HubPolicy(p["name"], _targets(data, p["apply_to"]), tuple(p.get("standards", standards)),
                      _disabled(p["disabled_controls"]) if "disabled_controls" in p else disabled,
                      _parameters(p["control_parameters"]) if "control_parameters" in p else parameters, tuple(p["apply_to"]),
                      _units(data, p["apply_to"]))
            for p in s["configuration_policies"])
    return SecurityHub(enabled=s["enabled"], standards=standards, disabled_controls=disabled, aggregate_findings=s["aggregate_findings"],
                       configuration=mode, control_parameters=parameters, policies=policies, notify_severity=s["notify_severity"],
                       automation_rules=automation.build(s, data))


def policy_description(policy: HubPolicy, where: str) -> str:
    """What the policy does and, when it fits in the API's 512 characters, why each control is off (the API has no
    reason field); otherwise the control ids and where the reasons are."""
    head = f"Baseline Security Hub settings for {where}."
    if not policy.disabled_controls:
        return head
    full = head + " Disabled (the API keeps no reason): " + "; ".join(f"{c.control}: {c.reason}" for c in policy.disabled_controls)
    if len(full) <= DESCRIPTION_LIMIT:
        return full
    short = head + " Disabled: " + ", ".join(c.control for c in policy.disabled_controls) + "; reasons in modules/detection/README.md."
    return short if len(short) <= DESCRIPTION_LIMIT else head + f" {len(policy.disabled_controls)} controls disabled; reasons in modules/detection/README.md."


def value_block(value) -> tuple[str, object]:
    """The ``parameter`` sub-block a value takes (bool, int, double, string, int_list, string_list) and the value."""
    if isinstance(value, bool):
        return "bool", value
    if isinstance(value, int):
        return "int", value
    if isinstance(value, float):
        return "double", value
    if isinstance(value, tuple):
        return ("int_list" if value and all(isinstance(v, int) and not isinstance(v, bool) for v in value) else "string_list"), list(value)
    return "string", value


def _where(policy: HubPolicy) -> str:
    if ROOT in policy.targets:
        return "every account of the organisation" + (" (and " + ", ".join(t for t in policy.apply_to if t != ROOT) + ")" if len(policy.apply_to) > 1 else "")
    return ", ".join(policy.apply_to)


def policies_context(profile, standards_by_id, tf_identifier) -> list[dict]:
    """Per configuration policy: its resource name, Security Hub name, description, standard ARNs (home Region),
    parameters grouped by control and the association targets (label -> HCL expression of the target id)."""
    org = profile.organization
    ids = {a.name: a.id for a in org.accounts}
    out = []
    for policy in profile.detection.security_hub.policies:
        where = _where(policy)
        grouped: dict[str, list[dict]] = {}
        for p in policy.control_parameters:
            kind, value = parameter_kind(p.control, p.parameter, p.value) or value_block(p.value)  # the catalog's block, or the YAML type
            grouped.setdefault(p.control, []).append({"name": p.parameter, "kind": kind, "value": value})
        targets = [(ROOT, "data.aws_organizations_organization.this.roots[0].id")] if ROOT in policy.targets else []
        targets += [(path, f'"{unit_id}"') for path, unit_id in policy.units]
        targets += [(name, f'"{ids[name]}"') for name in policy.targets if name != ROOT]
        out.append({
            "policy": policy, "resource": tf_identifier(policy.name), "name": f"{org.name}-{policy.name}", "where": f"Applies to {where}.",
            "description": policy_description(policy, where),
            "standard_arns": [standards_by_id[s].arn_template().replace("${each.value.region}", "${local.home_region}") for s in policy.standards],
            "parameters": sorted(grouped.items()), "targets": targets,
        })
    return out


def member_accounts(profile, administrator) -> list:
    """The accounts the administrator adds as Security Hub members: every other account of the profile."""
    return [a for a in profile.organization.accounts if a.name != administrator.name]
