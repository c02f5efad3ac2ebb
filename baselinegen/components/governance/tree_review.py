"""The organisation's tree in the summary: units created or deleted, accounts placed, moved or let go. Which
policies a move puts an account under comes from the module's attachments (policy_review.py)."""

from __future__ import annotations

from ...review.account_renames import renamed_accounts
from ...review.context import Context
from ...validate.hclcheck import unquote

ROOT = "root"
AREA = "organisation"  # not a module: summary lines of the organisation's tree and policies sort after the modules'


def _entries(block, field: str | None) -> dict[str, str]:
    """A literal for_each map as {key: value} (``field`` of an object value, or the value itself)."""
    items = (block.body.get("for_each") if block else None) or {}
    if not isinstance(items, dict):
        return {}
    return {unquote(k): unquote(v.get(field) if field and isinstance(v, dict) else v) for k, v in items.items()}


def _account(name: str, ids: dict[str, str]) -> str:
    """An account as the other account lines of the review name it: "account 666666666666 (payments-dev)"."""
    return f"account {ids[name]} ({name})" if ids.get(name) else f"account {name}"


def _where(unit: str) -> str:
    return "the organisation root" if unit == ROOT else f"unit {unit}"


def tree_rules(ctx: Context, under=lambda side, unit: ()) -> None:
    """``under(side, unit)``: the names of the policies that apply in ``unit`` on a side ("old"/"new"), for move lines."""
    for address, before, after in ctx.pairs("aws_organizations_organizational_unit"):
        ctx.cover_block_and_instances(address)
        ctx.cover_local((after or before).module, "parent_ids")
        area = AREA  # after every module's lines, in the same place whichever roots the review indexed
        old, new = _entries(before, None), _entries(after, None)
        for path in sorted(set(new) - set(old)):
            ctx.add(area, "added", f"organisation: unit {path} created (or imported, organization.units[].id)", [address])
        for path in sorted(set(old) - set(new)):
            ctx.add(area, "removed", f"organisation: unit {path} deleted — AWS Organizations refuses while it holds accounts; "
                                     "every policy attached to it goes with it", [address])
    for address, before, after in ctx.pairs("aws_organizations_account"):
        ctx.cover_block_and_instances(address)
        area = AREA  # after every module's lines, in the same place whichever roots the review indexed
        old, new = _entries(before, "unit"), _entries(after, "unit")
        old_ids, new_ids = _entries(before, "id"), _entries(after, "id")
        renames = renamed_accounts(old_ids, new_ids)  # moved blocks keep them placed
        for former, name in sorted(renames.items()):
            ctx.add(area, "changed", f"{_account(former, old_ids)} renamed to {name}: still placed by Terraform (moved block)", [address])
        old = {renames.get(name, name): unit for name, unit in old.items()}
        for name in sorted(set(new) - set(old)):
            ctx.add(area, "added", f"{_account(name, new_ids)} placed in {_where(new[name])} by Terraform (imported by its id; moved "
                                   "there on apply if it is elsewhere)", [address])
        for name in sorted(set(old) - set(new)):
            ctx.add(area, "removed", f"{_account(name, old_ids)} no longer placed by Terraform — prevent_destroy fails the plan; "
                                     f"`terraform state rm 'module.governance.aws_organizations_account.member[\"{name}\"]'` "
                                     "lets it go without removing it from the organisation", [address])
        for name in sorted(n for n in set(old) & set(new) if old[n] != new[n]):
            lost = [p for p in under("old", old[name]) if p not in under("new", new[name])]
            gained = [p for p in under("new", new[name]) if p not in under("old", old[name])]
            effect = "".join([f"; now under {', '.join(gained)}" if gained else "",
                              f"; no longer under {', '.join(lost)}" if lost else ""])
            tag = " (weaker)" if lost and not gained else " (stronger)" if gained and not lost else ""
            ctx.add(area, "changed", f"{_account(name, new_ids)} moved {old[name]} → {new[name]}{effect}{tag}", [address])
