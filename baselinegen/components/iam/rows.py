"""The template rows the IAM modules share: customer managed policies rendered once, groups, users, accepted
findings. The single-account module ``iam`` and the organisation's ``iam`` and ``job_roles`` are built from them."""

from __future__ import annotations

from dataclasses import dataclass

from ...policy.document import PolicyDocument
from ...profile.model import Iam, Profile
from ...render.filters import tf_identifier
from ..base import AcceptedFinding
from .guardrails import boundary_policy, guardrails_document
from .policies import carries_guardrails, user_policies
from .policy_parts import GroupPolicies

SKIP_IAM_USER = ("CKV_AWS_273", "the profile defines one IAM user per person and per program, never shared (this baseline's identity rule); IAM Identity Center is the alternative")
SKIP_DIRECT_POLICY = ("CKV_AWS_40", "programmatic users may have policies attached directly (this baseline's rule for programs); people get permissions only through groups")
SKIP_EMPTY_GROUP = ("CKV2_AWS_14", "the profile assigns no members to this group yet")
SKIP_NO_EXPIRY = ("CKV_AWS_9", "the profile sets no password expiry (CIS dropped password expiry after v1.2.0)")


@dataclass(frozen=True)
class PolicyView:
    """A customer managed policy as the templates need it."""

    id: str
    document: PolicyDocument  # the whole policy, as IAM sees it
    description: str  # the document's: the owner's name and duty, never profile text (see PolicyViews.new)
    sources: tuple["PolicyView", ...] = ()  # this module's documents whose statements come first, written once there
    managed: bool = True  # False: the document alone, for other documents to take in (no aws_iam_policy)

    @property
    def own_statements(self) -> tuple:
        """The statements written in this document's block: those its sources do not bring."""
        return self.document.statements[sum(len(s.document.statements) for s in self.sources):]


def composed(view: PolicyView, sources: list[PolicyView]) -> PolicyView:
    """``view`` written as ``source_policy_documents`` (whose statements lead its own, as Terraform merges them) plus
    its own statements, so that a reviewer reads each shared statement once."""
    taken = tuple(s for source in sources for s in source.document.statements)
    if view.document.statements[: len(taken)] != taken:
        raise ValueError(f"{view.id}: the statements of {', '.join(s.id for s in sources)} must lead its own")
    return PolicyView(view.id, view.document, view.description, tuple(sources), view.managed)


def shared_views(profile: Profile, views: "PolicyViews") -> list[PolicyView]:
    """The guardrails (a managed policy when a job function carries it) and the permissions boundary made of them."""
    guardrails, boundary = guardrails_document(profile), boundary_policy(profile)
    views.rendered.add(guardrails.name)
    rails = PolicyView(policy_id(profile, guardrails), guardrails, guardrails.description, managed=carries_guardrails(profile))
    return [rails, composed(PolicyView("boundary", boundary, boundary.description), [rails])]


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

    def new(self, documents) -> list[PolicyView]:
        """Views of the documents not rendered yet. A policy's description is its document's, made of the owner's
        name and duty: IAM cannot change a managed policy's description, so free text from the profile there would
        replace the policy (and its attachments) at every wording change; the group's description goes to the
        module README instead."""
        out = []
        for d in documents:
            if d.name not in self.rendered:
                self.rendered.add(d.name)
                out.append(PolicyView(policy_id(self.profile, d), d, d.description))
        return out

    def attachments(self, policies: GroupPolicies) -> list[tuple[str, str, bool]]:
        return _attachments(policies, [PolicyView(policy_id(self.profile, d), d, d.description) for d in policies.documents])


def markdown_cell(text: str) -> str:
    """Profile text as one cell of a README table: one line, no table or HTML syntax."""
    flat = " ".join(text.split())
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|") or "—"


def members_by_group(iam: Iam) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {g.name: [] for g in iam.groups}
    for user in iam.users:
        for group_name in user.groups:
            members[group_name].append(tf_identifier(user.name))
    return members


def group_rows(profile: Profile, views: PolicyViews, policies_of, mfa: PolicyDocument | None,
               findings: list[AcceptedFinding], address: str) -> list[dict]:
    """The template rows of the groups; ``policies_of(group)`` gives a group's GroupPolicies."""
    members = members_by_group(profile.iam)
    groups = []
    for group in profile.iam.groups:
        gid = tf_identifier(group.name)
        policies = policies_of(group)
        documents = views.new(policies.documents)
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
                       "members": sorted(members[group.name]), "description": markdown_cell(group.description)})
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
