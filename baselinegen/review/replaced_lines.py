"""The security summary's lines for what Terraform will replace, phrased by what it means for people: the window
during apply in which a job function's policies, a role or a group's membership do not exist."""

from __future__ import annotations

from .context import area_of
from .model import Change, Replacement
from .names import type_name
from .replacements import Resolver, resource_instances
from .tree import Tree

# Who holds the permissions of a replaced resource: type -> (the argument naming its owner, the owner's kind)
_OWNERS = {"aws_iam_group_policy_attachment": ("group", "group"), "aws_iam_role_policy_attachment": ("role", "role"),
           "aws_iam_user_policy_attachment": ("user", "user"), "aws_iam_role_policy": ("role", "role"),
           "aws_iam_group_membership": ("group", "group")}
_WHO = {"group": "its members lose these permissions", "role": "whoever assumes it loses these permissions",
        "user": "it loses these permissions"}
DESCRIPTION_RULE = ("IAM policy descriptions now say the group's name and duty, never its profile description: this "
                    "regeneration replaces the policies that carried a description once; editing a description later "
                    "replaces nothing")


# Settings whose provider destroy changes nothing in AWS (schema.NoopContext in the provider's Go source, read for
# catalog/replace_on_change.json): a replacement only applies the new setting, so nothing is off in between.
_NOOP_DELETE = {"aws_guardduty_organization_configuration_feature": "GuardDuty organisation feature",
                "aws_guardduty_organization_configuration": "GuardDuty organisation configuration"}
# Replaced because a profile rename changed their names: the entity's rename line says so (review/entities.py)
_SAID_BY_RENAME = {"aws_cloudwatch_metric_alarm", "aws_cloudwatch_log_metric_filter"}


def replacement_changes(items: tuple[Replacement, ...], new: Tree, moves=()) -> tuple[Change, ...]:
    """One line per owner (a group's policies, a role) or per other replaced resource, in the order of ``items``;
    nothing for an alarm or metric filter a rename moved (``moves``: its rename line says it is replaced)."""
    moved = {target for _, target in moves}
    items = tuple(r for r in items if r.address not in moved or _type(r.address) not in _SAID_BY_RENAME)
    if not items:
        return ()
    instances = resource_instances(new, ())
    values = Resolver(new, (), set())
    lines: dict[tuple[str, str], list[str]] = {}
    described = []
    for address in dict.fromkeys(r.address for r in items):
        block, key = instances[address]
        arguments = [r.argument for r in items if r.address == address]
        owner = _OWNERS.get(block.type)
        if owner is not None:
            name = values.argument(block, key, owner[0])
            if block.type == "aws_iam_group_membership":
                text = f"group `{name}`'s membership is recreated: its members leave the group briefly during apply"
            else:
                text = f"{owner[1]} `{name}`'s policies are recreated: {_WHO[owner[1]]} briefly during apply"
        elif block.type == "aws_iam_role":
            name = values.argument(block, key, "name")
            text = f"role `{name}` is recreated: whoever assumes it loses its permissions briefly during apply"
        elif block.type in _NOOP_DELETE:
            text = (f"{_NOOP_DELETE[block.type]} `{address.rpartition(':')[2]}` is replaced for "
                    f"{', '.join(f'`{a}`' for a in arguments)}: its destroy changes nothing in AWS and its create applies "
                    "the new setting, so the protection has no gap")
        elif block.type == "aws_iam_policy":
            described += [address] if arguments == ["description"] else []  # a rename changes the name too
            continue  # its attachments are replaced too: the owner's line says it
        else:
            kind = type_name(block.type)
            text = (f"{kind} `{address.rpartition(':')[2]}` is replaced (destroyed, then created): "
                    f"{', '.join(f'`{a}`' for a in arguments)} changes")
        lines.setdefault((area_of(block.module), text), []).append(address)
    changes = [Change(area, "changed", text, tuple(addresses)) for (area, text), addresses in lines.items()]
    if described:
        changes.append(Change("iam", "changed", DESCRIPTION_RULE, tuple(described)))
    return tuple(changes)


def _type(address: str) -> str:
    """``accounts/x:module.m.aws_t.n["k"]`` -> ``aws_t``."""
    return address.split("[", 1)[0].rpartition(":")[2].split(".")[-2]
