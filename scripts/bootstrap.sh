#!/usr/bin/env bash
# Create .venv (if missing) and install filinglint with its test tools and the example
# third-party pack.  Safe to run again: it only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet -e ".[test]"
.venv/bin/python -m pip install --quiet -e ./tests/example_plugin
