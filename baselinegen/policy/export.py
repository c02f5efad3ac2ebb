"""Write every policy the rendered Terraform attaches, as JSON documents for IAM Access Analyzer or other linters,
with ``index.json`` saying which principal in which account holds each (policy/rendered.py reads them from the
rendered tree itself, in both modes).

Layout: one folder per account (``<account name>/`` in an organisation, ``<account id>/`` for a single account
exported for several ids; a single account with one id is written flat), each with one ``<name>.json`` per managed
policy, inline role policy, trust policy (``<role>-trust.json``), organisation policy and resource policy
(``<bucket>-bucket-policy.json``, ``<alias>-key-policy.json``, ``<topic>-topic-policy.json``, the index naming the
bucket, key or topic that holds each); AWS managed policies are
listed in the index by ARN (their documents are AWS's). In identity-center mode the permission sets' effective
policies are in ``permission_sets/`` (one inline policy per permission set, the customer-managed policies and the
boundary it names), listed under ``permission_sets`` in the index with the accounts each is assigned in, all read from
the rendered ``aws_ssoadmin_*`` resources (policy/permission_sets.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import UserError
from ..pipeline import render_tree
from ..profile.model import Profile
from ..profile.regions import partition_of
from ..render.env import RenderedFile
from .permission_sets import permission_set_files
from .rendered import Exported, account_roots, export

PLACEHOLDER_ACCOUNT_ID = "111122223333"
_UNSAFE = re.compile(r"[^\w+=,.@-]")


def _dump(data) -> str:
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def policy_files(profile: Profile, account_ids: list[str] | None = None) -> list[RenderedFile]:
    """The JSON documents and ``index.json``. ``account_ids``: a single account's ids (one folder each; default the
    placeholder), or in an organisation the accounts to export (default: every account)."""
    files = {f.path: f.content for f in render_tree(profile).files}
    partition = partition_of(profile.organization.home_region)
    roots = account_roots(files)
    if roots:
        known = {number: root.removeprefix("accounts/") for root, number in roots.items()}
        unknown = [i for i in account_ids or [] if i not in known]
        if unknown:
            raise UserError(f"--account-id {unknown[0]!r} is not an account of the profile; its accounts: "
                            + ", ".join(f"{n} ({i})" for i, n in sorted(known.items(), key=lambda kv: kv[1])))
        wanted = {known[i] for i in account_ids} if account_ids else set(known.values())
        exported = [e for e in export(files, PLACEHOLDER_ACCOUNT_ID, partition) if e.account in wanted]
        groups = {name: ([e for e in exported if e.account == name], number, name) for number, name in known.items() if name in wanted}
    else:
        ids = list(dict.fromkeys(account_ids or [PLACEHOLDER_ACCOUNT_ID]))
        groups = {number: (export(files, number, partition), number, "" if len(ids) == 1 else number) for number in ids}
    out, index = [], {}
    for name in sorted(groups):
        entries, number, folder = groups[name]
        written, listed = _account_files(entries, folder)
        out += written
        index[name] = {"account_id": number, "folder": folder or ".", **listed}
    listed = {"accounts": index}
    documents, sets = permission_set_files(files, PLACEHOLDER_ACCOUNT_ID, partition)
    if sets:
        listed["permission_sets"] = sets
        out += [RenderedFile(f"permission_sets/{name}", _dump(doc)) for name, doc in sorted(documents.items())]
    out.append(RenderedFile("index.json", _dump(listed)))
    return out


def _account_files(entries: list[Exported], folder: str) -> tuple[list[RenderedFile], dict]:
    files, policies, managed, used = [], [], [], set()
    for e in entries:
        if e.kind == "aws-managed":
            managed.append({"arn": e.name, "holders": e.holders})
            continue
        stem = _UNSAFE.sub("_", e.name)
        if stem in used:
            stem = f"{stem}.{e.kind}"
        used.add(stem)
        path = f"{folder}/{stem}.json" if folder else f"{stem}.json"
        files.append(RenderedFile(path, _dump(e.document)))
        policies.append({"file": path.rpartition("/")[2], "kind": e.kind, "name": e.name, "holders": e.holders,
                         "address": e.address})
    return files, {"policies": policies, "aws_managed": managed}


def write_policies(profile: Profile, out_dir: Path, account_ids: list[str] | None = None) -> list[str]:
    from ..sync.session import open_folder
    from ..sync.writer import write_files

    files = policy_files(profile, account_ids)
    with open_folder(out_dir, write=True):  # locked, and written as one transaction like a render
        write_files(out_dir, files)
    return [f.path for f in files]
