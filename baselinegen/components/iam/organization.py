"""The IAM component in the organisation layout: two modules.

* ``job_roles`` (every account): the password policy, the permissions boundary the iam-admin duty requires on
  what it creates, and one role per job function with exactly the policies its group has in a single account.
* ``iam`` (the identity account only): users, groups and MFA enforcement as in a single account; a group's only
  permission is to assume its job function's roles (``iam_roles``).
"""

from __future__ import annotations

from ...policy.document import uses_regions
from ...profile.model import BASELINE_PATH, Profile
from ...profile.regions import partition_of
from ...render.filters import tf_identifier
from ..base import EVERY_ACCOUNT, IDENTITY, AcceptedFinding, ComponentOutput, Control, ModuleCall, render_module
from .break_glass import render_break_glass
from .center import render_identity_center
from .render import MODULE, OUTPUTS
from .policies import group_policies, mfa_policy
from .policy_parts import GroupPolicies
from .rows import PolicyView, PolicyViews, document_findings, group_rows, password_skips, shared_views, user_rows
from .roles import MAX_SESSION_SECONDS, MFA_MAX_AGE_SECONDS, identity_account, role_name, trust_policy
from .roles import assume_role_policy
from .reach import REACH_INPUT, account_input, limited, reached
from ..regional import REGIONS_INPUT

JOB_ROLES = "job_roles"
JOB_ROLES_OUTPUTS = (
    ("job_roles_role_arns", "ARN of every job function role in this account, by group name."),
    ("job_roles_permissions_boundary_arn", "ARN of the permissions boundary that IAM administrators must attach to what they create."),
)
IDENTITY_OUTPUTS = tuple(o for o in OUTPUTS if o[0] != "iam_permissions_boundary_arn")


def render_organization(profile: Profile) -> list[ComponentOutput]:
    if profile.iam.identity_center:
        return [_job_roles(profile), render_identity_center(profile)] + ([render_break_glass(profile)] if profile.iam.break_glass else [])
    return [_job_roles(profile), _identity(profile)]


def _job_roles(profile: Profile) -> ComponentOutput:
    findings: list[AcceptedFinding] = []
    address = f"module.{JOB_ROLES}"
    views = PolicyViews(profile)
    shared = shared_views(profile, views)
    roles = []
    center = profile.iam.identity_center  # no roles: Identity Center creates them from the permission sets
    for group in () if center else profile.iam.groups:
        rid = tf_identifier(group.name)
        policies = group_policies(group, profile)
        skips = list(policies.checkov_skips)
        findings += [AcceptedFinding(c, f"{address}.aws_iam_role_policy_attachment.{rid}", r) for c, r in skips]
        roles.append({"id": rid, "group": group, "name": role_name(profile, group.name),
                      "policies": views.new(policies.documents),
                      "attachments": views.attachments(policies), "attachment_skips": skips,
                      "limited": group.reach is not None,
                      "reached": [a.name for a in reached(profile, group)]})
    skips = password_skips(profile, findings, address)
    all_views = shared + [v for r in roles for v in r["policies"]]
    document_findings(all_views, findings, address)
    context = {
        **_module_context(profile, shared),
        "password_policy": profile.iam.password_policy,
        "password_skips": skips,
        "trust": None if center else trust_policy(profile),
        "center": center,
        "max_session_seconds": MAX_SESSION_SECONDS,
        "mfa_max_age_seconds": MFA_MAX_AGE_SECONDS,
        "groups": roles,
        "users": [],
        "uses_regions": any(uses_regions(v.document) for v in all_views),
        "reach_input": REACH_INPUT if limited(profile) and not center else None,
    }
    inputs = (REGIONS_INPUT,) if context["uses_regions"] else ()
    per_account = tuple((a.name, (account_input(profile, a),)) for a in profile.organization.accounts) if limited(profile) and not center else ()
    outputs = JOB_ROLES_OUTPUTS[1:] if center else JOB_ROLES_OUTPUTS
    call = ModuleCall(name=JOB_ROLES, source=f"./modules/{JOB_ROLES}", outputs=outputs, inputs=inputs,
                      title="Job function roles, the password policy and the permissions boundary", account_inputs=per_account)
    out = ComponentOutput(module=call, placement=EVERY_ACCOUNT)
    out.files += render_module(JOB_ROLES, ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md", "policies.tf"),
                               context, templates={"policies.tf": f"{MODULE}/policies.tf.j2"})
    out.accepted_findings = sorted(findings, key=lambda f: (f.address, f.check_id))
    out.controls = _job_role_controls(profile)[:2] if center else _job_role_controls(profile)
    return out


def _identity(profile: Profile) -> ComponentOutput:
    """The users' module: as in a single account, without the password policy and the boundary (job_roles has
    them) and with one assume-role policy per group instead of the duty's policies."""
    findings: list[AcceptedFinding] = []
    address = f"module.{MODULE}"
    views = PolicyViews(profile)
    mfa = mfa_policy(profile) if profile.iam.require_mfa else None
    shared = [PolicyView("mfa", mfa, mfa.description)] if mfa is not None else []
    groups = group_rows(profile, views, lambda group: GroupPolicies((), (assume_role_policy(profile, group),)), mfa,
                        findings, address)
    users = user_rows(profile, views, findings, address)
    all_views = shared + [v for g in groups for v in g["policies"]] + [v for u in users for v in u["policies"]]
    document_findings(all_views, findings, address)
    context = {
        **_module_context(profile, shared),
        "password_policy": None,
        "password_skips": [],
        "mfa_required": mfa is not None,
        "groups": groups,
        "users": users,
    }
    call = ModuleCall(name=MODULE, source=f"./modules/{MODULE}", outputs=IDENTITY_OUTPUTS,
                      title="The people: IAM users, groups and the roles each group may assume")
    out = ComponentOutput(module=call, placement=frozenset({IDENTITY}))
    out.files += render_module(MODULE, ("main.tf", "policies.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"),
                               dict(context, uses_regions=False))
    out.accepted_findings = sorted(findings, key=lambda f: (f.address, f.check_id))
    out.controls = _identity_controls(profile)
    return out


def _module_context(profile: Profile, shared: list) -> dict:
    """What the templates of both modules (job_roles and the identity account's iam) read alike."""
    return {"source": profile.source, "partition": partition_of(profile.organization.home_region), "iam_path": BASELINE_PATH,
            "identity_account": identity_account(profile), "shared_policies": shared}


def _job_role_controls(profile: Profile) -> list[Control]:
    pp = profile.iam.password_policy
    expiry = f"expires after {pp.max_age} days" if pp.max_age else "no expiry"
    identity = identity_account(profile)
    return [
        Control("Password policy", f"every account: minimum {pp.minimum_length} characters, reuse prevention "
                                   f"{pp.reuse_prevention}, {expiry}",
                (("cis-1.2", "1.5–1.11"), ("cis-1.4", "1.8, 1.9"), ("cis-3.0", "1.8, 1.9"))),
        Control("Permissions boundary", f"`{profile.boundary_policy_name}` in every account, required on every user and "
                                        "role IAM administrators create"),
        Control("Cross-account job function roles", f"every account has one role per job function, `{role_name(profile, '<Group>')}`, "
                                                    f"with the group's policies; it trusts only the `{identity.name}` account"
                                                    + _where_roles(profile)),
        Control("MFA on role assumption", f"a role session needs MFA at most {MFA_MAX_AGE_SECONDS // 3600} hours old and the "
                                          "user's name as session name; sessions last at most "
                                          f"{MAX_SESSION_SECONDS // 60} minutes"),
    ]


def _where_roles(profile: Profile) -> str:
    """The groups whose role is only where they reach (iam.groups[].reach), for the control's text."""
    if not limited(profile):
        return ""
    return "; a group with a reach has its role only there (" + "; ".join(f"{g.name}: {', '.join(g.reached)}" for g in limited(profile)) + ")"


def _identity_controls(profile: Profile) -> list[Control]:
    identity = identity_account(profile)
    rows = [
        Control("IAM users in one account", f"people and programs are IAM users of the `{identity.name}` account only"),
        Control("Permissions only through roles", "a group may only assume its own job function's role in each account; "
                                                  "only programmatic users have direct policies, in "
                                                  f"`{identity.name}` only",
                (("cis-1.2", "1.16"), ("cis-1.4", "1.15"), ("cis-3.0", "1.15"))),
        Control("No access keys or passwords created", "baselinegen never creates access keys, passwords or login profiles",
                (("cis-1.2", "1.21"), ("cis-1.4", "1.11"), ("cis-3.0", "1.11"))),
    ]
    if profile.iam.require_mfa:
        rows.append(Control("MFA for console users", "every human group denies all but MFA self-service until the user "
                                                     "signs in with MFA", (("cis-1.2", "1.2"), ("cis-1.4", "1.10"), ("cis-3.0", "1.10"))))
    return rows
