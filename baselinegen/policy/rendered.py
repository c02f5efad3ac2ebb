"""The policies of a rendered tree, read from its Terraform (never from the profile): what is attached where, in
every account root. Both modes alike: a single account is the root ``""``, an organisation one root per account
(``accounts/<name>/``, its id from the provider's ``allowed_account_ids``).

Exported: managed policies (``aws_iam_policy``) with the groups, users and roles they are attached to (or that use
them as permissions boundary), inline role policies (``aws_iam_role_policy``), every role's trust policy
(``assume_role_policy``), the organisation's policies (``aws_organizations_policy``: SCPs, RCPs, ...) with their
targets, and the resource policies: bucket policies (``aws_s3_bucket_policy``, held by the bucket), key policies
(``aws_kms_key``, held by the key under its alias, and by its replicas) and topic policies (``aws_sns_topic_policy``).
A root that is not an account root but deploys into an account (``bootstrap/``: the state bucket and key, in the
management account; in a single account, that account) is exported with that account. Each document is the ``aws_iam_policy_document`` the resource uses, with its ``source_policy_documents``
first, as IAM gets it: ``${local.account_id}`` is the account's id and ``var.regions`` the Regions its module runs in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..review.context import reference
from ..review.instances import expression
from ..review.tree import Block, Tree, index_tree, layout, parse_trees
from ..validate.hclcheck import unquote

_ACCOUNT_IDS = re.compile(r'allowed_account_ids\s*=\s*\[\s*"(\d{12})"\s*\]')
_CHOICE = re.compile(r"^\$\{var\.(\w+) \? data\.aws_iam_policy_document\.(\w+)\.json : data\.aws_iam_policy_document\.(\w+)\.json\}$")
_KINDS = {"SERVICE_CONTROL_POLICY": "scp", "RESOURCE_CONTROL_POLICY": "rcp"}


@dataclass
class Exported:
    """One policy document of one account and who holds it."""

    account: str  # the root's account name ("" for a single account)
    kind: str  # managed | inline | trust | scp | rcp | <organisations policy type, lower case>
    name: str
    document: dict
    holders: list[dict] = field(default_factory=list)  # {"type": group|user|role|target, "name": ..., "as": policy|boundary|trust}
    address: str = ""


def account_roots(files: dict[str, str]) -> dict[str, str]:
    """Root folder -> account id, for ``accounts/<name>`` roots."""
    out = {}
    for path, text in files.items():
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "accounts" and parts[2] == "providers.tf":
            found = _ACCOUNT_IDS.search(text)
            if found:
                out[f"accounts/{parts[1]}"] = found.group(1)
    return out


def _tree(files: dict[str, str]) -> Tree:
    [(docs, failures)] = parse_trees([files])
    return index_tree(files, layout(docs), failures)


def _text(value, account_id: str, regions) -> object:
    """A parsed HCL value as IAM reads it."""
    if isinstance(value, list):
        out = []
        for item in value:
            converted = _text(item, account_id, regions)
            out += converted if isinstance(converted, list) and expression(item) == "var.regions" else [converted]
        return out
    if not isinstance(value, str):
        return value
    if expression(value) == "var.regions":
        return list(regions)
    text = unquote(value) if value.startswith('"') else value
    text = text.replace("${local.account_id}", account_id).replace("${data.aws_caller_identity.current.account_id}", account_id)
    return text.replace("$${", "${")


def _statement(raw: dict, account_id: str, regions) -> dict:
    out: dict = {}
    if "sid" in raw:
        out["Sid"] = _text(raw["sid"], account_id, regions)
    out["Effect"] = _text(raw.get("effect", '"Allow"'), account_id, regions)
    for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        for block in raw.get(key) or []:
            ids = _text(block.get("identifiers"), account_id, regions)
            kind = _text(block.get("type"), account_id, regions)
            out.setdefault(name, {})
            if kind == "*":
                out[name] = "*"
            else:
                out[name][kind] = ids[0] if isinstance(ids, list) and len(ids) == 1 else ids
    for key, name in (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
                      ("not_resources", "NotResource")):
        if key in raw:
            out[name] = _text(raw[key], account_id, regions)
    for block in raw.get("condition") or []:
        test, variable = _text(block.get("test"), account_id, regions), _text(block.get("variable"), account_id, regions)
        out.setdefault("Condition", {}).setdefault(test, {})[variable] = _text(block.get("values"), account_id, regions)
    return out


def pinned_roots(files: dict[str, str]) -> dict[str, str]:
    """Every other root folder whose provider pins an account id (``bootstrap/``: the management account's state bucket
    and key) -> that id."""
    out = {}
    for path, text in files.items():
        folder, _, name = path.rpartition("/")
        found = _ACCOUNT_IDS.search(text) if name == "providers.tf" and folder and not folder.startswith(("accounts/", "modules/")) else None
        if found:
            out[folder] = found.group(1)
    return out


class _Account:
    def __init__(self, tree: Tree, root: str, account_id: str, also: tuple[str, ...] = ()):
        """``also``: other roots that deploy into the same account (their resources are the account's too)."""
        self.tree, self.root, self.account_id = tree, root, account_id
        self.prefix = root + ":" if root else ""
        self.prefixes = tuple(r + ":" for r in also)

    def blocks(self, type_: str, mode: str = "resource") -> dict[str, Block]:
        return {a: b for a, b in self.tree.of_type(type_, mode).items()
                if (self.prefix or ":" not in b.module) and (not self.prefix or b.module.startswith(self.prefix))
                or (self.prefixes and b.module.startswith(self.prefixes))}

    def sibling(self, block: Block, kind: str, name: str, mode: str = "resource") -> Block | None:
        local = ("data." if mode == "data" else "") + f"{kind}.{name}"
        return self.tree.blocks.get(f"{block.module}.{local}" if block.module and not block.module.endswith(":") else block.module + local)

    def body_of(self, block: Block, attribute: str) -> dict:
        """The document ``block.<attribute>`` uses (``data.aws_iam_policy_document.<x>.json``), as IAM gets it."""
        value = block.body.get(attribute)
        choice = _CHOICE.match(value) if isinstance(value, str) else None
        if choice:  # var.x ? data.…a.json : data.…b.json — the module call's input decides
            call = self.tree.modules[block.module].call or {}
            flag = call.get(choice.group(1))
            name = choice.group(2) if flag is True or (isinstance(flag, str) and flag.strip('"') == "true") else choice.group(3)
        else:
            name = reference(value, "data.aws_iam_policy_document")
        doc = self.sibling(block, "aws_iam_policy_document", name, "data") if name else None
        return self._body(doc, 0) if doc is not None else {}

    def _body(self, doc: Block, depth: int) -> dict:
        regions = self.tree.modules[doc.module].regions or ()
        statements = []
        for source in doc.body.get("source_policy_documents") or [] if depth < 8 else []:
            name = reference(source, "data.aws_iam_policy_document")
            found = self.sibling(doc, "aws_iam_policy_document", name, "data") if name else None
            statements += self._body(found, depth + 1)["Statement"] if found is not None else []
        statements += [_statement(s, self.account_id, regions) for s in doc.body.get("statement") or []]
        return {"Version": "2012-10-17", "Statement": statements}


def _name(block: Block) -> str:
    value = block.body.get("name")
    return unquote(value) if isinstance(value, str) and value.startswith('"') else block.name


def _target(acc: _Account, block: Block) -> str:
    """What an organisation policy is attached to: ``root`` (the organisation's root), an OU or an account id."""
    value = block.body.get("target_id")
    text = expression(value) or (unquote(value) if isinstance(value, str) else str(value))
    if text.startswith("local."):
        local = acc.tree.modules[block.module].locals.get(text[len("local."):])
        text = expression(local) or text if isinstance(local, str) else text
    return "root" if ".roots[0]" in text else text


def _targets(block: Block) -> list[tuple[str, str]]:
    """(kind of policy target, value) of a policy attachment: the policies it attaches."""
    arns = block.body.get("for_each") if isinstance(block.body.get("for_each"), dict) else {"": block.body.get("policy_arn")}
    out = []
    for value in arns.values():
        policy = reference(value, "aws_iam_policy")
        out.append(("policy", policy) if policy else ("arn", unquote(value) if isinstance(value, str) else str(value)))
    return out


def _named(acc: _Account, block: Block, attribute: str, type_: str) -> tuple[Block | None, str]:
    """The ``type_`` resource ``block.<attribute>`` refers to, and its name (its ``name``/``bucket`` argument)."""
    found = acc.sibling(block, type_, reference(block.body.get(attribute), type_) or "")
    if found is None:
        return None, "?"
    value = found.body.get("bucket" if type_ == "aws_s3_bucket" else "name")
    return found, _text(value, acc.account_id, ()) if isinstance(value, str) else found.name  # the account's id in it


def _resource_policies(acc: _Account, account: str) -> dict[str, Exported]:
    """Bucket policies, key policies (a multi-Region key's replicas hold the same one) and topic policies."""
    out = {}
    for address, block in acc.blocks("aws_s3_bucket_policy").items():
        _, bucket = _named(acc, block, "bucket", "aws_s3_bucket")
        out[address] = Exported(account, "bucket-policy", f"{bucket}-bucket-policy", acc.body_of(block, "policy"),
                                [{"type": "bucket", "name": bucket, "as": "policy"}], address)
    aliases = {reference(b.body.get("target_key_id"), "aws_kms_key"): unquote(b.body["name"])
               for b in acc.blocks("aws_kms_alias").values() if isinstance(b.body.get("name"), str)}
    for address, block in acc.blocks("aws_kms_key").items():
        name = aliases.get(block.name, f"key {block.name}")
        entry = Exported(account, "key-policy", f"{name.removeprefix('alias/')}-key-policy", acc.body_of(block, "policy"),
                         [{"type": "key", "name": name, "as": "policy"}], address)
        replica = acc.sibling(block, "aws_kms_replica_key", block.name)
        if replica is not None and reference(replica.body.get("primary_key_arn"), "aws_kms_key") == block.name:
            regions = replica.instances.keys if replica.instances.kind not in ("single", "unknown") else ("?",)
            entry.holders += [{"type": "key", "name": f"{name} (replica in {region})", "as": "policy"} for region in regions]
        out[address] = entry
    for address, block in acc.blocks("aws_sns_topic_policy").items():
        _, topic = _named(acc, block, "arn", "aws_sns_topic")
        out[address] = Exported(account, "topic-policy", f"{topic}-topic-policy", acc.body_of(block, "policy"),
                                [{"type": "topic", "name": topic, "as": "policy"}], address)
    return out


def export(files: dict[str, str], account_id: str, partition: str = "aws") -> list[Exported]:
    """Every policy of every account root of a rendered tree (``account_id``: the single account's; ``partition``: the
    one the home Region is in, for the ARNs a module writes with ``${local.partition}``)."""
    tree = _tree(files)
    roots = account_roots(files)
    accounts = [(root, roots[root]) for root in sorted(roots)] if roots else [("", account_id)]
    out = []
    pinned = pinned_roots(files)
    single = ("bootstrap",) if not roots and any(p.startswith("bootstrap/") for p in files) else ()
    for root, number in accounts:
        also = tuple(sorted(r for r, i in pinned.items() if i == number)) if roots else single
        out += _account(_Account(tree, root, number, also), root.removeprefix("accounts/"))
    for entry in out:
        entry.name, entry.address = _partitioned(entry.name, partition), _partitioned(entry.address, partition)
        entry.document = _partitioned(entry.document, partition)
    return out


def _partitioned(value, partition: str):
    if isinstance(value, str):
        return value.replace("${local.partition}", partition).replace("${data.aws_partition.current.partition}", partition)
    if isinstance(value, list):
        return [_partitioned(v, partition) for v in value]
    if isinstance(value, dict):
        return {k: _partitioned(v, partition) for k, v in value.items()}
    return value


def _account(acc: _Account, account: str) -> list[Exported]:
    out: dict[str, Exported] = {}
    for address, block in acc.blocks("aws_iam_policy").items():
        out[address] = Exported(account, "managed", _name(block), acc.body_of(block, "policy"), address=address)
    principals = (("aws_iam_group_policy_attachment", "group", "aws_iam_group"),
                  ("aws_iam_user_policy_attachment", "user", "aws_iam_user"),
                  ("aws_iam_role_policy_attachment", "role", "aws_iam_role"))
    managed = {}
    for type_, kind, holder_type in principals:
        for block in acc.blocks(type_).values():
            holder = acc.sibling(block, holder_type, reference(block.body.get(kind), holder_type) or "")
            for target, value in _targets(block):
                policy = acc.sibling(block, "aws_iam_policy", value) if target == "policy" else None
                entry = {"type": kind, "name": _name(holder) if holder else "?", "as": "policy"}
                if policy is not None:
                    out[policy.address].holders.append(entry)
                else:
                    managed.setdefault(value, Exported(account, "aws-managed", value, {}, address=value)).holders.append(entry)
    for address, role in acc.blocks("aws_iam_role").items():
        trust = Exported(account, "trust", f"{_name(role)}-trust", acc.body_of(role, "assume_role_policy"), address=address)
        trust.holders.append({"type": "role", "name": _name(role), "as": "trust"})
        out[address + "#trust"] = trust
        boundary = reference(role.body.get("permissions_boundary"), "aws_iam_policy")
        found = acc.sibling(role, "aws_iam_policy", boundary) if boundary else None
        if found is not None:
            out[found.address].holders.append({"type": "role", "name": _name(role), "as": "boundary"})
    for address, block in acc.blocks("aws_iam_role_policy").items():
        role = acc.sibling(block, "aws_iam_role", reference(block.body.get("role"), "aws_iam_role") or "")
        role_name = _name(role) if role else "?"
        entry = Exported(account, "inline", f"{role_name}-{_name(block)}", acc.body_of(block, "policy"), address=address)
        entry.holders.append({"type": "role", "name": role_name, "as": "policy"})
        out[address] = entry
    for address, block in acc.blocks("aws_organizations_policy").items():
        type_ = unquote(block.body.get("type")) if isinstance(block.body.get("type"), str) else "SERVICE_CONTROL_POLICY"
        out[address] = Exported(account, _KINDS.get(type_, type_.lower()), _name(block), acc.body_of(block, "content"), address=address)
    for block in acc.blocks("aws_organizations_policy_attachment").values():
        policy = acc.sibling(block, "aws_organizations_policy", reference(block.body.get("policy_id"), "aws_organizations_policy") or "")
        if policy is not None:
            out[policy.address].holders.append({"type": "target", "name": _target(acc, block), "as": "policy"})
    out.update(_resource_policies(acc, account))
    for entry in out.values():
        entry.holders.sort(key=lambda h: (h["type"], h["name"], h["as"]))
    return sorted(out.values(), key=lambda e: (e.kind, e.name)) + sorted(managed.values(), key=lambda e: e.name)
