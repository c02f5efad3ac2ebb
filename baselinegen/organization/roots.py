"""The files of the organisation layout: ``accounts/<name>/`` root configurations and ``atlantis.yaml``."""

from __future__ import annotations

from dataclasses import dataclass

from ..components.state.backend import account_key, backend
from ..profile.model import Account, Profile
from ..profile.regions import partition_of
from ..render import remembered
from ..render.env import RenderedFile, render_file
from .imports import FILE as IMPORTS_FILE, adopt_imports, imports_file, root_imports, where
from ..components.ci.policies import root_roles
from .layout import AccountRoot
from .remembered_roots import remembered_files


def deployment_role_arn(profile: Profile, account_id: str) -> str:
    org = profile.organization
    return f"arn:{partition_of(org.home_region)}:iam::{account_id}:role/{org.deployment_role}"


@dataclass(frozen=True)
class RootInputs:
    """Everything an account root's files are rendered from: account_files reads nothing else, so the ``repr`` of its
    fields (every field is plain data) keys the remembered renders (organization/remembered_roots.py)."""

    dir: str
    account: Account
    modules: tuple[dict, ...]
    common: tuple[tuple[str, object], ...]
    tags: tuple[tuple[str, str], ...]
    deployment_role: str
    role_arn: str
    backend: tuple[tuple[str, str], ...]  # the S3 backend's arguments (state); (): no state section, a starter example
    imports: tuple = ()  # organization.imports.Import entries of imports.tf (none: no file)
    ci_roles: tuple[tuple[str, object], ...] = ()  # ci.github: what the baseline_role variable offers (roots get variables.tf)


def root_inputs(profile: Profile, root: AccountRoot, common: tuple, tags: tuple, roles: tuple) -> RootInputs:
    """``common``, ``tags``, ``roles``: the sorted items of the templates' common context, the default tags and the
    CI roles (``root_roles``), the same objects for every root."""
    return RootInputs(root.dir, root.account, root.modules, common, tags,
                      profile.organization.deployment_role, deployment_role_arn(profile, root.account.id),
                      backend(profile, account_key(root.account.name)),
                      root_imports(root.modules) + adopt_imports(root.account.adopt, root.account.regions, where(profile, root.account)),
                      roles)


# What account_files returns, in its order: variables.tf only with ci.github (baseline_role), imports.tf only when the
# root imports something; backend.tf is generated from ``state``, else starter.
ROOT_FILES = ("versions.tf", "providers.tf", "main.tf", "outputs.tf", "variables.tf", "backend.tf", IMPORTS_FILE)


def root_files(inputs: RootInputs) -> list[tuple[str, str]]:
    """(name, mode) of the files account_files returns for ``inputs``."""
    present = [name for name in ROOT_FILES if (name != IMPORTS_FILE or inputs.imports) and (name != "variables.tf" or inputs.ci_roles)]
    return [(name, "starter" if name == "backend.tf" and not inputs.backend else "managed") for name in present]


def account_files(inputs: RootInputs, same: dict) -> list[RenderedFile]:
    """``same``: texts rendered for earlier accounts from inputs that do not name the account (versions.tf is the
    same in every account, outputs.tf in every account that calls the same modules): rendered once, reused."""
    common, account, where = dict(inputs.common), inputs.account, inputs.dir
    context = dict(common, account=account, regions=account.regions, modules=inputs.modules)
    regional = any(name == "regions" for m in inputs.modules for name, _ in m["inputs"])
    ci_roles = dict(inputs.ci_roles) or None
    versions = _once(same, "versions", lambda: render_file("root/versions.tf.j2", "versions.tf", **common))
    outputs = _once(same, ("outputs", repr(inputs.modules)),
                    lambda: render_file("root/outputs.tf.j2", "outputs.tf", modules=inputs.modules, **common))
    return [
        RenderedFile(f"{where}/versions.tf", versions.content, versions.mode),
        render_file("account/providers.tf.j2", f"{where}/providers.tf", tags=list(inputs.tags),
                    deployment_role=inputs.deployment_role, role_arn=inputs.role_arn, ci_roles=ci_roles,
                    partition=partition_of(common["home_region"]), session_name=f"baselinegen-{account.name}", **context),
        render_file("root/main.tf.j2", f"{where}/main.tf", regional=regional, **context),
        RenderedFile(f"{where}/outputs.tf", outputs.content, outputs.mode),
    ] + _variables(where, ci_roles, common, same) + [
        render_file("account/backend.tf.j2", f"{where}/backend.tf", mode="managed" if inputs.backend else "starter",
                    backend=inputs.backend, **context),
    ] + ([imports_file(where, inputs.imports, common)] if inputs.imports else [])


def _variables(where: str, ci_roles: dict | None, common: dict, same: dict) -> list[RenderedFile]:
    """ci.github: variables.tf with ``baseline_role`` (the same in every account)."""
    if not ci_roles:
        return []
    text = _once(same, "variables", lambda: render_file("account/variables.tf.j2", "variables.tf", ci_roles=ci_roles, **common))
    return [RenderedFile(f"{where}/variables.tf", text.content, text.mode)]


def _once(same: dict, key, render) -> RenderedFile:
    if key not in same:
        same[key] = render()
    return same[key]


def rendered_roots(profile: Profile, roots: list[AccountRoot], common: dict, tags: list[tuple[str, str]]) -> list[RenderedFile]:
    """account_files of every root: remembered ones from the cache folder, the others rendered (and remembered)."""
    roles = root_roles(profile)
    shared = (tuple(sorted(common.items())), tuple(tags), tuple(sorted(roles.items())) if roles else ())
    inputs = [root_inputs(profile, root, *shared) for root in roots]
    return remembered_files(inputs, lambda one: one.dir, root_files, account_files)


def atlantis_file(roots: list[AccountRoot], common: dict, ci_roles: dict | None = None) -> RenderedFile:
    """One Atlantis project per account root, planned when the root or a module it calls changes; applied in waves
    (execution_order_group) and blocked until the previous wave applied (depends_on, Atlantis >= 0.27)."""
    by_wave: dict[int, list[str]] = {}
    for root in roots:
        by_wave.setdefault(root.wave, []).append(root.account.name)
    waves = sorted(by_wave)
    projects = []
    for root in roots:
        group = waves.index(root.wave)
        depends_on = by_wave[waves[group - 1]] if group else []
        projects.append({"name": root.account.name, "dir": root.dir, "group": group,
                         "depends_on": depends_on, "modules": [m["name"] for m in root.modules]})
    return remembered.file("account/atlantis.yaml.j2", "atlantis.yaml", projects=projects, ci_roles=ci_roles, **common)


def organization_files(profile: Profile, roots: list[AccountRoot], common: dict,
                       tags: list[tuple[str, str]]) -> list[RenderedFile]:
    files = rendered_roots(profile, roots, common, tags)
    files.append(atlantis_file(roots, common, root_roles(profile)))
    return files
