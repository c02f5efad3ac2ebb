"""IAM component: password policy, permissions boundary, MFA enforcement, groups per job function, users; in an
organisation, job-function roles in every account and the people in the identity account."""

from __future__ import annotations

from ...profile.units import accounts_reached
from ...profile.model import Group, Iam, PasswordPolicy, PolicyStatementSpec, Profile, User
from ..base import Component, ComponentOutput, Move
from . import schema as iam_schema
from .center import sso_access
from .checks import check
from .center_checks import permission_set_problems
from .moves import iam_moves, organization_moves
from .organization import render_organization
from .render import render
from .invariants import iam_problems


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
        return check(data, doc) + permission_set_problems(data, doc, self.build)

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
                    reach=tuple(g["reach"]) if g.get("reach") is not None else None,
                    reached=accounts_reached(data, g["reach"]) if g.get("reach") is not None else (),
                    idp_group=g.get("idp_group"), session_duration=g.get("session_duration"), relay_state=g.get("relay_state"),
                )
                for g in iam["groups"]
            ),
            users=tuple(
                User(
                    name=u["name"], groups=tuple(u["groups"]), programmatic=u["programmatic"],
                    managed_policy_arns=tuple(u["managed_policy_arns"]), statements=_statement_specs(u["statements"]),
                    tags=tuple(sorted(u["tags"].items())), renamed_from=tuple(u["renamed_from"]),
                    email=u.get("email"), given_name=u.get("given_name"), family_name=u.get("family_name"),
                )
                for u in iam["users"]
            ),
            # identity-center: the administering account holds what the identity account would (placement IDENTITY)
            identity_account=iam.get("identity_account") or (iam.get("identity_center") or {}).get("account"),
            identity_source=iam["identity_source"],
            break_glass=tuple(iam.get("break_glass") or ()),
            identity_center_account=(iam.get("identity_center") or {}).get("account"),
            identity_center_delegated=any(a.get("role") == "security" and a.get("name") == (iam.get("identity_center") or {}).get("account")
                                          for a in data.get("accounts") or () if isinstance(a, dict)),
        )

    def trusted_access(self, profile: Profile):
        """identity-center: sso.amazonaws.com (delegated when the security account administers Identity Center)."""
        return (sso_access(profile.iam),) if profile.iam.identity_center else ()

    def moves(self, profile: Profile) -> list[Move]:
        """The single-account module's moves; with accounts, those of both modules (``organization_moves``)."""
        if profile.organization.accounts:
            return [m for moves in organization_moves(profile).values() for m in moves]
        return iam_moves(profile)

    def organization_moves(self, profile: Profile) -> dict[str, list[Move]]:
        """The organisation layout's moves by module: ``iam`` (identity account) and ``job_roles`` (every account)."""
        return organization_moves(profile)

    def invariants(self, parsed, profile: Profile) -> list[str]:
        return iam_problems(parsed, profile)

    def render(self, profile: Profile) -> ComponentOutput:
        return render(profile)

    def render_organization(self, profile: Profile) -> list[ComponentOutput]:
        return render_organization(profile)


COMPONENT = IamComponent()
