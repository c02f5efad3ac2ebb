"""What the generated README's first-apply runbook is rendered from (templates/repo/first_apply.md.j2)."""

from __future__ import annotations

from ...organization.imports import adopt_imports, root_imports, where
from ...profile.model import Profile
from .backend import BOOTSTRAP_KEY, SINGLE_ACCOUNT_KEY, account_key, key_alias
from .bootstrap import provider_context


def first_apply(profile: Profile, roots: list) -> dict:
    """``roots``: the organisation's account roots in apply order (organization.layout), [] for a single account."""
    org, state, ci = profile.organization, profile.state, profile.ci
    waves: list[dict] = []
    for root in roots:
        if not waves or waves[-1]["role"] != root.account.role:
            waves.append({"role": root.account.role, "roots": []})
        imports = root_imports(root.modules) + adopt_imports(root.account.adopt, root.account.regions, where(profile, root.account))
        waves[-1]["roots"].append({"name": root.account.name, "id": root.account.id, "dir": root.dir,
                                   "key": account_key(root.account.name), "management": root.account.role == "management",
                                   "imports": len(imports), "adopts": bool(root.account.adopt)})
    return {
        "state": state, "ci": ci.github, "ci_account": ci.account_name, "waves": waves,
        "provider": provider_context(profile) if state.enabled else {},
        "bootstrap_key": BOOTSTRAP_KEY, "single_key": SINGLE_ACCOUNT_KEY,
        "key_alias": key_alias(profile), "plan_role": f"{org.name}-baseline-plan", "apply_role": f"{org.name}-baseline-apply",
        "services": _trusted_services(profile),
    }


def _trusted_services(profile: Profile) -> list[str]:
    """What Organizations > Services shows with trusted access once the management root is applied."""
    found = ["CloudTrail"]
    if profile.config.enabled:
        found.append("Config")
    detection = profile.detection
    for name, on in (("GuardDuty", detection.guardduty.enabled), ("Security Hub", detection.security_hub.enabled),
                     ("Inspector", bool(detection.inspector_resource_types)), ("IAM Access Analyzer", detection.access_analyzer)):
        if on:
            found.append(name)
    return found
