"""The package as published: `python -m build` makes an sdist and, from it, a wheel; both pass `twine check --strict`,
carry the templates, presets, example profiles and the licence, and the installed wheel renders from an unrelated
directory and prints the profile reference."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import venv
import zipfile

import pytest

from conftest import EXAMPLES, REPO, tree


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(sdist, wheel): the sdist, then the wheel built from the sdist (what `python -m build` does), with the
    hatchling of the test extra (--no-isolation: no download of the build backend)."""
    dist = tmp_path_factory.mktemp("dist")
    build = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(REPO)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    return next(dist.glob("baselinegen-*.tar.gz")), next(dist.glob("baselinegen-*.whl"))


def test_the_sdist_and_the_wheel_pass_twine_check_and_carry_templates_presets_and_the_licence(built):
    sdist, wheel = built
    check = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("PASSED") == 2

    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for required in ("LICENSE", "README.md", "pyproject.toml", ".pre-commit-hooks.yaml", "templates/iam/main.tf.j2",
                     "templates/repo/pre-commit-config.yaml.j2", "profiles/cis-1.4.yaml", "profiles/minimal.yaml",
                     "examples/acme.yaml", "docs/profile.md", "baselinegen/cli.py"):
        assert required in in_sdist, required
    assert not any("__pycache__" in name or name.startswith((".venv", ".git/")) for name in in_sdist)

    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("baselinegen/templates/iam/main.tf.j2", "baselinegen/templates/root/versions.tf.j2",
                     "baselinegen/templates/repo/README.md.j2", "baselinegen/templates/init/profile.yaml.j2",
                     "baselinegen/profiles/cis-1.4.yaml", "baselinegen/profiles/minimal.yaml", "baselinegen/cli.py",
                     "baselinegen/examples/acme.yaml", "baselinegen/examples/acme-org.yaml",
                     "baselinegen-0.1.0.dist-info/licenses/LICENSE"):
        assert required in names, required
    assert sorted(n for n in names if n.startswith("baselinegen/templates/")) == sorted(
        "baselinegen/" + p.relative_to(REPO).as_posix() for p in (REPO / "templates").rglob("*") if p.is_file())
    licence = zipfile.ZipFile(wheel).read("baselinegen-0.1.0.dist-info/licenses/LICENSE").decode()
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    metadata = zipfile.ZipFile(wheel).read("baselinegen-0.1.0.dist-info/METADATA").decode()
    headers = metadata.split("\n\n", 1)[0]
    assert "License-Expression: Apache-2.0" in headers and "Project-URL: Homepage, https://github.com/baselinegen/baselinegen" in headers
    assert "Description-Content-Type: text/markdown" in headers and "Classifier: Topic :: Security" in headers
    assert re.search(r"^Requires-Dist: packaging<27,>=24\.2$", headers, re.M)


def test_the_wheel_installed_in_a_fresh_environment_renders_and_prints_the_reference(built, tmp_path):
    wheel = built[1]

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-3000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "acme.yaml").write_bytes((EXAMPLES / "acme.yaml").read_bytes())
    render = subprocess.run([str(env_dir / "bin" / "baselinegen"), "render", "acme.yaml", "-o", "out"], cwd=elsewhere,
                            capture_output=True, text=True)
    assert render.returncode == 0, render.stderr
    from_source = elsewhere / "from-source"  # same place relative to the profile: the manifest records that path
    subprocess.run([sys.executable, "-m", "baselinegen", "render", str(elsewhere / "acme.yaml"), "-o", str(from_source)],
                   check=True, capture_output=True)
    assert tree(elsewhere / "out") == tree(from_source)

    reference = subprocess.run([str(env_dir / "bin" / "baselinegen"), "schema", "--format", "markdown"], cwd=elsewhere,
                               capture_output=True, text=True)
    assert reference.stdout == (REPO / "docs" / "profile.md").read_text(encoding="utf-8"), reference.stderr

    module_run = subprocess.run([str(python), "-m", "baselinegen", "--version"], cwd=elsewhere, capture_output=True, text=True)
    assert module_run.stdout == "baselinegen 0.1.0\n"


def test_the_installed_python_hcl2_is_the_real_one_not_checkovs_fork():
    import importlib.metadata

    import hcl2

    assert importlib.metadata.version("python-hcl2").startswith("8.")
    parsed = hcl2.loads('resource "a" "b" {\n  x = "y"\n}\n')
    assert parsed["resource"][0]['"a"']['"b"']["__is_block__"] is True
