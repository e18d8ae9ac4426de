#!/usr/bin/env bash
# The one test command (README and .ci/run both call this).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# The HTML report is tested in a real headless browser (Debian's chromium) and its
# screenshot needs a CJK font; the .doc reader's tests need LibreOffice (soffice converts
# .doc to DOCX).  Installed only when missing, and only as root (CI), after one update.
need_browser=0; need_office=0
if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then need_browser=1; fi
if ! command -v soffice >/dev/null 2>&1 && ! command -v libreoffice >/dev/null 2>&1; then need_office=1; fi
if [ "$need_browser$need_office" != 00 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    if [ "$need_browser" = 1 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
    fi
    if [ "$need_office" = 1 ]; then  # without recommends: no Java, no desktop integration
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null
    fi
  else
    echo "test.sh: chromium, a CJK font or LibreOffice is missing; the HTML report and .doc tests need them:" \
         "sudo apt-get install chromium fonts-wqy-microhei && sudo apt-get install --no-install-recommends libreoffice-writer-nogui" >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
