"""The IAM side of one tree: groups, users, memberships, attachments and who uses which policy."""

from __future__ import annotations

import re
from collections import defaultdict

from ...review.context import Context, reference, sibling
from ...review.policies import allowed_and_denied, document
from ...review.tree import Block
from ...review.values import plain

_BANNER = re.compile(r"^# Group (.+) \(([a-z][\w-]*)\)$", re.M)  # the generated section banner of a group
POLICY_TITLES = {"boundary": "permissions boundary", "baseline_guardrails": "guardrails", "mfa": "MFA policy"}


class IamSide:
    def __init__(self, ctx: Context, side: str):
        self.ctx, self.side = ctx, side
        tree = ctx.old if side == "old" else ctx.new
        self.groups = ctx.of_type(side, "aws_iam_group")
        self.users = ctx.of_type(side, "aws_iam_user")
        self.policies = ctx.of_type(side, "aws_iam_policy")
        self.members: dict[str, list[str]] = defaultdict(list)  # group address -> user names
        self.membership_block: dict[str, str] = {}
        self.attachments: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)  # principal -> key -> target
        self.attachment_block: dict[str, str] = {}
        self.attached_to: dict[str, set[str]] = defaultdict(set)  # policy address -> principals
        self.duties: dict[str, str] = {}
        for module in {b.module for b in self.groups.values()}:
            for text in tree.module_texts(module):
                self.duties.update({name: duty for name, duty in _BANNER.findall(text)})
        for address, block in ctx.of_type(side, "aws_iam_group_membership").items():
            group = self._ref(block, "group", "aws_iam_group")
            if group:
                self.membership_block[group] = address
                for value in block.body.get("users") or []:
                    user = reference(value, "aws_iam_user")
                    found = self.users.get(self.resolve(sibling(block, "aws_iam_user", user))) if user else None
                    self.members[group].append(self.name(found) if found else plain(value))
        for type_, attribute, kind in (("aws_iam_group_policy_attachment", "group", "aws_iam_group"),
                                       ("aws_iam_user_policy_attachment", "user", "aws_iam_user")):
            for address, block in ctx.of_type(side, type_).items():
                principal = self._ref(block, attribute, kind)
                targets = block.body.get("for_each")
                if not principal or not isinstance(targets, dict):
                    continue
                self.attachment_block[principal] = address
                for key, value in targets.items():
                    policy = reference(value, "aws_iam_policy")
                    if policy:
                        target = ("policy", self.resolve(sibling(block, "aws_iam_policy", policy)))
                        self.attached_to[target[1]].add(principal)
                    else:
                        target = ("arn", plain(value))
                    self.attachments[principal][plain(key)] = target

    def resolve(self, address: str) -> str:
        return self.ctx.resolve(self.side, address)

    def _ref(self, block: Block, attribute: str, kind: str) -> str | None:
        name = reference(block.body.get(attribute), kind)
        return self.resolve(sibling(block, kind, name)) if name else None

    @staticmethod
    def name(block: Block | None) -> str:
        return plain(block.body.get("name")) if block is not None else "?"

    def principal_name(self, address: str) -> str:
        return self.name(self.groups.get(address) or self.users.get(address))

    def groups_of(self, user: str) -> list[str]:
        return sorted(self.name(self.groups.get(g)) for g, names in self.members.items() if user in names)

    def actions(self, principal: str, exclusive: set[str]) -> tuple[set[str], set[str]]:
        """Allowed and denied actions of the principal's exclusive policies."""
        allowed, denied = set(), set()
        for kind, target in self.attachments.get(principal, {}).values():
            if kind == "policy" and target in exclusive:
                a, d = allowed_and_denied(document(self.ctx, self.side, self.policies.get(target))[1])
                allowed |= a
                denied |= d
        return allowed, denied

    def policy_title(self, address: str) -> str:
        block = self.policies.get(address)
        kind = POLICY_TITLES.get(block.name, "policy") if block else "policy"
        return f"{kind} `{self.name(block)}`"


def exclusive_policies(old: IamSide, new: IamSide) -> set[str]:
    """Policies used by exactly one principal, the same in both trees: their changes read as that
    principal's (``group X: +s3:PutObject``); other policies are reported on their own."""
    out = set()
    for address in set(old.policies) | set(new.policies):
        users = [side.attached_to.get(address, set()) for side in (old, new) if address in side.policies]
        if all(len(u) == 1 for u in users) and len({frozenset(u) for u in users}) == 1:
            out.add(address)
    return out
