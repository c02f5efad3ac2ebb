"""Moved blocks for renamed IAM groups and users (``renamed_from``).

A group's resources are named after it: the group, its membership, its policy attachments (for_each keys are
policy names, which carry the group name) and the customer managed policies written for it. Each resource has a
role (what it is for the group); the addresses of every role under each former name and under the current name
give the moves. Shared policies (MFA, guardrails) keep their addresses and need none.

In the organisation layout a group's resources live in two modules: the group with its assume-role policy in
``iam`` (identity account), its job function role with the duty's policies in ``job_roles`` (every account).
IAM cannot rename a role: the moved blocks keep the plan a replacement of the same role, not a new one.
"""

from __future__ import annotations

from dataclasses import replace

from ...profile.model import Group, Profile, User
from ...render.filters import hcl_string, tf_identifier
from ..base import Move, chained_moves, renamed
from .rows import attachment_key, policy_id
from .policies import group_policies, mfa_policy, user_policies
from .policy_parts import GroupPolicies
from .roles import assume_role_policy


def _policy_roles(profile: Profile, policies: GroupPolicies, attachment: str, extra_keys: tuple[str, ...] = ()) -> dict:
    """The attachments (by managed policy ARN, by document, extra keys), then the customer managed policies."""
    roles = {("attachment", arn): f"{attachment}[{hcl_string(attachment_key(arn))}]" for arn in policies.managed_policy_arns}
    roles.update({("attachment", "document", i): f"{attachment}[{hcl_string(d.name)}]" for i, d in enumerate(policies.documents)})
    roles.update({("attachment", key): f"{attachment}[{hcl_string(key)}]" for key in extra_keys})
    roles.update({("policy", i): f"aws_iam_policy.{policy_id(profile, d)}" for i, d in enumerate(policies.documents)})
    return roles


def group_addresses(profile: Profile, group: Group, has_members: bool, policies: GroupPolicies | None = None) -> dict:
    """Role -> address of every resource the group's name is part of; ``policies``: the group's (default: its duty's)."""
    gid = tf_identifier(group.name)
    mfa = (mfa_policy(profile).name,) if profile.iam.require_mfa else ()
    roles = {("group",): f"aws_iam_group.{gid}"}
    if has_members:
        roles[("membership",)] = f"aws_iam_group_membership.{gid}"
    policies = policies if policies is not None else group_policies(group, profile)
    roles.update(_policy_roles(profile, policies, f"aws_iam_group_policy_attachment.{gid}", mfa))
    return roles


def identity_group_addresses(profile: Profile, group: Group, has_members: bool) -> dict:
    """Organisation layout, module ``iam``: the group with its assume-role policy."""
    return group_addresses(profile, group, has_members, GroupPolicies((), (assume_role_policy(profile, group),)))


def job_role_addresses(profile: Profile, group: Group, has_members: bool) -> dict:
    """Organisation layout, module ``job_roles``: the group's role with its duty's policies."""
    rid = tf_identifier(group.name)
    roles = {("role",): f"aws_iam_role.{rid}"}
    roles.update(_policy_roles(profile, group_policies(group, profile), f"aws_iam_role_policy_attachment.{rid}"))
    return roles


def user_addresses(profile: Profile, user: User) -> dict:
    uid = tf_identifier(user.name)
    roles = {("user",): f"aws_iam_user.{uid}"}
    if user.programmatic:
        policies = user_policies(user, profile)
        if policies.managed_policy_arns or policies.documents:
            roles.update(_policy_roles(profile, policies, f"aws_iam_user_policy_attachment.{uid}"))
    return roles


def _group_moves(profile: Profile, addresses_of) -> list[Move]:
    moves = []
    for group in profile.iam.groups:
        if group.renamed_from:
            members = any(group.name in user.groups for user in profile.iam.users)
            generations = [addresses_of(profile, replace(group, name=name), members) for name in group.renamed_from + (group.name,)]
            moves += chained_moves(generations, renamed("iam.groups", group.name, group.renamed_from))
    return moves


def _user_moves(profile: Profile) -> list[Move]:
    moves = []
    for user in profile.iam.users:
        if user.renamed_from:
            generations = [user_addresses(profile, replace(user, name=name)) for name in user.renamed_from + (user.name,)]
            moves += chained_moves(generations, renamed("iam.users", user.name, user.renamed_from))
    return moves


def iam_moves(profile: Profile) -> list[Move]:
    """The single-account module ``iam``."""
    return _group_moves(profile, group_addresses) + _user_moves(profile)


def organization_moves(profile: Profile) -> dict[str, list[Move]]:
    """The organisation layout's moves, by module: ``iam`` (identity account) and ``job_roles`` (every account)."""
    return {"iam": _group_moves(profile, identity_group_addresses) + _user_moves(profile),
            "job_roles": _group_moves(profile, job_role_addresses)}
