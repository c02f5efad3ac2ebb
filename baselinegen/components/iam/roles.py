"""Organisation layout: one IAM role per job function in every account, assumed from the identity account.

People sign in to the identity account only (``iam.identity_account``); their groups may do nothing there but
assume their job function's role, in any account of the organisation. Each role carries exactly the policies the
group carries in a single-account baseline (``iam_policies.group_policies``).

* Trust: the identity account (``arn:<partition>:iam::<identity id>:root``, a literal), so the identity account's
  policies decide who of its users may assume the role; the group policies allow exactly one role name.
  ``aws:PrincipalOrgID`` would add nothing: the one trusted account is known by its id.
* MFA: the session must have signed in with MFA (``aws:MultiFactorAuthPresent``) at most ``MFA_MAX_AGE_SECONDS``
  ago: one working day, the length of a console sign-in and of ``sts get-session-token``'s default credentials.
* Traceability: the role session name must be the IAM user's name (``sts:RoleSessionName`` = ``${aws:username}``).
  The console's Switch Role names the session after the user; CLI users set ``role_session_name``. CloudTrail in
  every account then names the person, and IAM roles of the identity account (which have no user name) cannot
  assume a job role at all.
"""

from __future__ import annotations

from ...policy.document import Condition, PolicyDocument, Principal, Statement, arn
from ...profile.model import BASELINE_PATH, Account, Group, Profile
from .policy_parts import policy_name
from .reach import reached

MFA_MAX_AGE_SECONDS = 43200  # 12 hours
MAX_SESSION_SECONDS = 3600  # AWS's default; the console's Switch Role sessions last an hour anyway
SWITCH_ROLE_MAX_CHARS = 64  # the console's Switch Role takes a role whose path and name together fit in 64
MFA_PRESENT = Condition("Bool", "aws:MultiFactorAuthPresent", ("true",))


def role_name(profile: Profile, group_name: str) -> str:
    """The job function role of a group: ``<org>-<GroupName>``, on the baseline's IAM path."""
    return f"{profile.organization.name}-{group_name}"


def role_name_fits(org_name: str, group_name: str) -> bool:
    return len(BASELINE_PATH) + len(org_name) + 1 + len(group_name) <= SWITCH_ROLE_MAX_CHARS


def identity_account(profile: Profile) -> Account:
    return next(a for a in profile.organization.accounts if a.name == profile.iam.identity_account)


def role_arn(profile: Profile, group_name: str, account: Account) -> str:
    return arn("iam", f"role{BASELINE_PATH}{role_name(profile, group_name)}", account=account.id)


def trust_policy(profile: Profile) -> PolicyDocument:
    """Who may assume every job function role: users of the identity account, signed in with MFA, by name."""
    identity = identity_account(profile)
    statement = Statement(
        sid="AssumeFromIdentityAccountWithMFA", actions=("sts:AssumeRole",),
        principals=(Principal("AWS", (f"arn:<partition>:iam::{identity.id}:root",)),),
        conditions=(MFA_PRESENT,
                    Condition("NumericLessThan", "aws:MultiFactorAuthAge", (str(MFA_MAX_AGE_SECONDS),)),
                    Condition("StringEquals", "sts:RoleSessionName", ("${aws:username}",))))
    return PolicyDocument(name="trust", description=f"Users of the {identity.name} account, signed in with MFA",
                          statements=(statement,))


def assume_role_policy(profile: Profile, group: Group) -> PolicyDocument:
    """A group's only permission in the identity account: its job function role in every account it reaches, with MFA."""
    accounts = reached(profile, group)
    resources = tuple(sorted(role_arn(profile, group.name, account) for account in accounts))
    statement = Statement(sid="AssumeJobFunctionRoleWithMFA", actions=("sts:AssumeRole",), resources=resources,
                          conditions=(MFA_PRESENT,))
    # Neither the account names nor whether a reach is set: a policy's description cannot change in place (Terraform
    # replaces the policy, and the group's members briefly cannot assume their roles), and a reach may change often.
    return PolicyDocument(name=policy_name(profile, group.name, "assume-role"),
                          description=f"{group.name}: assume the {role_name(profile, group.name)} role in every account "
                                      "it reaches, with MFA",
                          statements=(statement,))
