#!/usr/bin/env bash
# What a flood of refused requests costs everyone else (`bash bench/auth_flood.sh`): edits
# measured alone, then with a flood of 401s at a steady rate from one address beside them, on
# one `assure serve` with SQLite; the edits' rate with the flood over their rate without it, the
# median of several runs of each, in the same run of the script. Then reads while people sign
# in: GET /healthz alone and beside two connections signing in one after another.
#
#   bash bench/auth_flood.sh             defaults: 3 runs of each, 5 s each
#   BUILD=/tmp/b bash bench/auth_flood.sh   another build directory (configured Release)
#   RUNS=5 DURATION=10s RATE=700 EDIT_CONNECTIONS=8 FLOOD_CONNECTIONS=64
#
# Every refused request is logged (the log of sign-ins and refusals); a flood from one address
# is written as a count once a second (src/server/auth_log.hpp), not a row per request. The
# target: the flood costs the edits at most 20% of their rate (ratio at least 0.80). Raw wrk
# outputs and results.txt go to $BUILD/bench-results/auth_flood/. Timings are never tests: this
# script reports, it does not fail on a missed target.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
ASSURE=$BUILD/assure
RESULTS=${RESULTS:-$BUILD/bench-results/auth_flood}
RUNS=${RUNS:-3}
DURATION=${DURATION:-5s}
RATE=${RATE:-700}
EDIT_CONNECTIONS=${EDIT_CONNECTIONS:-8}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-64}
SERVER_THREADS=${SERVER_THREADS:-2}
EXAMPLE=$ROOT/examples/twin-hatter-city.yaml
CLIENT=$ROOT/bench/server_client.py
WRK_DIR=$ROOT/bench/wrk

for tool in python3 wrk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "auth_flood.sh: $tool is not installed" >&2; exit 1; }
done
[ -x "$ASSURE" ] || { echo "auth_flood.sh: $ASSURE is missing: build first" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/assure-bench-flood.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.txt

# An authority of its own for each edit connection of each run, so that versions never collide.
for run in $(seq "$RUNS"); do
  for mode in alone flood; do
    python3 "$CLIENT" copies "$EXAMPLE" "$mode$run" "$EDIT_CONNECTIONS" "$TMP/copies" \
      "$TMP/ids-$mode-$run.txt"
  done
done
"$ASSURE" import "$EXAMPLE" "$TMP"/copies/*.yaml --reason "bench/auth_flood.sh" \
  --db "$TMP/bench.db" >"$TMP/import.txt" 2>&1 || { tail -20 "$TMP/import.txt" >&2; exit 1; }
"$ASSURE" user add bench --admin --db "$TMP/bench.db" >"$TMP/user.txt" 2>&1
password=$(sed -n 's/^password: *//p' "$TMP/user.txt")

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$ASSURE" serve --db "$TMP/bench.db" --listen "127.0.0.1:$port" --threads "$SERVER_THREADS" \
  >/dev/null 2>&1 &
pids+=("$!")
base="http://127.0.0.1:$port"
python3 "$CLIENT" wait "$base/api/v1/openapi.json" 15
token=$(python3 "$CLIENT" token "$base" bench "$password")
python3 "$CLIENT" entries "$base" wexbridge ceo "$token" "$TMP/entry-a.json" "$TMP/entry-b.json"

edits() {  # edits IDS OUT: one measured run of edits
  wrk -t 2 -c "$EDIT_CONNECTIONS" -d "$DURATION" --timeout 10s --latency -s "$WRK_DIR/edit.lua" \
    "$base" -- "$token" "$1" ceo "$TMP/entry-a.json" "$TMP/entry-b.json" 2 >"$2" 2>&1
}
rate_of() { sed -n 's/^RESULT //p' "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"; }

echo "== $RUNS runs of $DURATION each: $EDIT_CONNECTIONS connections editing, alone and beside" \
  "a flood of 401s at up to $RATE/s ($FLOOD_CONNECTIONS connections, one address)"
for run in $(seq "$RUNS"); do
  edits "$TMP/ids-alone-$run.txt" "$RESULTS/alone-$run.txt"
  wrk -t 1 -c "$FLOOD_CONNECTIONS" -d "$DURATION" --timeout 10s -s "$WRK_DIR/unauthorized.lua" \
    "$base" -- "$RATE" >"$RESULTS/flood-$run.txt" 2>&1 &
  flood=$!
  pids+=("$flood")
  edits "$TMP/ids-flood-$run.txt" "$RESULTS/beside-$run.txt"
  wait "$flood"
  echo "   run $run: edits alone $(rate_of "$RESULTS/alone-$run.txt" edits_per_s)/s," \
    "beside the flood $(rate_of "$RESULTS/beside-$run.txt" edits_per_s)/s" \
    "(p99 $(rate_of "$RESULTS/alone-$run.txt" p99_ms) / $(rate_of "$RESULTS/beside-$run.txt" p99_ms) ms);" \
    "flood $(rate_of "$RESULTS/flood-$run.txt" per_s)/s"
done

# Reads while people sign in: /healthz alone, then beside two connections signing in one after
# another (each sign-in checks an Argon2id hash, on the server's hashing thread).
healthz() {  # healthz OUT
  wrk -t 1 -c 4 -d "$DURATION" --timeout 10s --latency -s "$WRK_DIR/get.lua" "$base/healthz" \
    >"$1" 2>&1
}
echo "== /healthz (4 connections), alone and beside 2 connections signing in, $RUNS runs each"
for run in $(seq "$RUNS"); do
  healthz "$RESULTS/healthz-alone-$run.txt"
  wrk -t 1 -c 2 -d "$DURATION" --timeout 10s -s "$WRK_DIR/sign_in.lua" "$base" -- bench \
    "$password" >"$RESULTS/sign-in-$run.txt" 2>&1 &
  signing=$!
  pids+=("$signing")
  healthz "$RESULTS/healthz-beside-$run.txt"
  wait "$signing"
  echo "   run $run: /healthz p99 $(rate_of "$RESULTS/healthz-alone-$run.txt" p99_ms) ms alone," \
    "$(rate_of "$RESULTS/healthz-beside-$run.txt" p99_ms) ms (max" \
    "$(rate_of "$RESULTS/healthz-beside-$run.txt" max_ms) ms) beside" \
    "$(rate_of "$RESULTS/sign-in-$run.txt" per_s) sign-ins/s (p50" \
    "$(rate_of "$RESULTS/sign-in-$run.txt" p50_ms) ms each)"
done

python3 - "$RESULTS" "$RUNS" <<'PY' | tee "$RESULTS/results.txt"
import json, statistics, sys
results, runs = sys.argv[1], int(sys.argv[2])
def result(name):
    for line in open(f"{results}/{name}"):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
alone = [result(f"alone-{r}.txt") for r in range(1, runs + 1)]
beside = [result(f"beside-{r}.txt") for r in range(1, runs + 1)]
flood = [result(f"flood-{r}.txt") for r in range(1, runs + 1)]
a = statistics.median(r["edits_per_s"] for r in alone)
b = statistics.median(r["edits_per_s"] for r in beside)
f = statistics.median(r["per_s"] for r in flood)
refused = sum(r["refused"] for r in flood)
print(f"medians of {runs} runs: edits {a:.0f}/s alone, {b:.0f}/s beside a flood of {f:.0f} "
      f"refused requests/s: ratio {b / a:.2f} (target at least 0.80: "
      f"{'met' if b / a >= 0.8 else 'missed'}); p99 "
      f"{statistics.median(r['p99_ms'] for r in alone):.1f} ms alone, "
      f"{statistics.median(r['p99_ms'] for r in beside):.1f} ms beside; {refused} refusals in all")
h_alone = [result(f"healthz-alone-{r}.txt") for r in range(1, runs + 1)]
h_beside = [result(f"healthz-beside-{r}.txt") for r in range(1, runs + 1)]
signing = [result(f"sign-in-{r}.txt") for r in range(1, runs + 1)]
print(f"medians of {runs} runs: /healthz p50 {statistics.median(r['p50_ms'] for r in h_alone):.2f} "
      f"ms, p99 {statistics.median(r['p99_ms'] for r in h_alone):.2f} ms alone; p50 "
      f"{statistics.median(r['p50_ms'] for r in h_beside):.2f} ms, p99 "
      f"{statistics.median(r['p99_ms'] for r in h_beside):.2f} ms, max "
      f"{statistics.median(r['max_ms'] for r in h_beside):.1f} ms beside "
      f"{statistics.median(r['per_s'] for r in signing):.1f} sign-ins/s, each taking "
      f"{statistics.median(r['p50_ms'] for r in signing):.0f} ms (p50)")
PY
PY_STATUS=$?
python3 - "$TMP/bench.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows, total = db.execute(
    "SELECT count(*), coalesce(sum(occurrences), 0) FROM auth_events WHERE kind = 'unauthorized'"
).fetchone()
print(f"the log of refusals: {rows} rows for {total} refused requests")
PY
exit $PY_STATUS
