"""IAM component: password policy, permissions boundary, MFA enforcement, groups per job function, users."""

from __future__ import annotations

from ..policy.document import uses_regions
from ..profile.model import BASELINE_PATH, Group, Iam, PasswordPolicy, PolicyStatementSpec, Profile, User
from ..profile.regions import partition_of
from . import iam_schema
from .base import AcceptedFinding, Component, ComponentOutput, Control, ModuleCall, Move, render_module
from .iam_policies import boundary_policy, group_policies, mfa_policy
from .iam_rows import PolicyView, PolicyViews, document_findings, group_rows, password_skips, user_rows
from .regional import REGIONS_INPUT

MODULE = "iam"


def _statement_specs(raw: list[dict]) -> tuple[PolicyStatementSpec, ...]:
    return tuple(
        PolicyStatementSpec(
            sid=s["sid"], effect=s["effect"], actions=tuple(s["actions"]), resources=tuple(s["resources"]),
            conditions=tuple((c["test"], c["variable"], tuple(c["values"])) for c in s["conditions"]),
        )
        for s in raw
    )


class IamComponent(Component):
    id = "iam"
    title = "IAM baseline"
    SCHEMA = iam_schema.SCHEMA

    def check(self, data, doc):
        return iam_schema.check(data, doc)

    def build(self, data: dict) -> Iam:
        iam = data["iam"]
        pp = iam["password_policy"]
        return Iam(
            password_policy=PasswordPolicy(
                minimum_length=pp["minimum_length"], require_uppercase=pp["require_uppercase"],
                require_lowercase=pp["require_lowercase"], require_numbers=pp["require_numbers"],
                require_symbols=pp["require_symbols"], allow_users_to_change=pp["allow_users_to_change"],
                hard_expiry=pp["hard_expiry"], max_age=pp["max_age"], reuse_prevention=pp["reuse_prevention"],
            ),
            require_mfa=iam["mfa"]["require_for_console"],
            groups=tuple(
                Group(
                    name=g["name"], duty=g["duty"], description=g.get("description", ""),
                    services=tuple(sorted(set(g.get("services", ())))), resource_prefix=g.get("resource_prefix"),
                    app_tag=g.get("app_tag"), managed_policy_arns=tuple(g["managed_policy_arns"]),
                    statements=_statement_specs(g["statements"]), renamed_from=tuple(g["renamed_from"]),
                )
                for g in iam["groups"]
            ),
            users=tuple(
                User(
                    name=u["name"], groups=tuple(u["groups"]), programmatic=u["programmatic"],
                    managed_policy_arns=tuple(u["managed_policy_arns"]), statements=_statement_specs(u["statements"]),
                    tags=tuple(sorted(u["tags"].items())), renamed_from=tuple(u["renamed_from"]),
                )
                for u in iam["users"]
            ),
            identity_account=iam.get("identity_account"),
        )

    def moves(self, profile: Profile) -> list[Move]:
        """The single-account module's moves; with accounts, those of both modules (``organization_moves``)."""
        from .iam_moves import iam_moves, organization_moves  # iam_moves builds on this module

        if profile.organization.accounts:
            return [m for moves in organization_moves(profile).values() for m in moves]
        return iam_moves(profile)

    def organization_moves(self, profile: Profile) -> dict[str, list[Move]]:
        """The organisation layout's moves by module: ``iam`` (identity account) and ``job_roles`` (every account)."""
        from .iam_moves import organization_moves

        return organization_moves(profile)

    def render(self, profile: Profile) -> ComponentOutput:
        context = _context(profile)
        inputs = (REGIONS_INPUT,) if context["uses_regions"] else ()
        out = ComponentOutput(module=ModuleCall(name=MODULE, source=f"./modules/{MODULE}", outputs=OUTPUTS, inputs=inputs))
        out.files += render_module(MODULE, ("main.tf", "policies.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"), context)
        out.accepted_findings = context["accepted_findings"]
        out.controls = _controls(profile)
        return out

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        from .iam_organization import render_organization  # builds on this module

        return render_organization(profile)


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
    boundary = boundary_policy(profile)
    shared = [PolicyView("boundary", boundary, boundary.description)]
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


COMPONENT = IamComponent()
