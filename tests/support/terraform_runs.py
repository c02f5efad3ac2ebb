"""Terraform itself on rendered trees, with the stand-in hashicorp/aws provider (tests/tfprovider): every root
through init, validate, plan on an empty state and apply of that plan to a local state (one `terraform apply`),
and a second plan.

The roots of all trees run in a small thread pool (each step is a `terraform` process; Terraform parallelises
inside a command too); they share one filesystem mirror, one plugin cache and the provider's schema cache.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tfprovider import mirror, schema

_PLAN_LINE = re.compile(r"^Plan: (?:(\d+) to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy\.$", re.M)
WORKERS = 3


@dataclass
class RootRun:
    """What Terraform said about one root. ``failed``: the first step that failed, with its output."""

    root: str
    validate: dict = field(default_factory=dict)
    planned: tuple[int, int, int] | None = None  # to add, to change, to destroy (the plan on the empty state)
    imported: int = 0  # to import (the root's imports.tf), in the same plan
    replan_exit: int | None = None  # terraform plan -detailed-exitcode after the apply: 0 = no changes
    replan_output: str = ""
    failed: str | None = None


def install_provider(folder: Path) -> dict[str, str]:
    """The mirror, the CLI config and a warm schema cache under ``folder``; the environment for `terraform`."""
    environment = mirror.install(folder)
    cache = folder / "schema-cache"
    previous = os.environ.get("TFPROVIDER_CACHE_DIR")
    os.environ["TFPROVIDER_CACHE_DIR"] = str(cache)
    try:
        schema.response_bytes()  # built once here, not by the first provider processes at the same time
        schema.tables()
    finally:
        if previous is None:
            del os.environ["TFPROVIDER_CACHE_DIR"]
        else:
            os.environ["TFPROVIDER_CACHE_DIR"] = previous
    return environment


def roots(tree: Path) -> list[Path]:
    """The Terraform roots of a rendered tree: the folders with a provider configuration."""
    return sorted(path.parent for path in tree.rglob("providers.tf") if ".terraform" not in path.parts)


def terraform(terraform_bin: str, root: Path, environment: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([terraform_bin, *args], cwd=root, env={**os.environ, **environment},
                          capture_output=True, text=True, timeout=600)


LOCAL_BACKEND = 'terraform {\n  backend "local" {}\n}\n'


def local_state(root: Path) -> None:
    """A root whose backend.tf keeps state in S3 (the profile's ``state``) gets the ``backend_override.tf`` the
    generated README's first apply of bootstrap/ uses: the state stays in the folder, and nothing reaches AWS."""
    backend = root / "backend.tf"
    if backend.exists() and 'backend "s3"' in backend.read_text(encoding="utf-8"):
        (root / "backend_override.tf").write_text(LOCAL_BACKEND, encoding="utf-8")


def validate(terraform_bin: str, root: Path, environment: dict) -> dict:
    """``terraform validate -json`` after ``terraform init`` (an init failure raises with its output); a root with an
    S3 backend keeps its state locally (local_state)."""
    local_state(root)
    init = terraform(terraform_bin, root, environment, "init", "-input=false", "-no-color")
    if init.returncode != 0:
        raise RuntimeError(f"terraform init failed in {root}:\n{init.stderr}{init.stdout}")
    return json.loads(terraform(terraform_bin, root, environment, "validate", "-json", "-no-color").stdout)


def run_root(terraform_bin: str, tree: Path, root: Path, environment: dict) -> RootRun:
    run = RootRun(root.relative_to(tree).as_posix() or ".")
    try:
        run.validate = validate(terraform_bin, root, environment)
    except RuntimeError as error:
        run.failed = str(error)
        return run
    if not run.validate.get("valid"):
        run.failed = "validate"
        return run
    # One command plans on the empty state and applies that plan (the schema loads once, not twice).
    applied = terraform(terraform_bin, root, environment, "apply", "-input=false", "-no-color", "-auto-approve")
    counts = _PLAN_LINE.search(applied.stdout)
    run.planned = tuple(int(n) for n in counts.groups()[1:]) if counts else None
    run.imported = int(counts.group(1) or 0) if counts else 0
    if applied.returncode != 0 or run.planned is None:
        run.failed = f"terraform apply:\n{applied.stderr}{applied.stdout}"
        return run
    replan = terraform(terraform_bin, root, environment, "plan", "-input=false", "-no-color", "-detailed-exitcode")
    run.replan_exit, run.replan_output = replan.returncode, replan.stderr + replan.stdout
    return run


def run_trees(terraform_bin: str, trees: dict[str, Path], environment: dict) -> dict[str, list[RootRun]]:
    """Every root of every tree, by tree name. The first root's init runs alone: it fills the plugin cache."""
    jobs = [(name, tree, root) for name, tree in trees.items() for root in roots(tree)]
    first = jobs[0][2]
    local_state(first)
    terraform(terraform_bin, first, environment, "init", "-input=false", "-no-color")
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [(name, pool.submit(run_root, terraform_bin, tree, root, environment)) for name, tree, root in jobs]
        results: dict[str, list[RootRun]] = {name: [] for name in trees}
        for name, future in futures:
            results[name].append(future.result())
    return results


def copy_tree(tree: Path, target: Path) -> Path:
    """A rendered tree without Terraform's working files (to break a copy, or to plan it apart)."""
    ignore = shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "terraform.tfstate*")
    shutil.copytree(tree, target, ignore=ignore)
    return target
