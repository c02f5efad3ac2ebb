"""What an app-developer group may do with one AWS service: grants of exact actions on ARN patterns scoped to the
app's name prefix.

Every pattern is scoped to the app's name prefix (``{prefix}``, e.g. ``payments-``). A grant also says
whether its actions honour the ``App`` tag, so that a group with an ``app_tag`` gets
``aws:ResourceTag/App`` (existing resources) or ``aws:RequestTag/App`` (creation) on top of the names:

* ``"resource"`` — every action acts on an existing, taggable resource;
* ``"request"`` — the actions create the resource and accept tags in the same call;
* ``"none"`` — names only (the resource type has no tag conditions, or the call is an upsert that
  cannot carry both conditions, e.g. ``ssm:PutParameter``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...policy.document import Condition, arn

PREFIX = "{prefix}"  # placeholder for the group's resource_prefix in ARN patterns and condition values


def regional_arn(service: str, resource: str) -> str:
    return arn(service, resource, region="*")


@dataclass(frozen=True)
class Grant:
    name: str  # Sid suffix, [A-Za-z0-9]+
    actions: tuple[str, ...]
    resources: tuple[str, ...]  # ARN patterns with PREFIX
    abac: str = "resource"  # "resource", "request" or "none" (see the module docstring)
    conditions: tuple[Condition, ...] = ()  # values may contain PREFIX


@dataclass(frozen=True)
class ServiceAccess:
    label: str  # Sid prefix, [A-Za-z0-9]+
    grants: tuple[Grant, ...]
    unscoped_reads: tuple[str, ...] = ()  # read-only actions that support no resource ARN (Resource "*")
    tag_actions: tuple[str, ...] = ()  # add tags; guarded against changing the App tag
    untag_actions: tuple[str, ...] = ()  # remove tags; guarded against removing the App tag
    tag_resources: tuple[str, ...] = ()
    pass_role_to: tuple[str, ...] = ()  # service principals the app may pass its own roles to
