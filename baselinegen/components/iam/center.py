"""The ``identity_center`` module (``iam.identity_source: identity-center``), in the account that administers IAM
Identity Center (``iam.identity_center.account``; placed like the identity account, which the model sets to it):
per job function a group (created in the Identity Store, or the identity provider's, looked up), a permission set
built in ``permission_sets`` from the groups' policy source, and its assignments to exactly the accounts the group
reaches. The customer managed policies and the boundary the permission sets name come from ``job_roles``."""

from __future__ import annotations

from ...policy.document import uses_regions
from ...profile.model import BASELINE_PATH, Profile
from ...profile.regions import partition_of
from ...render.filters import tf_identifier
from ..base import IDENTITY, AcceptedFinding, ComponentOutput, Control, ModuleCall, render_module
from ..trusted_access import ORGANIZATIONS, TrustedAccess
from .permission_sets import permission_sets
from .reach import reached
from .roles import identity_account
from .rows import attachment_key

CENTER = "identity_center"
OUTPUTS = (("identity_center_permission_set_arns", "ARN of every job function's permission set, by group name."),
           ("identity_center_group_ids", "Identity Store id of every job function's group, by group name."))


def sso_access(iam) -> TrustedAccess:
    """Trusted access for Identity Center; delegated to the security account when that account administers it."""
    delegated = iam.identity_center_delegated
    return TrustedAccess("sso.amazonaws.com", "IAM Identity Center (iam.identity_source: identity-center) assigns permission "
                                              "sets in every account", ORGANIZATIONS if delegated else "",
                         "IAM Identity Center" if delegated else "")


def _row(profile: Profile, ps) -> dict:
    rid = tf_identifier(ps.name)
    principal = (f"data.aws_identitystore_group.{rid}.group_id" if ps.group.idp_group
                 else f"aws_identitystore_group.{rid}.group_id")
    managed = [(attachment_key(arn), arn) for arn in ps.managed_policy_arns]
    depends = ([f"aws_ssoadmin_managed_policy_attachment.{rid}"] if managed else []) \
        + ([f"aws_ssoadmin_permission_set_inline_policy.{rid}"] if ps.inline else []) \
        + ([f"aws_ssoadmin_customer_managed_policy_attachment.{rid}"] if ps.customer_managed else []) \
        + ([f"aws_ssoadmin_permissions_boundary_attachment.{rid}"] if ps.boundary else [])
    return {"id": rid, "set": ps, "group": ps.group, "principal": principal, "managed": managed, "depends_on": depends,
            "description": ps.group.description or f"{ps.name} job function ({ps.group.duty})"}


def _members(profile: Profile, ps) -> list[tuple[str, str]]:
    return [] if ps.group.idp_group else [(u.name, f"aws_identitystore_user.{tf_identifier(u.name)}.user_id")
                                          for u in profile.iam.users if ps.name in u.groups]


def render_identity_center(profile: Profile) -> ComponentOutput:
    sets = permission_sets(profile)
    rows = [_row(profile, ps) for ps in sets]
    address = f"module.{CENTER}"
    findings = [AcceptedFinding(check, f"{address}.data.aws_iam_policy_document.{r['id']}", reason)
                for r in rows if r["set"].inline for check, reason in r["set"].inline.checkov_skips]
    findings += [AcceptedFinding(check, f"{address}.aws_ssoadmin_managed_policy_attachment.{r['id']}", reason)
                 for r in rows if r["managed"] for check, reason in r["set"].checkov_skips]
    account = identity_account(profile)
    common = {"source": profile.source, "iam_path": BASELINE_PATH, "boundary_name": profile.boundary_policy_name}
    context = dict(common, partition=partition_of(profile.organization.home_region), account=account, sets=rows)
    uses = any(r["set"].inline and uses_regions(r["set"].inline) for r in rows)
    context["uses_regions"] = uses
    regions = "[" + ", ".join(f'"{r}"' for r in profile.organization.regions) + "]"
    call = ModuleCall(name=CENTER, source=f"./modules/{CENTER}", outputs=OUTPUTS, inputs=(("regions", regions),) if uses else (),
                      title="IAM Identity Center: a permission set, a group and its assignments per job function")
    out = ComponentOutput(module=call, placement=frozenset({IDENTITY}))
    # the groups and permission sets (main.tf), the people in them (people.tf) and the accounts they reach
    # (assignments.tf, the README's table) change apart: each part is rendered from what it shows, so a new user
    # renders people.tf alone, not the permission sets nor the assignments of thousands of accounts
    assigned = dict(common, account=account,
                    sets=[dict(row, assignments=[(a.name, a.id) for a in reached(profile, ps.group)]) for row, ps in zip(rows, sets)])
    out.files += render_module(CENTER, ("main.tf", "variables.tf", "outputs.tf", "versions.tf"), context)
    if profile.iam.users:
        people = {"source": profile.source, "users": [{"id": tf_identifier(u.name), "user": u} for u in profile.iam.users],
                  "memberships": [{"id": row["id"], "name": ps.name, "members": members} for row, ps in zip(rows, sets)
                                  if (members := _members(profile, ps))]}
        out.files += render_module(CENTER, ("people.tf",), people)
    out.files += render_module(CENTER, ("assignments.tf", "README.md"), assigned)
    out.accepted_findings = sorted(findings, key=lambda f: (f.address, f.check_id))
    out.controls = [
        Control("People through IAM Identity Center", f"one permission set per job function, administered in `{account.name}`; "
                                                      "each group assigned only in the accounts it reaches; no IAM users",
                (("cis-1.4", "1.21"), ("cis-3.0", "1.21"))),
        Control("MFA in Identity Center", "Identity Center's setting (checklist): MFA every time people sign in",
                (("cis-1.4", "1.10"), ("cis-3.0", "1.10"))),
    ]
    out.checklist = [
        "IAM Identity Center: enable the organisation instance before the first apply; with an external identity provider, "
        "connect it and provision the groups named in iam.groups[].idp_group by SCIM (modules/identity_center/README.md).",
        "IAM Identity Center MFA: Settings → Authentication → Multi-factor authentication: prompt users 'Every time they "
        "sign in (always-on)', allow authenticator apps and security keys, and require users without a device to register "
        "one at sign-in (CIS 1.10).",
    ]
    return out
