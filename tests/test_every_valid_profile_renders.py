"""Every profile that ``validate`` accepts renders: built by hypothesis (tests/support/shapes.py) in every shape of
organisation (any subset of the optional account roles, 0-3 workloads, per-account Regions) and as one account, with
the optional sections on, changed and off. Each is validated (it must be accepted), rendered in memory through the
public API, parsed back and checked (``verify``), and rendered a second time to the same bytes.

Derandomized, with no example database: every run tries the same examples, so a failure in CI is a failure on every
machine, and hypothesis prints the shrunk profile that fails."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings

from baselinegen import api
from tests.support.shapes import profiles

SHAPES = settings(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _render_twice(document: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profile.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        problems, profile = api.check_profile(path)
        errors = [f"{p.location.line}:{p.location.column}: {p.path}: {p.message} [{p.code}]" for p in problems if p.severity == "error"]
        assert errors == [] and profile is not None, "the strategy built a profile validate refuses:\n" + "\n".join(errors)
        first = api.render_tree(profile)
        api.verify(first, profile)
        again = api.render_tree(api.load_profile(path).profile)
    files = [(f.path, f.mode, f.content.encode("utf-8")) for f in first.files]
    assert files and len({path for path, _, _ in files}) == len(files)
    assert [(f.path, f.mode, f.content.encode("utf-8")) for f in again.files] == files
    assert first.controls is not None and sum(first.controls.counts().values()) == len(first.controls.results)
    if document.get("accounts"):
        names = {a["name"] for a in document["accounts"]}
        assert {path.split("/")[1] for path, _, _ in files if path.startswith("accounts/")} == names
    else:
        assert {"main.tf", "providers.tf", "versions.tf"} <= {path for path, _, _ in files}


@settings(SHAPES, max_examples=45)
@given(profiles(organization=True))
def test_every_valid_organisation_profile_renders_parses_back_and_renders_the_same_bytes_again(document):
    _render_twice(document)


@settings(SHAPES, max_examples=15)
@given(profiles(organization=False))
def test_every_valid_single_account_profile_renders_parses_back_and_renders_the_same_bytes_again(document):
    _render_twice(document)
