#!/usr/bin/env bash
# The server's benchmark (`make bench-server`): loads `assure serve` with wrk on loopback, beside
# nginx serving a saved copy of the same findings response as a static file in the same run (the
# limit for a dynamic answer on this machine), with SQLite, then with PostgreSQL, each with one
# and with two `assure serve` processes on one database.
#
#   bash bench/server.sh                  everything: SQLite, then PostgreSQL (a throwaway
#                                         server started by scripts/with-postgres.sh)
#   BUILD=/tmp/b bash bench/server.sh     another build directory (configured Release)
#   bash bench/server.sh --sqlite         SQLite only
#   bash bench/server.sh --postgres       PostgreSQL only
#   DURATION=10s                          each wrk run (default 10s)
#   EDIT_CONNECTIONS="8 64"               the connection counts tried for edits
#
# Measures, each with wrk -t2 --latency for $DURATION:
#   nginx      GET the saved findings of one authority, a static file (64 connections)
#   findings   GET /api/v1/authorities/wexbridge/findings with a bearer token (64 connections)
#   edits      PUT /api/v1/authorities/{id}/posts/ceo {version, reason, entry}: one post
#              replaced, each connection on an authority of its own (copies of the example), so
#              that versions never collide; only acknowledged edits (2xx) are counted
# and the same two with two `assure serve` processes on one database: two wrk at once, one on
# each, with half the connections each; their rates are summed and the worse p99 is shown.
#
# Raw wrk outputs, results.jsonl and summary.md go to $BUILD/bench-results/server/. Loopback
# only; every process started here is stopped on exit, whatever happens. Timings are never
# tests: this script reports, it does not fail on a missed target.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
ASSURE=$BUILD/assure
RESULTS=${RESULTS:-$BUILD/bench-results/server}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-64}
EDIT_CONNECTIONS=${EDIT_CONNECTIONS:-8 64}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-2}
AUTHORITY=wexbridge                       # the findings measured: the largest example
EXAMPLE=$ROOT/examples/twin-hatter-city.yaml  # its file, copied for the edits
EDIT_POST=ceo                             # the post each edit replaces
CLIENT=$ROOT/bench/server_client.py
measured=""                               # the server processes whose CPU time is taken
WRK_DIR=$ROOT/bench/wrk

part=${1:-all}
case "$part" in
  all | --sqlite | --postgres | --postgres-part) ;;
  *) echo "usage: bash bench/server.sh [--sqlite | --postgres]" >&2; exit 2 ;;
esac

for tool in python3 wrk nginx; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] ||
    { echo "server.sh: $tool is not installed (make setup)" >&2; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$ASSURE" ]; then
  echo "server.sh: $ASSURE is missing: build first (make build)" >&2
  exit 1
fi

# ---- Every process started here is stopped on exit -------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/assure-bench-server.XXXXXX")
pids=()
cleanup() {
  local pid
  # The children too: a wrk run in a background subshell is the subshell's child.
  for pid in $(for p in "${pids[@]}"; do pgrep -P "$p" || true; done) "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget() {  # a process started here has ended: never signal its id again
  local pid=$1 kept=() p
  for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  pids=("${kept[@]+"${kept[@]}"}")
}

stop() {  # stop one process started here
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  forget "$pid"
}

wait_for() {  # wait for the processes started here (wrk runs); fail when one failed
  local pid status=0
  for pid in "$@"; do
    wait "$pid" || status=1
    forget "$pid"
  done
  return $status
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

mkdir -p "$RESULTS"

# ---- The parts -----------------------------------------------------------------------------

# start_assure DB NAME: starts `assure serve` on a free port; sets $port (and records the pid).
start_assure() {
  local db=$1 name=$2
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    "$ASSURE" serve --db "$db" --listen "127.0.0.1:$port" --threads "$SERVER_THREADS" \
      2>"$TMP/$name.log" &
    assure_pid=$!
    pids+=("$assure_pid")
    if python3 "$CLIENT" wait "http://127.0.0.1:$port/api/v1/openapi.json" 15 2>/dev/null; then
      return 0
    fi
    stop "$assure_pid"
  done
  echo "server.sh: assure serve did not start:" >&2
  tail -20 "$TMP/$name.log" >&2
  exit 1
}

# start_nginx FILE: serves FILE as /findings.json, application/json; sets $nginx_port.
start_nginx() {
  local file=$1 user_line=""
  mkdir -p "$TMP/nginx/html" "$TMP/nginx/tmp"
  cp "$file" "$TMP/nginx/html/findings.json"
  # As root, nginx's workers would run as nobody, who cannot read this folder: keep this user.
  if [ "$(id -u)" -eq 0 ]; then user_line="user $(id -un) $(id -gn);"; fi
  for _ in 1 2 3 4 5; do
    nginx_port=$(free_port)
    cat >"$TMP/nginx/nginx.conf" <<EOF
$user_line
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { }
  default_type application/json;
  client_body_temp_path $TMP/nginx/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $TMP/nginx/html;
  }
}
EOF
    "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" \
      -g 'daemon off;' 2>>"$TMP/nginx/stderr.log" &
    nginx_pid=$!  # the master: TERM stops its workers too
    pids+=("$nginx_pid")
    if python3 "$CLIENT" wait "http://127.0.0.1:$nginx_port/findings.json" 10 2>/dev/null; then
      return 0
    fi
    stop "$nginx_pid"
  done
  echo "server.sh: nginx did not start:" >&2
  cat "$TMP/nginx/error.log" "$TMP/nginx/stderr.log" >&2
  exit 1
}

cpu_ticks() {  # cpu_ticks PID...: user and system time of these processes and their children
  local pid total=0 t
  for pid in "$@" $(for p in "$@"; do pgrep -P "$p" || true; done); do
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}

# run_wrk OUT CONNECTIONS URL SCRIPT [ARGS...]: the measured run into OUT, and the CPU seconds
# the servers named by $measured (process ids) used meanwhile into OUT.cpu.
run_wrk() {
  local out=$1 connections=$2 url=$3 script=$4 before after
  shift 4
  # shellcheck disable=SC2086  # $measured is a list of ids
  before=$(cpu_ticks $measured)
  # In the background, so that a signal stops the script (and wrk) at once.
  wrk -t "$WRK_THREADS" -c "$connections" -d "$DURATION" --timeout 10s --latency \
    -s "$script" "$url" -- "$@" >"$out" 2>&1 &
  pids+=("$!")
  wait_for "$!" || { cat "$out" >&2; return 1; }
  # shellcheck disable=SC2086
  after=$(cpu_ticks $measured)
  echo "$(( (after - before) * 1000 / $(getconf CLK_TCK) ))" >"$out.cpu"
}

warm() {  # warm(connections url script args...): an unrecorded short run
  local connections=$1 url=$2 script=$3
  shift 3
  wrk -t "$WRK_THREADS" -c "$connections" -d "$WARMUP" -s "$script" "$url" -- "$@" >/dev/null 2>&1 &
  pids+=("$!")
  wait_for "$!"
}

show() {  # the wrk summary of OUT: rate and latency lines, and our RESULT line
  grep -E 'Requests/sec|^ +(50|99)%|Non-2xx|Socket errors|RESULT' "$1" | sed 's/^/    /'
}

# measure ENGINE DB: everything for one database (already created and loaded).
measure() {
  local engine=$1 db=$2 base token c half
  echo "== $engine: one assure serve"
  start_assure "$db" "assure-$engine"
  local first_pid=$assure_pid
  base="http://127.0.0.1:$port"
  "$ASSURE" user add bench --admin --db "$db" >"$TMP/user.txt" 2>&1 || true
  local password
  password=$(sed -n 's/^password: *//p' "$TMP/user.txt")
  if [ -z "$password" ]; then cat "$TMP/user.txt" >&2; exit 1; fi
  token=$(python3 "$CLIENT" token "$base" bench "$password")
  python3 "$CLIENT" get "$base" "/api/v1/authorities/$AUTHORITY/findings" "$token" \
    "$TMP/findings.json"
  python3 "$CLIENT" entries "$base" "$AUTHORITY" "$EDIT_POST" "$token" \
    "$TMP/entry-a.json" "$TMP/entry-b.json"
  cp "$TMP/findings.json" "$RESULTS/findings-$AUTHORITY.json"

  start_nginx "$TMP/findings.json"
  local static="http://127.0.0.1:$nginx_port/findings.json"
  local dynamic="$base/api/v1/authorities/$AUTHORITY/findings"
  # Both serve the same bytes.
  python3 - "$static" "$dynamic" "$token" <<'EOF'
import sys, urllib.request
a = urllib.request.urlopen(sys.argv[1]).read()
b = urllib.request.urlopen(urllib.request.Request(
    sys.argv[2], headers={"Authorization": "Bearer " + sys.argv[3]})).read()
if a != b:
    sys.exit("server.sh: nginx and Assure do not serve the same findings")
print(f"    the findings of the authority: {len(a):,} bytes, the same from both")
EOF

  echo "-- nginx: the saved findings, a static file ($CONNECTIONS connections)"
  measured=$nginx_pid
  warm "$CONNECTIONS" "$static" "$WRK_DIR/get.lua"
  run_wrk "$RESULTS/$engine-nginx.txt" "$CONNECTIONS" "$static" "$WRK_DIR/get.lua"
  show "$RESULTS/$engine-nginx.txt"
  python3 "$CLIENT" record "$RESULTS/results.jsonl" "$engine" 1 nginx "$CONNECTIONS" \
    "$RESULTS/$engine-nginx.txt"

  echo "-- Assure: GET the findings of $AUTHORITY ($CONNECTIONS connections)"
  measured=$first_pid
  warm "$CONNECTIONS" "$dynamic" "$WRK_DIR/get.lua" "$token"
  run_wrk "$RESULTS/$engine-findings.txt" "$CONNECTIONS" "$dynamic" "$WRK_DIR/get.lua" "$token"
  show "$RESULTS/$engine-findings.txt"
  python3 "$CLIENT" record "$RESULTS/results.jsonl" "$engine" 1 findings "$CONNECTIONS" \
    "$RESULTS/$engine-findings.txt"
  stop "$nginx_pid"

  for c in $EDIT_CONNECTIONS; do
    echo "-- Assure: edits, one post replaced ($c connections, an authority each)"
    run_wrk "$RESULTS/$engine-edits-$c.txt" "$c" "$base" "$WRK_DIR/edit.lua" "$token" \
      "$TMP/ids-one-$c.txt" "$EDIT_POST" "$TMP/entry-a.json" "$TMP/entry-b.json" "$WRK_THREADS"
    show "$RESULTS/$engine-edits-$c.txt"
    python3 "$CLIENT" record "$RESULTS/results.jsonl" "$engine" 1 edits "$c" \
      "$RESULTS/$engine-edits-$c.txt"
  done

  echo "== $engine: two assure serve processes on one database"
  local base_a=$base
  start_assure "$db" "assure-$engine-second"
  local second_pid=$assure_pid
  measured="$first_pid $second_pid"
  local base_b="http://127.0.0.1:$port"
  half=$((CONNECTIONS / 2))
  echo "-- Assure x2: GET the findings of $AUTHORITY ($half connections on each)"
  warm "$half" "$base_b/api/v1/authorities/$AUTHORITY/findings" "$WRK_DIR/get.lua" "$token"
  local wa wb
  run_wrk "$RESULTS/$engine-x2-findings-a.txt" "$half" \
    "$base_a/api/v1/authorities/$AUTHORITY/findings" "$WRK_DIR/get.lua" "$token" &
  wa=$!
  pids+=("$wa")
  run_wrk "$RESULTS/$engine-x2-findings-b.txt" "$half" \
    "$base_b/api/v1/authorities/$AUTHORITY/findings" "$WRK_DIR/get.lua" "$token" &
  wb=$!
  pids+=("$wb")
  wait_for "$wa" "$wb"
  show "$RESULTS/$engine-x2-findings-a.txt"
  show "$RESULTS/$engine-x2-findings-b.txt"
  python3 "$CLIENT" record "$RESULTS/results.jsonl" "$engine" 2 findings "$CONNECTIONS" \
    "$RESULTS/$engine-x2-findings-a.txt" "$RESULTS/$engine-x2-findings-b.txt"

  for c in $EDIT_CONNECTIONS; do
    half=$((c / 2))
    echo "-- Assure x2: edits ($half connections on each, an authority each)"
    run_wrk "$RESULTS/$engine-x2-edits-$c-a.txt" "$half" "$base_a" "$WRK_DIR/edit.lua" \
      "$token" "$TMP/ids-two-$c-a.txt" "$EDIT_POST" "$TMP/entry-a.json" "$TMP/entry-b.json" \
      "$WRK_THREADS" &
    wa=$!
    pids+=("$wa")
    run_wrk "$RESULTS/$engine-x2-edits-$c-b.txt" "$half" "$base_b" "$WRK_DIR/edit.lua" \
      "$token" "$TMP/ids-two-$c-b.txt" "$EDIT_POST" "$TMP/entry-a.json" "$TMP/entry-b.json" \
      "$WRK_THREADS" &
    wb=$!
    pids+=("$wb")
    wait_for "$wa" "$wb"
    show "$RESULTS/$engine-x2-edits-$c-a.txt"
    show "$RESULTS/$engine-x2-edits-$c-b.txt"
    python3 "$CLIENT" record "$RESULTS/results.jsonl" "$engine" 2 edits "$c" \
      "$RESULTS/$engine-x2-edits-$c-a.txt" "$RESULTS/$engine-x2-edits-$c-b.txt"
  done

  # Every acknowledged edit is in the log, and the log is intact.
  echo "-- assure verify"
  stop "$second_pid"
  stop "$first_pid"
  "$ASSURE" verify --db "$db" 2>&1 | tail -3 | sed 's/^/    /'
  for f in "$TMP"/assure-*.log; do tail -50 "$f" >"$RESULTS/$engine-$(basename "$f")"; done
}

# load DB: the four examples, and a copy of the largest per edit connection, each run its own.
load() {
  local db=$1 c
  mkdir -p "$TMP/copies"
  for c in $EDIT_CONNECTIONS; do
    python3 "$CLIENT" copies "$EXAMPLE" "one$c" "$c" "$TMP/copies" "$TMP/ids-one-$c.txt"
    python3 "$CLIENT" copies "$EXAMPLE" "twoa$c" "$((c / 2))" "$TMP/copies" "$TMP/ids-two-$c-a.txt"
    python3 "$CLIENT" copies "$EXAMPLE" "twob$c" "$((c / 2))" "$TMP/copies" "$TMP/ids-two-$c-b.txt"
  done
  "$ASSURE" import "$ROOT"/examples/*.yaml "$TMP"/copies/*.yaml --reason "bench/server.sh" \
    --db "$db" >"$TMP/import.txt" 2>&1 || { tail -20 "$TMP/import.txt" >&2; exit 1; }
  echo "    loaded $(find "$ROOT/examples" "$TMP/copies" -name '*.yaml' | wc -l) authorities"
}

machine() {
  echo "    $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -r);" \
    "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), nginx $("$NGINX" -v 2>&1 | sed 's/.*\///')"
  read -r load _ </proc/loadavg
  if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0.5 else 1)" "$load"; then
    echo "server.sh: warning: load average $load: something else is running, figures will be noisy" >&2
  fi
}

sqlite_part() {
  echo "== SQLite"
  load "$TMP/bench.db"
  measure sqlite "$TMP/bench.db"
}

postgres_part() {
  if [ -z "${ASSURE_TEST_POSTGRES_URL:-}" ]; then
    echo "server.sh: --postgres-part runs under scripts/with-postgres.sh" >&2
    exit 2
  fi
  echo "== PostgreSQL"
  load "$ASSURE_TEST_POSTGRES_URL"
  measure postgresql "$ASSURE_TEST_POSTGRES_URL"
}

case "$part" in
  --postgres-part)
    postgres_part
    exit 0
    ;;
esac

machine
rm -f "$RESULTS"/*.txt "$RESULTS"/*.log "$RESULTS"/results.jsonl "$RESULTS"/summary.md
if [ "$part" = all ] || [ "$part" = --sqlite ]; then sqlite_part; fi
if [ "$part" = all ] || [ "$part" = --postgres ]; then
  BUILD=$BUILD RESULTS=$RESULTS bash "$ROOT/scripts/with-postgres.sh" \
    bash "$ROOT/bench/server.sh" --postgres-part
fi

echo
echo "== Summary (wrk -t$WRK_THREADS, $DURATION each; $RESULTS)"
python3 "$CLIENT" summary "$RESULTS/results.jsonl" | tee "$RESULTS/summary.md"
