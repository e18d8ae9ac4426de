#!/usr/bin/env bash
# The one test command (README and .ci/run both call this).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/python -m pytest "$@"
