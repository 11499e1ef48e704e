#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the test run.
#   bash scripts/postgres.sh start DIR   prints the server's URL (a database `newsfuse_test` on 127.0.0.1)
#   bash scripts/postgres.sh stop DIR    stops it and removes DIR
# As root on Debian/Ubuntu, Debian's `postgresql` is installed when missing and the server runs as the
# `postgres` user (initdb refuses root). Exits non-zero, printing why on stderr, when no server can be had.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a directory for the server}

bin_dir() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$found" ] && echo "$found"
}

as_owner() {  # run a server command as the directory's owner (postgres when we are root)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
  if [ -z "$(bin_dir)" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  bin=$(bin_dir) || true
  if [ -z "$bin" ]; then echo "postgres.sh: no PostgreSQL server found (install Debian's postgresql)" >&2; exit 1; fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
  psql=$bin/psql; [ -x "$psql" ] || psql=psql
  as_owner "$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE newsfuse_test" >/dev/null
  echo "postgresql://postgres@127.0.0.1:$port/newsfuse_test"
  ;;
stop)
  bin=$(bin_dir) || true
  if [ -n "$bin" ] && [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: postgres.sh start|stop DIR" >&2; exit 2
  ;;
esac
