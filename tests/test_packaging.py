"""The built wheel carries templates/, profiles/ and the example profiles, renders from an unrelated directory and
prints the profile reference."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile

from conftest import EXAMPLES, REPO, tree


def test_wheel_contains_templates_and_profiles_and_renders_when_installed(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    wheel = next(dist.glob("baselinegen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("baselinegen/templates/iam/main.tf.j2", "baselinegen/templates/root/versions.tf.j2",
                     "baselinegen/templates/repo/README.md.j2", "baselinegen/profiles/cis-1.4.yaml",
                     "baselinegen/profiles/minimal.yaml", "baselinegen/cli.py", "baselinegen/examples/acme.yaml",
                     "baselinegen/examples/acme-org.yaml"):
        assert required in names

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
