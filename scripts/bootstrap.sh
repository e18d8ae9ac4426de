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
# The HTML report is tested in a real headless browser (Debian's chromium) and its
# screenshot needs a CJK font: installed only when missing, and only as root (CI).
if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  else
    echo "bootstrap: chromium or a CJK font is missing; the HTML report tests need them:" \
         "sudo apt-get install chromium fonts-wqy-microhei" >&2
  fi
fi
