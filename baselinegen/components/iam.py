"""IAM component: password policy, permissions boundary, MFA enforcement, groups per job function, users."""

from __future__ import annotations

from dataclasses import dataclass

from ..policy.document import PolicyDocument, uses_regions
from ..profile.model import BASELINE_PATH, Group, Iam, PasswordPolicy, PolicyStatementSpec, Profile, User
from ..profile.regions import partition_of
from ..render.filters import tf_identifier
from . import iam_schema
from .base import AcceptedFinding, Component, ComponentOutput, Control, ModuleCall, Move, render_module
from .regional import REGIONS_INPUT
from .iam_policies import GroupPolicies, boundary_policy, group_policies, mfa_policy, user_policies

MODULE = "iam"
SKIP_IAM_USER = ("CKV_AWS_273", "the profile defines one IAM user per person and program (seed 003); IAM Identity Center is the alternative")
SKIP_DIRECT_POLICY = ("CKV_AWS_40", "programmatic users may have policies attached directly (seed 003); people get permissions only through groups")
SKIP_EMPTY_GROUP = ("CKV2_AWS_14", "the profile assigns no members to this group yet")
SKIP_NO_EXPIRY = ("CKV_AWS_9", "the profile sets no password expiry (seed 003; CIS dropped expiry after v1.2.0)")


def _statement_specs(raw: list[dict]) -> tuple[PolicyStatementSpec, ...]:
    return tuple(
        PolicyStatementSpec(
            sid=s["sid"], effect=s["effect"], actions=tuple(s["actions"]), resources=tuple(s["resources"]),
            conditions=tuple((c["test"], c["variable"], tuple(c["values"])) for c in s["conditions"]),
        )
        for s in raw
    )


@dataclass(frozen=True)
class PolicyView:
    """A customer managed policy as the templates need it."""

    id: str
    document: PolicyDocument
    description: str  # the profile's group description when it has one, else the document's


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


def attachment_key(arn: str) -> str:
    """The for_each key of a managed policy's attachment: the policy name for AWS managed policies, else the ARN."""
    head, _, name = arn.partition(":policy/")
    return name if head.rsplit(":", 1)[-1] == "aws" else arn


def policy_id(profile: Profile, document: PolicyDocument) -> str:
    """The Terraform name of a customer managed policy: its IAM name without the organisation prefix."""
    name = document.name
    prefix = f"{profile.organization.name}-"
    return tf_identifier(name[len(prefix):] if name.startswith(prefix) else name)


def _attachments(policies: GroupPolicies, documents: list[PolicyView]) -> list[tuple[str, str, bool]]:
    """(for_each key, value, value is an expression) for one group's or user's policy attachments."""
    rows = [(attachment_key(arn), arn, False) for arn in policies.managed_policy_arns]
    for view in documents:
        rows.append((view.document.name, f"aws_iam_policy.{view.id}.arn", True))
    return sorted(rows)


class PolicyViews:
    """The customer managed policies of one module: a document shared by groups (or roles) is rendered once."""

    def __init__(self, profile: Profile):
        self.profile = profile
        self.shared_prefix = f"{profile.organization.name}-baseline-"
        self.rendered: set[str] = set()

    def new(self, documents, description: str = "") -> list[PolicyView]:
        """Views of the documents not rendered yet; the profile's description replaces an owner's own ones."""
        out = []
        for d in documents:
            if d.name not in self.rendered:
                self.rendered.add(d.name)
                text = d.description if d.name.startswith(self.shared_prefix) else (description or d.description)
                out.append(PolicyView(policy_id(self.profile, d), d, text))
        return out

    def attachments(self, policies: GroupPolicies) -> list[tuple[str, str, bool]]:
        return _attachments(policies, [PolicyView(policy_id(self.profile, d), d, d.description) for d in policies.documents])


def members_by_group(iam: Iam) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {g.name: [] for g in iam.groups}
    for user in iam.users:
        for group_name in user.groups:
            members[group_name].append(tf_identifier(user.name))
    return members


def group_rows(profile: Profile, views: PolicyViews, policies_of, mfa: PolicyDocument | None,
               findings: list[AcceptedFinding], address: str, describe: bool = True) -> list[dict]:
    """The template rows of the groups; ``policies_of(group)`` gives a group's GroupPolicies. ``describe``: the
    group's description (when it has one) describes its policies."""
    members = members_by_group(profile.iam)
    groups = []
    for group in profile.iam.groups:
        gid = tf_identifier(group.name)
        policies = policies_of(group)
        documents = views.new(policies.documents, group.description if describe else "")
        attachments = views.attachments(policies)
        if mfa is not None:
            attachments = sorted(attachments + [(mfa.name, "aws_iam_policy.mfa.arn", True)])
        skips = list(policies.checkov_skips)
        group_skips = [SKIP_EMPTY_GROUP] if not members[group.name] else []
        for check_id, reason in skips:
            findings.append(AcceptedFinding(check_id, f"{address}.aws_iam_group_policy_attachment.{gid}", reason))
        for check_id, reason in group_skips:
            findings.append(AcceptedFinding(check_id, f"{address}.aws_iam_group.{gid}", reason))
        groups.append({"id": gid, "group": group, "policies": documents, "attachments": attachments,
                       "attachment_skips": skips, "group_skips": group_skips,
                       "members": sorted(members[group.name])})
    return groups


def user_rows(profile: Profile, views: PolicyViews, findings: list[AcceptedFinding], address: str) -> list[dict]:
    users = []
    for user in profile.iam.users:
        uid = tf_identifier(user.name)
        skips = [SKIP_IAM_USER]
        attachments, documents = [], []
        if user.programmatic:
            policies = user_policies(user, profile)
            documents = views.new(policies.documents)
            attachments = views.attachments(policies)
            if attachments:
                findings.append(AcceptedFinding(SKIP_DIRECT_POLICY[0], f"{address}.aws_iam_user_policy_attachment.{uid}", SKIP_DIRECT_POLICY[1]))
        for check_id, reason in skips:
            findings.append(AcceptedFinding(check_id, f"{address}.aws_iam_user.{uid}", reason))
        users.append({"id": uid, "user": user, "policies": documents, "attachments": attachments, "skips": skips,
                      "attachment_skips": [SKIP_DIRECT_POLICY] if attachments else []})
    return users


def password_skips(profile: Profile, findings: list[AcceptedFinding], address: str) -> list[tuple[str, str]]:
    skips = [SKIP_NO_EXPIRY] if profile.iam.password_policy.max_age is None else []
    for check_id, reason in skips:
        findings.append(AcceptedFinding(check_id, f"{address}.aws_iam_account_password_policy.this", reason))
    return skips


def document_findings(views: list[PolicyView], findings: list[AcceptedFinding], address: str) -> None:
    for view in views:
        for check_id, reason in view.document.checkov_skips:
            findings.append(AcceptedFinding(check_id, f"{address}.data.aws_iam_policy_document.{view.id}", reason))


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
                (("cis-1.2", "1.21"), ("cis-1.4", "1.11, 1.13"), ("cis-3.0", "1.11, 1.13"))),
    ]
    if iam.require_mfa:
        rows.append(Control("MFA for console users", "every human group denies all but MFA self-service until the user signs in with MFA",
                            (("cis-1.2", "1.2"), ("cis-1.4", "1.10"), ("cis-3.0", "1.10"))))
    return rows


COMPONENT = IamComponent()
