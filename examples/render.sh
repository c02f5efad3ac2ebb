#!/usr/bin/env bash
# Sets itself up on a fresh machine (needs only Python >= 3.10) and renders examples/acme.yaml.
#   bash examples/render.sh [OUTPUT_FOLDER]      (default: acme-baseline)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-acme-baseline}"
PYTHON=${PYTHON:-python3}
if [ ! -x "$repo/.venv/bin/baselinegen" ]; then
  "$PYTHON" -m venv "$repo/.venv"
  "$repo/.venv/bin/python" -m pip install -q -e "$repo" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
fi
exec "$repo/.venv/bin/baselinegen" render "$repo/examples/acme.yaml" -o "$out"
