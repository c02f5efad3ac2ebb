"""The permission sets of IAM Identity Center, read from the rendered tree (never from the profile), for
``baselinegen policies``: each ``aws_ssoadmin_permission_set`` with what the resources beside it (same Terraform name)
give it — its inline policy (``aws_ssoadmin_permission_set_inline_policy``), AWS managed policies
(``aws_ssoadmin_managed_policy_attachment``), customer managed policies and permissions boundary
(``aws_ssoadmin_customer_managed_policy_attachment``, ``aws_ssoadmin_permissions_boundary_attachment``: by name and
path; their documents are the ``aws_iam_policy`` of that name and path that an account root creates) and the accounts
it is assigned in (``aws_ssoadmin_account_assignment``).
"""

from __future__ import annotations

from ..validate.hclcheck import unquote
from .rendered import _Account, _name, _partitioned, _tree, account_roots


def _text(value) -> str:
    return unquote(value) if isinstance(value, str) and value.startswith('"') else str(value)


def _values(block) -> list[str]:
    """The values of a literal ``for_each`` map, else the keys of its instances (``toset([...])``)."""
    if block is None:
        return []
    each = block.body.get("for_each")
    if isinstance(each, dict):
        return [_text(v) for k, v in each.items() if k != "__is_block__"]
    return [str(k) for k in block.instances.keys] if block.instances.kind not in ("single", "unknown") else []


def _reference(block, *path: str) -> tuple[str, str] | None:
    """(name, path) of the ``customer_managed_policy_reference`` under the nested blocks ``path``."""
    body = block.body if block is not None else None
    for key in (*path, "customer_managed_policy_reference"):
        found = (body or {}).get(key)
        body = found[0] if isinstance(found, list) and found else None
    return (_text(body.get("name")), _text(body.get("path", '"/"'))) if body else None


def permission_set_files(files: dict[str, str], account_id: str, partition: str) -> tuple[dict[str, dict], dict]:
    """(file name -> document, index by permission set name). Documents of customer managed policies carry
    ``account_id`` (they exist in every account)."""
    tree = _tree(files)
    roots = sorted(account_roots(files)) or [""]
    accounts = [_Account(tree, root, account_id) for root in roots]
    managed = {}  # (name, path) -> (account, block) of the customer managed policies
    for acc in accounts:
        for block in acc.blocks("aws_iam_policy").values():
            managed.setdefault((_name(block), _text(block.body.get("path", '"/"'))), (acc, block))
    documents, index = {}, {}

    def add(reference) -> str | None:
        if reference is None or reference not in managed:
            return None if reference is None else f"{reference[0]} (not rendered)"
        acc, block = managed[reference]
        documents[f"{reference[0]}.json"] = acc.body_of(block, "policy")
        return f"{reference[0]}.json"

    for acc in accounts:
        for address, block in sorted(acc.blocks("aws_ssoadmin_permission_set").items()):
            def beside(type_: str):
                return acc.sibling(block, type_, block.name)
            name = _name(block)
            inline = beside("aws_ssoadmin_permission_set_inline_policy")
            if inline is not None:
                documents[f"{name}-inline.json"] = acc.body_of(inline, "inline_policy")
            customer = beside("aws_ssoadmin_customer_managed_policy_attachment")
            path = (_reference(customer) or ("", "/"))[1]
            index[name] = {
                "description": _text(block.body.get("description", '""')),
                "session_duration": _text(block.body.get("session_duration", '"PT1H"')),
                "inline_policy": f"{name}-inline.json" if inline is not None else None,
                "customer_managed_policies": sorted(add((n, path)) for n in _values(customer)),
                "managed_policy_arns": sorted(_values(beside("aws_ssoadmin_managed_policy_attachment"))),
                "permissions_boundary": add(_reference(beside("aws_ssoadmin_permissions_boundary_attachment"), "permissions_boundary")),
                "accounts": _values(beside("aws_ssoadmin_account_assignment")),
                "address": address,
            }
    return _partitioned(documents, partition), _partitioned(index, partition)
