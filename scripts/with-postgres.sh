#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server, for the storage tests:
#
#   scripts/with-postgres.sh ctest --output-on-failure
#
# Starts Debian's PostgreSQL (the `postgresql` package) in a new temporary folder, listening on
# 127.0.0.1 on a free port (its socket in that folder, so it never meets a system server), runs
# the command with ASSURE_TEST_POSTGRES_URL naming it, then stops the server and removes the
# folder, whatever the command's result, and exits with the command's status. As root the server
# runs as the unprivileged `postgres` user (PostgreSQL refuses to run as root); otherwise as
# the caller.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: scripts/with-postgres.sh COMMAND [ARG...]" >&2
  exit 2
fi

pg_bin=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then pg_bin=$d; break; fi
done
if [ -z "$pg_bin" ]; then
  echo "with-postgres: PostgreSQL is not installed (apt-get install postgresql; make setup does)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/assure-pg.XXXXXX")
chmod 755 "$dir"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
fi

started=0
cleanup() {
  if [ "$started" -eq 1 ]; then
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
      as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_owner "$pg_bin/initdb" -D "$dir/data" -U assure --auth=trust -E UTF8 --no-locale \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A port found free may be taken before the server binds it: try a few.
port=""
for attempt in 1 2 3 4 5; do
  candidate=$(free_port)
  if as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $candidate -k $dir -c max_connections=200 -c fsync=on" \
      start >/dev/null 2>&1; then
    port=$candidate
    started=1
    break
  fi
done
if [ -z "$port" ]; then
  echo "with-postgres: the server did not start:" >&2
  cat "$dir/server.log" >&2 || true
  exit 1
fi

export ASSURE_TEST_POSTGRES_URL="postgresql://assure@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
set +e
"$@"
status=$?
set -e
exit $status
