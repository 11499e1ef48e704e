#!/usr/bin/env bash
# Set up (see setup.sh) and run the whole test suite. The browser tests drive Debian's chromium;
# as root on Debian/Ubuntu it is installed here when missing (elsewhere those tests skip, saying why).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
bash scripts/setup.sh
.venv/bin/python -m pytest -q "$@"
