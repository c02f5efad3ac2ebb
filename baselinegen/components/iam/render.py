"""The single-account IAM module: password policy, permissions boundary, MFA enforcement, groups per job function,
users."""

from __future__ import annotations

from ...policy.document import uses_regions
from ...profile.model import BASELINE_PATH, Profile
from ...profile.regions import partition_of
from ..base import AcceptedFinding, ComponentOutput, Control, ModuleCall, render_module
from .policies import group_policies, mfa_policy
from .rows import PolicyView, PolicyViews, document_findings, group_rows, password_skips, shared_views, user_rows
from ..regional import REGIONS_INPUT

MODULE = "iam"


def render(profile: Profile) -> ComponentOutput:
    """The single-account module."""
    context = _context(profile)
    inputs = (REGIONS_INPUT,) if context["uses_regions"] else ()
    out = ComponentOutput(module=ModuleCall(name=MODULE, source=f"./modules/{MODULE}", outputs=OUTPUTS, inputs=inputs))
    out.files += render_module(MODULE, ("main.tf", "policies.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"), context)
    out.accepted_findings = context["accepted_findings"]
    out.controls = _controls(profile)
    return out


OUTPUTS = (
    ("iam_group_arns", "ARN of every IAM group, by group name."),
    ("iam_user_arns", "ARN of every IAM user, by user name."),
    ("iam_permissions_boundary_arn", "ARN of the permissions boundary that IAM administrators must attach to what they create."),
)


def _context(profile: Profile) -> dict:
    iam = profile.iam
    findings: list[AcceptedFinding] = []
    address = f"module.{MODULE}"
    views = PolicyViews(profile)
    shared = shared_views(profile, views)
    mfa = mfa_policy(profile) if iam.require_mfa else None
    if mfa is not None:
        shared.append(PolicyView("mfa", mfa, mfa.description))
    groups = group_rows(profile, views, lambda group: group_policies(group, profile), mfa, findings, address)
    users = user_rows(profile, views, findings, address)
    skips = password_skips(profile, findings, address)
    all_views = shared + [v for g in groups for v in g["policies"]] + [v for u in users for v in u["policies"]]
    document_findings(all_views, findings, address)
    return {
        "source": profile.source,
        "partition": partition_of(profile.organization.home_region),
        "iam_path": BASELINE_PATH,
        "identity_account": None,
        "password_policy": iam.password_policy,
        "password_skips": skips,
        "shared_policies": shared,
        "mfa_required": mfa is not None,
        "groups": groups,
        "users": users,
        "accepted_findings": sorted(findings, key=lambda f: (f.address, f.check_id)),
        "uses_regions": any(uses_regions(v.document) for v in all_views),
    }


def _controls(profile: Profile) -> list[Control]:
    iam = profile.iam
    pp = iam.password_policy
    expiry = f"expires after {pp.max_age} days" if pp.max_age else "no expiry"
    rows = [
        Control("Password policy", f"minimum {pp.minimum_length} characters, reuse prevention {pp.reuse_prevention}, {expiry}",
                (("cis-1.2", "1.5–1.11"), ("cis-1.4", "1.8, 1.9"), ("cis-3.0", "1.8, 1.9"))),
        Control("Permissions boundary", f"`{profile.boundary_policy_name}` required on every user and role IAM administrators create"),
        Control("Permissions only through groups", "people get permissions only from their job-function groups; only programmatic users have direct policies",
                (("cis-1.2", "1.16"), ("cis-1.4", "1.15"), ("cis-3.0", "1.15"))),
        Control("No access keys or passwords created", "baselinegen never creates access keys, passwords or login profiles",
                (("cis-1.2", "1.21"), ("cis-1.4", "1.11"), ("cis-3.0", "1.11"))),
    ]
    if iam.require_mfa:
        rows.append(Control("MFA for console users", "every human group denies all but MFA self-service until the user signs in with MFA",
                            (("cis-1.2", "1.2"), ("cis-1.4", "1.10"), ("cis-3.0", "1.10"))))
    return rows
