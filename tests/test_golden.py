"""Golden output for examples/acme.yaml. Review changes to tests/golden/ like code.

Regenerate with: bash tests/run.sh tests/test_golden.py --update-golden
"""

from __future__ import annotations

import shutil

from baselinegen.sync.manifest import MANIFEST_PATH

from conftest import GOLDEN, tree


def test_acme_example_matches_the_golden_tree(rendered_example, update_golden):
    golden = GOLDEN / "acme"
    if update_golden:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(rendered_example, golden, ignore=shutil.ignore_patterns(".baselinegen"))
    rendered = {path: data for path, data in tree(rendered_example).items() if path != MANIFEST_PATH}
    assert rendered == tree(golden)  # the manifest has its own tests (test_regeneration.py)
