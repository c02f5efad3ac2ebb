"""Golden output for examples/acme.yaml. Review changes to tests/golden/ like code.

Regenerate with: bash tests/run.sh tests/test_golden.py --update-golden
"""

from __future__ import annotations

import shutil

from conftest import GOLDEN, tree


def test_acme_example_matches_the_golden_tree(rendered_example, update_golden):
    golden = GOLDEN / "acme"
    if update_golden:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(rendered_example, golden)
    assert tree(rendered_example) == tree(golden)
