"""The organisation's tree as the profile writes it: ``organization.units`` (nested ``{name, units}``) and
``accounts[].unit`` (a path such as ``Workloads/Prod``; an account without one sits at the root).

A *target* names where something applies — an attachment of an organisation policy, a job function's reach: ``root``
(every account), a unit path (the accounts placed in that unit or any unit below it) or an account name. These
functions read a profile that has passed its schema; what they do not recognise resolves to nothing (the validators
report it with its location)."""

from __future__ import annotations

ROOT = "root"


def unit_paths(units) -> list[str]:
    """Every unit path of the tree, parents before their children, in profile order."""
    out: list[str] = []

    def walk(items, prefix: str) -> None:
        for unit in items if isinstance(items, list) else ():
            if isinstance(unit, dict) and isinstance(unit.get("name"), str):
                path = prefix + unit["name"]
                out.append(path)
                walk(unit.get("units") or [], path + "/")

    walk(units, "")
    return out


def account_unit(account: dict) -> str | None:
    """The unit path an account is placed in, or None (the root)."""
    unit = account.get("unit")
    return unit if isinstance(unit, str) and unit else None


def accounts_at(data: dict, target: str) -> tuple[str, ...]:
    """The names of the accounts a target covers, in profile order."""
    tree = _Tree(data)
    covered = tree.covered(target)
    return tuple(name for name in tree.names if name in covered)


def accounts_reached(data: dict, targets) -> tuple[str, ...]:
    """The union of what each target covers, in profile order (the tree is read once for all the targets)."""
    tree = _Tree(data)
    wanted = set().union(*(tree.covered(target) for target in targets))
    return tuple(a["name"] for a in data.get("accounts") or () if isinstance(a, dict) and a.get("name") in wanted)


class _Tree:
    """The accounts of a profile, by name and by the unit they sit in."""

    def __init__(self, data: dict):
        accounts = [a for a in data.get("accounts") or () if isinstance(a, dict) and isinstance(a.get("name"), str)]
        self.names = [a["name"] for a in accounts]
        self.known = set(self.names)
        self.units = set(unit_paths((data.get("organization") or {}).get("units") or []))
        self.by_unit: dict[str, list[str]] = {}
        for account in accounts:
            self.by_unit.setdefault(account_unit(account) or "", []).append(account["name"])

    def covered(self, target: str) -> set[str]:
        """The names a target covers (do not change the set)."""
        if target == ROOT:
            return self.known
        if target in self.units:
            inside = target + "/"
            return {name for unit, names in self.by_unit.items() if unit == target or unit.startswith(inside) for name in names}
        return {target} if target in self.known else set()
