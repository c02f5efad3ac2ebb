"""Which account root calls which module, and in which order the roots are applied.

A component's organisation modules carry a placement (account roles, or ``identity`` for the account
``iam.identity_account`` names). An account's root calls exactly the modules placed in one of its roles: what an
account does not need is absent, not switched off. Values one account needs from another (bucket names, account ids,
role ARNs) are literals derived from the profile, so no root reads another's state; only the apply order matters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..components.base import IDENTITY, ComponentOutput
from ..errors import RenderInvariantError
from ..profile.model import Account, Profile

# Apply order, one wave per role: the buckets exist before the organisation trail and the Config recorders deliver
# to them; the management account delegates administration before the security account configures the organisation.
APPLY_ORDER = ("log-archive", "management", "security", "workload")
_MODULE_REFERENCE = re.compile(r"\bmodule\.([A-Za-z0-9_-]+)\.")


@dataclass(frozen=True)
class AccountRoot:
    """One account's root configuration ``accounts/<name>/``."""

    account: Account
    roles: frozenset[str]  # the account's role, plus identity for iam.identity_account
    modules: tuple[dict, ...]  # {"name", "source", "outputs", "inputs", "title"}, in registry order

    @property
    def dir(self) -> str:
        return f"accounts/{self.account.name}"

    @property
    def module_names(self) -> tuple[str, ...]:
        return tuple(m["name"] for m in self.modules)

    @property
    def wave(self) -> int:
        return APPLY_ORDER.index(self.account.role)


def account_roles(profile: Profile, account: Account) -> frozenset[str]:
    return frozenset({account.role} | ({IDENTITY} if account.name == profile.iam.identity_account else set()))


def called(profile: Profile, out: ComponentOutput) -> bool:
    """Whether some account's root calls ``out``'s module (its placement meets the account's roles)."""
    return any(out.placement & account_roles(profile, account) for account in profile.organization.accounts)


def module_entry(out: ComponentOutput, title: str, source: str | None = None, account: str = "") -> dict:
    """A root's view of a module call (``title``: the component's, unless the module has its own). ``source``: by
    default relative to accounts/<name>/. ``account``: the root's account, whose own inputs (if any) follow."""
    name = out.module.name
    extra = dict(out.module.account_inputs).get(account, ()) if account else ()
    return {"name": name, "source": source or f"../../modules/{name}", "outputs": out.module.outputs,
            "inputs": out.module.inputs + extra, "title": out.module.title or title, "imports": out.imports}


def _entry(shared: dict, out: ComponentOutput, title: str, account: str) -> dict:
    """module_entry, the same dict for every account without inputs of its own."""
    if account in dict(out.module.account_inputs):
        return module_entry(out, title, account=account)
    if id(out) not in shared:
        shared[id(out)] = module_entry(out, title)
    return shared[id(out)]


def account_roots(profile: Profile, placed: list[tuple[ComponentOutput, str]]) -> list[AccountRoot]:
    """Every account's root, in apply order then profile order. ``placed``: (module output, component title) in
    registry order. Raises RenderInvariantError when a module input names a module that account does not call."""
    roots = []
    shared: dict = {}  # one entry (never changed) for the roots that call a module alike: keys are made once per entry
    for account in profile.organization.accounts:
        roles = account_roles(profile, account)
        modules = tuple(_entry(shared, out, title, account.name) for out, title in placed if out.module and out.placement & roles)
        roots.append(AccountRoot(account, roles, modules))
    for root in roots:
        _check_inputs(root)
    return sorted(roots, key=lambda r: r.wave)  # stable: profile order within a wave


def apply_waves(roots: list[AccountRoot]) -> list[tuple[str, list[str]]]:
    """(account role, account names) per wave, in apply order; waves without accounts are left out."""
    return [(role, [r.account.name for r in roots if r.account.role == role]) for role in APPLY_ORDER
            if any(r.account.role == role for r in roots)]


def accounts_by_module(roots: list[AccountRoot]) -> dict[str, list[str]]:
    """Module name -> the accounts whose roots call it, in the order of ``roots``."""
    found: dict[str, list[str]] = {}
    for root in roots:
        for name in root.module_names:
            found.setdefault(name, []).append(root.account.name)
    return found


def readme_rows(roots: list[AccountRoot]) -> list[dict]:
    """The README's table of accounts, one row per root: only what it shows (the README is remembered by what its
    template is given, and a root's modules are most of an organisation's model)."""
    return [{"name": root.account.name, "id": root.account.id, "role": root.account.role, "identity": IDENTITY in root.roles,
             "regions": root.account.regions, "dir": root.dir, "modules": root.module_names, "wave": root.wave + 1}
            for root in roots]


def _check_inputs(root: AccountRoot) -> None:
    called = {m["name"] for m in root.modules}
    for module in root.modules:
        for name, expression in module["inputs"]:
            missing = sorted(set(_MODULE_REFERENCE.findall(expression)) - called)
            if missing:
                raise RenderInvariantError(
                    f"{root.dir}/main.tf: module {module['name']!r} input {name} = {expression} refers to module "
                    f"{', '.join(missing)}, which account {root.account.name!r} ({root.account.role}) does not call")
