"""Write every generated IAM policy as a JSON document, for IAM Access Analyzer or other linters."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ..components.ci import policies as cp
from ..components.iam.guardrails import boundary_policy
from ..components.iam.permission_sets import export_index
from ..components.iam.policies import group_policies, mfa_policy, user_policies
from ..profile.model import Profile
from ..profile.regions import partition_of
from ..render.env import RenderedFile
from .document import PolicyDocument, to_json_policy

PLACEHOLDER_ACCOUNT_ID = "111122223333"


def _dump(data) -> str:
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def policy_files(profile: Profile, account_id: str = PLACEHOLDER_ACCOUNT_ID) -> list[RenderedFile]:
    """One ``<policy name>.json`` per generated policy and an ``index.json`` of what is attached where."""
    partition = partition_of(profile.organization.home_region)
    documents: dict[str, PolicyDocument] = {}
    index: dict[str, dict] = {"groups": {}, "users": {}, "shared": []}

    def add(doc: PolicyDocument) -> str:
        documents[doc.name] = doc
        return f"{doc.name}.json"

    index["shared"].append(add(boundary_policy(profile)))
    mfa = mfa_policy(profile) if profile.iam.require_mfa else None
    if mfa is not None:
        index["shared"].append(add(mfa))
    if profile.iam.identity_center:  # permission sets, not IAM groups (components/iam/permission_sets.py)
        index.update(export_index(profile, add, partition))
    for group in () if profile.iam.identity_center else profile.iam.groups:
        policies = group_policies(group, profile)
        files = [add(d) for d in policies.documents] + ([f"{mfa.name}.json"] if mfa is not None else [])
        index["groups"][group.name] = {"duty": group.duty, "documents": sorted(files),
                                       "managed_policy_arns": [a.replace("<partition>", partition) for a in policies.managed_policy_arns]}
    for user in profile.iam.users:
        if user.programmatic:
            policies = user_policies(user, profile)
            index["users"][user.name] = {"documents": sorted(add(d) for d in policies.documents),
                                         "managed_policy_arns": [a.replace("<partition>", partition) for a in policies.managed_policy_arns]}
    index.update(_ci_roles(profile, add))
    out = [RenderedFile(f"{name}.json", _dump(to_json_policy(doc, partition=partition, account_id=account_id,
                                                               regions=profile.organization.regions)))
           for name, doc in sorted(documents.items())]
    out.append(RenderedFile("index.json", _dump({"account_id": account_id, **index})))
    return out


def _ci_roles(profile: Profile, add) -> dict:
    """ci.github: the CI roles' permission policies (trust policies are not identity policies), by role."""
    if profile.ci.github is None:
        return {}
    def named(doc: PolicyDocument, name: str) -> str:
        return add(replace(doc, name=name))

    plan, apply = cp.role_name(profile, cp.PLAN), cp.role_name(profile, cp.APPLY)
    state = profile.state.enabled
    return {"ci_roles": {
        plan: {"documents": [named(cp.plan_read(profile), f"{plan}-read")] + ([named(cp.plan_state(profile), f"{plan}-state")] if state else [])},
        apply: {"documents": [named(cp.apply_manage(profile), f"{apply}-manage")] + ([named(cp.apply_state(profile), f"{apply}-state")] if state else []),
                "permissions_boundary": named(cp.boundary(profile), cp.boundary_name(profile))},
    }}


def write_policies(profile: Profile, out_dir: Path, account_id: str = PLACEHOLDER_ACCOUNT_ID) -> list[str]:
    from ..sync.session import open_folder
    from ..sync.writer import write_files

    files = policy_files(profile, account_id)
    with open_folder(out_dir, write=True):  # locked, and written as one transaction like a render
        write_files(out_dir, files)
    return [f.path for f in files]
