"""Golden output for examples/acme.yaml and examples/acme-org.yaml. Review changes to tests/golden/ like code.

Regenerate with: bash tests/run.sh tests/test_golden.py --update-golden
"""

from __future__ import annotations

import shutil

from baselinegen.sync.manifest import MANIFEST_PATH

from conftest import GOLDEN, tree


def _matches_golden(rendered_root, golden, update_golden: bool) -> None:
    if update_golden:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(rendered_root, golden, ignore=shutil.ignore_patterns(".baselinegen"))
    rendered = {path: data for path, data in tree(rendered_root).items() if path != MANIFEST_PATH}
    assert rendered == tree(golden)  # the manifest has its own tests (test_regeneration.py)


def test_acme_example_matches_the_golden_tree(rendered_example, update_golden):
    _matches_golden(rendered_example, GOLDEN / "acme", update_golden)


def test_acme_organisation_example_matches_the_golden_tree(rendered_org, update_golden):
    _matches_golden(rendered_org, GOLDEN / "acme-org", update_golden)
