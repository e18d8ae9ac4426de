#!/usr/bin/env bash
# Create .venv (if missing) and install filinglint with its test tools.  Safe to run
# again: it only installs what changed.  The example third-party pack of the tests is
# not installed (it would show in the user's `filinglint rules`); the one test that
# needs it makes it visible for itself (tests/plugins/example_pack.py).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install --quiet -e ".[test]"
# An earlier setup installed the example pack: take it out of the user's environment.
if .venv/bin/python -m pip show --quiet filinglint-example >/dev/null 2>&1; then
  .venv/bin/python -m pip uninstall --quiet --yes filinglint-example
fi
