"""The files of the organisation layout: ``accounts/<name>/`` root configurations and ``atlantis.yaml``."""

from __future__ import annotations

from ..profile.model import Profile
from ..profile.regions import partition_of
from ..render.env import RenderedFile, render_file
from .layout import AccountRoot


def deployment_role_arn(profile: Profile, account_id: str) -> str:
    org = profile.organization
    return f"arn:{partition_of(org.home_region)}:iam::{account_id}:role/{org.deployment_role}"


def account_files(profile: Profile, root: AccountRoot, common: dict, tags: list[tuple[str, str]],
                  same: dict | None = None) -> list[RenderedFile]:
    """``same``: texts rendered for earlier accounts from inputs that do not name the account (versions.tf is the
    same in every account, outputs.tf in every account that calls the same modules): rendered once, reused."""
    same = {} if same is None else same
    account = root.account
    context = dict(common, account=account, regions=account.regions, modules=root.modules)
    regional = any(name == "regions" for m in root.modules for name, _ in m["inputs"])
    versions = _once(same, "versions", lambda: render_file("root/versions.tf.j2", "versions.tf", **common))
    outputs = _once(same, ("outputs", repr(root.modules)),
                    lambda: render_file("root/outputs.tf.j2", "outputs.tf", modules=root.modules, **common))
    return [
        RenderedFile(f"{root.dir}/versions.tf", versions.content, versions.mode),
        render_file("account/providers.tf.j2", f"{root.dir}/providers.tf", tags=tags,
                    deployment_role=profile.organization.deployment_role,
                    role_arn=deployment_role_arn(profile, account.id), session_name=f"baselinegen-{account.name}", **context),
        render_file("root/main.tf.j2", f"{root.dir}/main.tf", regional=regional, **context),
        RenderedFile(f"{root.dir}/outputs.tf", outputs.content, outputs.mode),
        render_file("account/backend.tf.j2", f"{root.dir}/backend.tf", mode="seeded", **context),
    ]


def _once(same: dict, key, render) -> RenderedFile:
    if key not in same:
        same[key] = render()
    return same[key]


def atlantis_file(roots: list[AccountRoot], common: dict) -> RenderedFile:
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
    return render_file("account/atlantis.yaml.j2", "atlantis.yaml", projects=projects, **common)


def organization_files(profile: Profile, roots: list[AccountRoot], common: dict,
                       tags: list[tuple[str, str]]) -> list[RenderedFile]:
    same: dict = {}
    files = [f for root in roots for f in account_files(profile, root, common, tags, same)]
    files.append(atlantis_file(roots, common))
    return files
