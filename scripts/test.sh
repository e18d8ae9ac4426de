#!/usr/bin/env bash
# The one test command (README and .ci/run both call this).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# The HTML report is tested in a real headless browser (Debian's chromium) and its
# screenshot needs a CJK font: installed only when missing, and only as root (CI).
if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  else
    echo "test.sh: chromium or a CJK font is missing; the HTML report tests need them:" \
         "sudo apt-get install chromium fonts-wqy-microhei" >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
