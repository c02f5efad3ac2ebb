"""A renamed account (``accounts[].renamed_from``) keeps its resources in the organisation's shared roots: the
resources the management and security roots key by the account's name get ``moved`` blocks from the former name's
key to the new one, so a rename plans no destroy there (the placement's ``prevent_destroy`` would otherwise fail the
management root's plan, Security Hub and Inspector would drop the account and enrol it again, and a Security Hub
configuration policy associated with the account would leave it for the length of the apply).

The account's own root moves with its state (W430 says how); the review pairs the two roots by the account id
(review/account_renames.py).

    account_rename_moves(profile, "governance")   # [Move('aws_organizations_account.member["old"]', ...)]
"""

from __future__ import annotations

from ..components.base import Move, chained_moves, renamed
from ..components.detection.organization import administrator
from ..profile.model import Account, Profile
from ..render.filters import tf_identifier

PLACEMENT = "aws_organizations_account.member"
HUB_MEMBER = "aws_securityhub_member.this"
INSPECTOR_MEMBER = "aws_inspector2_member_association.this"
HUB_ASSOCIATION = "aws_securityhub_configuration_policy_association"


def _keyed(profile: Profile, component: str, account: Account, name: str) -> dict[str, str]:
    """Address of each resource of ``component``'s module keyed by ``name`` for ``account`` (role -> address)."""
    if component == "governance":
        return {PLACEMENT: f'{PLACEMENT}["{name}"]'} if account.role != "management" else {}
    if component != "detection":
        return {}
    # Security Hub configuration policies associated with the account itself (central configuration), in any account
    out = {f"{HUB_ASSOCIATION}.{tf_identifier(p.name)}": f'{HUB_ASSOCIATION}.{tf_identifier(p.name)}["{name}"]'
           for p in profile.detection.security_hub.policies if account.name in p.targets}
    admin = administrator(profile)
    if admin.id == account.id:
        return out
    out |= {f"{HUB_MEMBER}/{region}": f'{HUB_MEMBER}["{region}/{name}"]' for region in admin.regions}
    out |= {f"{INSPECTOR_MEMBER}/{region}": f'{INSPECTOR_MEMBER}["{region}/{name}"]'
            for region in account.regions if region in admin.regions}
    return out


def account_rename_moves(profile: Profile, component: str) -> list[Move]:
    """The moved blocks ``component``'s module needs for every renamed account, former names chained oldest first
    (the migrations file keeps only those whose resource the module declares)."""
    org = getattr(profile, "organization", None)
    if org is None or not org.accounts:
        return []
    moves = []
    for account in org.accounts:
        if account.renamed_from:
            generations = [_keyed(profile, component, account, name) for name in account.renamed_from + (account.name,)]
            moves += chained_moves(generations, renamed("accounts", account.name, account.renamed_from))
    return moves
