"""Install the stand-in for Terraform: a filesystem mirror holding a launcher as hashicorp/aws, and a CLI config
whose provider_installation takes hashicorp/aws from that mirror only (everything else: nowhere, we are offline).

    python -m tfprovider.mirror FOLDER     # prints the export line for TF_CLI_CONFIG_FILE
"""

from __future__ import annotations

import platform
import shlex
import sys
from pathlib import Path

PROVIDER = "registry.terraform.io/hashicorp/aws"
VERSION = "6.0.0"
TESTS = Path(__file__).resolve().parent.parent


def platform_name() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{platform.system().lower()}_{arch}"  # linux_amd64, darwin_arm64, ...


def install(folder: Path, python: str = sys.executable) -> dict[str, str]:
    """Write ``folder``/mirror, ``folder``/terraformrc and the plugin cache folder; return the environment
    variables under which ``terraform`` finds the stand-in (TF_CLI_CONFIG_FILE, TF_PLUGIN_CACHE_DIR, ...)."""
    folder = Path(folder).resolve()
    target = folder / "mirror" / PROVIDER / VERSION / platform_name()
    target.mkdir(parents=True, exist_ok=True)
    launcher = target / "terraform-provider-aws"
    launcher.write_text(
        "#!/bin/sh\n"
        "# The stand-in hashicorp/aws provider of baselinegen's tests (tests/tfprovider).\n"
        f"PYTHONPATH={shlex.quote(str(TESTS))} TFPROVIDER_CACHE_DIR={shlex.quote(str(folder / 'schema-cache'))} "
        f"exec {shlex.quote(python)} -m tfprovider.server\n")
    launcher.chmod(0o755)
    (folder / "plugin-cache").mkdir(exist_ok=True)
    config = folder / "terraformrc"
    config.write_text(
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {_hcl(str(folder / 'mirror'))}\n"
        f"    include = [{_hcl(PROVIDER)}]\n"
        "  }\n"
        "}\n"
        f"plugin_cache_dir = {_hcl(str(folder / 'plugin-cache'))}\n"
        # A root without a lock file links the cached package instead of reinstalling it into the cache: a reinstall
        # replaces the cache's folder while the roots running in parallel read it (could not read package directory).
        "plugin_cache_may_break_dependency_lock_file = true\n")
    return {"TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}


def _hcl(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    environment = install(Path(sys.argv[1]))
    print(" ".join(f"{k}={shlex.quote(v)}" for k, v in environment.items()))
