#!/usr/bin/env bash
# `make run`: check every example and print the findings, then serve them: a SQLite database
# with the examples loaded, an administrator whose password is printed, and the server.
#   LISTEN=127.0.0.1:8080  where to serve     ASSURE_DB=build/run.db  the database
set -euo pipefail
cd "$(dirname "$0")/.."
assure=build/assure
db=${ASSURE_DB:-build/run.db}
listen=${LISTEN:-127.0.0.1:8080}

for f in examples/*.yaml; do
  echo "== $f"
  rc=0
  "$assure" check "$f" || rc=$?
  [ "$rc" -le 1 ] || exit "$rc"
  echo
done

if [ ! -f "$db" ]; then
  "$assure" import examples/*.yaml --reason "Examples loaded by make run" --author "make run" \
    --db "$db"
fi
echo
echo "Sign in as the administrator (a new password each time make run starts):"
"$assure" user add admin --admin --reset --db "$db" | sed 's/^/  /'
echo
exec "$assure" serve --db "$db" --listen "$listen"
