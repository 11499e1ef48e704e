#!/usr/bin/env bash
# Set up (see setup.sh) and run the whole test suite. The browser tests drive Debian's chromium and the
# PostgreSQL tests a local server; as root on Debian/Ubuntu both are installed here when missing
# (elsewhere those tests skip, saying why; under CI they fail instead).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
bash scripts/setup.sh
# The PostgreSQL backend's tests run against a throwaway server on loopback (scripts/postgres.sh; as root
# it installs Debian's postgresql). Without one they skip, except under CI, where they fail.
pg_dir=$(mktemp -d)
trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
if url=$(bash scripts/postgres.sh start "$pg_dir"); then
  export NEWSFUSE_TEST_POSTGRES=$url
fi
.venv/bin/python -m pytest -q "$@"
