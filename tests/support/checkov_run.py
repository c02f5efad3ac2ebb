"""checkov on a folder of Terraform, as the generated repository's workflow runs it: its own virtual environment
(``BASELINEGEN_CHECKOV``: its bc-python-hcl2 clashes with python-hcl2), terraform framework only, no download.

    report = run_checkov(checkov_bin, tree / "modules")
    report["results"]["failed_checks"], report["results"]["skipped_checks"], report["summary"]["passed"]
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def run_checkov(checkov_bin: str, directory: Path) -> dict:
    """checkov's JSON report for ``directory``: its results merged into one report when checkov writes several."""
    result = subprocess.run([checkov_bin, "-d", str(directory), "--framework", "terraform", "--output", "json",
                             "--compact", "--skip-download"], capture_output=True, text=True, timeout=900)
    assert result.returncode in (0, 1), result.stderr  # 1: some check failed; anything else: checkov itself failed
    found = json.loads(result.stdout)
    reports = found if isinstance(found, list) else [found]
    return {"results": {key: [c for r in reports for c in r["results"][key]] for key in ("failed_checks", "skipped_checks")},
            "summary": {"passed": sum(r["summary"]["passed"] for r in reports)}}
