#!/usr/bin/env bash
# Assure's benchmarks (`make bench`). Generates synthetic arrangements files, times the floor
# (libyaml's bare event parse) against Assure on them, and prints the ratios to the floor.
#
#   bash bench/run.sh                 uses build/ (built by `make build`)
#   BUILD=/tmp/b bash bench/run.sh    another build directory (configured Release)
#   KEEP_DATA=1 bash bench/run.sh     keep the generated files (their folder is printed)
#
# Results (JSON from hyperfine and Google Benchmark, and summary.md) go to $BUILD/bench-results.
# Timings are never tests: this script reports, it does not fail on a missed target.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
ASSURE=$BUILD/assure
FLOOR=$BUILD/bench/yaml_floor
BENCH=$BUILD/bench/bench_assure
RESULTS=${RESULTS:-$BUILD/bench-results}
REPETITIONS=${REPETITIONS:-5}  # Google Benchmark repetitions (medians are reported)
RUNS=${RUNS:-10}               # hyperfine runs
PAIRS=${PAIRS:-5}              # whole process, 5,000 posts: hyperfine runs of floor and assure

for tool in python3 hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed (make setup)" >&2; exit 1; }
done
for program in "$ASSURE" "$FLOOR" "$BENCH"; do
  if [ ! -x "$program" ]; then
    echo "run.sh: $program is missing: build first (make build). bench/ is only built when" >&2
    echo "        CMake finds Google Benchmark (libbenchmark-dev) at configure time." >&2
    exit 1
  fi
done

DATA=$(mktemp -d "${TMPDIR:-/tmp}/assure-bench.XXXXXX")
if [ "${KEEP_DATA:-0}" = 1 ]; then
  echo "run.sh: the generated files stay in $DATA"
else
  trap 'rm -rf "$DATA"' EXIT
fi
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.json "$RESULTS"/summary.md

read -r load _ </proc/loadavg
if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0.5 else 1)" "$load"; then
  echo "run.sh: warning: load average $load: something else is running, timings will be noisy" >&2
fi

echo "== Generating the data ($DATA)"
python3 "$ROOT/bench/generate.py" --posts 500 --bodies 50 --seed 1 --out "$DATA/posts-500.yaml"
python3 "$ROOT/bench/generate.py" --posts 5000 --bodies 500 --seed 1 --out "$DATA/posts-5000.yaml"
python3 "$ROOT/bench/generate.py" --posts 50000 --bodies 5000 --seed 1 \
  --out "$DATA/posts-50000.yaml"
python3 "$ROOT/bench/generate.py" --authorities-csv "$ROOT/data/upper_tier_authorities.csv" \
  --typical --seed 1 --out-dir "$DATA/typical"

echo "== Every file loads (assure check exits 0 or 1, never 2)"
for input in posts-500.yaml posts-5000.yaml posts-50000.yaml 'typical/*.yaml'; do
  status=0
  # shellcheck disable=SC2086  # typical/*.yaml is meant to expand
  "$ASSURE" check --format json $DATA/$input >/dev/null 2>"$DATA/errors.txt" || status=$?
  if [ "$status" -ge 2 ]; then
    head -20 "$DATA/errors.txt" >&2
    echo "run.sh: $input does not load (exit $status): fix bench/generate.py" >&2
    exit 1
  fi
  echo "$input: exit $status"
done

# A pair is one hyperfine run of both commands, side by side; the ratio reported is the median of
# the pairs' ratios, so that a burst of other work on the machine spoils one pair, not the figure.
for pair in $(seq "$PAIRS"); do
  echo "== Whole process: 5,000 posts, pair $pair of $PAIRS (hyperfine, $RUNS runs each)"
  hyperfine -N --warmup 2 --runs "$RUNS" --ignore-failure --output=null --style basic \
    --export-json "$RESULTS/whole-5000-$pair.json" \
    -n yaml_floor "$FLOOR '$DATA/posts-5000.yaml'" \
    -n assure "$ASSURE check --format json '$DATA/posts-5000.yaml'"
done

# Starting the program, beside the floor's start: yaml_floor on a file of one line.
echo "tiny: true" >"$DATA/tiny.yaml"
echo "== Starting: assure --version and --help (hyperfine, $((RUNS * 5)) runs)"
hyperfine -N --warmup 5 --runs "$((RUNS * 5))" --output=null --style basic \
  --export-json "$RESULTS/startup.json" \
  -n true /bin/true \
  -n yaml_floor "$FLOOR '$DATA/tiny.yaml'" \
  -n version "$ASSURE --version" \
  -n help "$ASSURE --help"

echo "== Whole process: the 153 typical councils in one command (hyperfine, $RUNS runs)"
typical_files=$(cd "$DATA" && printf "'$DATA/%s' " typical/*.yaml)
hyperfine -N --warmup 2 --runs "$RUNS" --ignore-failure --output=null --style basic \
  --export-json "$RESULTS/whole-typical.json" \
  -n yaml_floor "$FLOOR $typical_files" \
  -n assure "$ASSURE check --format json $typical_files"

# One process per input: a large input left in the heap slows the benchmarks that follow it.
for input in posts-500.yaml posts-5000.yaml posts-50000.yaml typical; do
  echo "== In process: $input (Google Benchmark, $REPETITIONS repetitions, medians)"
  if ! "$BENCH" --benchmark_repetitions="$REPETITIONS" --benchmark_report_aggregates_only=true \
    --benchmark_out="$RESULTS/inprocess-${input%.yaml}.json" --benchmark_out_format=json \
    "$DATA/$input" >"$DATA/bench.log" 2>&1; then
    cat "$DATA/bench.log" >&2
    exit 1
  fi
  grep -E '^[A-Za-z0-9]+/[^ ]+_median' "$DATA/bench.log"
done

echo
python3 - "$DATA" "$RESULTS" "$ASSURE" "$FLOOR" <<'PY'
import glob, json, os, platform, statistics, subprocess, sys, datetime

data, results, assure, floor = sys.argv[1:5]


def hyperfine(name):
    """Median wall time and mean CPU time (user + system; hyperfine keeps only means) in ms."""
    with open(os.path.join(results, name)) as f:
        runs = json.load(f)["results"]
    wall = {r["command"]: r["median"] * 1000.0 for r in runs}
    cpu = {r["command"]: (r["user"] + r["system"]) * 1000.0 for r in runs}
    return wall, cpu


def pairs():
    """Per pair of hyperfine runs: medians (wall) and mean CPU times (user + system) in ms."""
    out = []
    for path in sorted(glob.glob(os.path.join(results, "whole-5000-*.json"))):
        out.append(hyperfine(os.path.basename(path)))
    return out


def faults_and_memory(command):
    """Page faults (minor + major) and peak resident memory (MB) of one run of `command`, by GNU
    time: a child of this Python process would count Python's own memory in its peak."""
    result = subprocess.run(["/usr/bin/time", "-f", "%R %F %M", *command], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    minor, major, kb = result.stderr.strip().splitlines()[-1].split()
    return int(minor) + int(major), int(kb) / 1024.0


def gbench():
    medians = {}
    for path in glob.glob(os.path.join(results, "inprocess-*.json")):
        with open(path) as f:
            for b in json.load(f)["benchmarks"]:
                if b.get("aggregate_name") == "median":
                    assert b["time_unit"] == "ms", b
                    # CPU time of the benchmark thread: the code is single-threaded and does no
                    # I/O, and CPU time does not count the time another process had the core.
                    medians[b["run_name"]] = b["cpu_time"]
    return medians


def size(path):
    n = os.path.getsize(path)
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def ms(x):
    return f"{x:.1f} ms" if x < 100 else f"{x:.0f} ms"


def verdict(ratio, target=2.0):
    return "met" if ratio <= target else "MISSED"


runs = pairs()
whole = {name: statistics.median(w[name] for w, _ in runs) for name in ("yaml_floor", "assure")}
whole_cpu = {name: statistics.median(c[name] for _, c in runs) for name in ("yaml_floor", "assure")}
ratios = sorted(w["assure"] / w["yaml_floor"] for w, _ in runs)
cpu_ratios = sorted(c["assure"] / c["yaml_floor"] for _, c in runs)
startup, _ = hyperfine("startup.json")
posts_5000 = os.path.join(data, "posts-5000.yaml")
floor_faults, floor_rss = faults_and_memory([floor, posts_5000])
assure_faults, assure_rss = faults_and_memory([assure, "check", "--format", "json", posts_5000])
whole_typical, whole_typical_cpu = hyperfine("whole-typical.json")
g = gbench()
typical = sorted(glob.glob(os.path.join(data, "typical", "*.yaml")))
typical_bytes = sum(os.path.getsize(p) for p in typical)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
           platform.processor())
nproc = os.cpu_count()

lines = []
out = lines.append
out(f"Assure benchmarks, {datetime.date.today().isoformat()}: {nproc} cores ({cpu}), medians")
out("(whole process: median wall time, and mean CPU time = user + system; in process: CPU time)")
out("")
out("| measure | file size | floor (libyaml events) | assure | ratio | target |")
out("| --- | --- | --- | --- | --- | --- |")
r = statistics.median(ratios)
out(f"| whole process, 5,000 posts (`assure check --format json`; the median of {len(ratios)} "
    f"pairs' ratios, {ratios[0]:.2f}x to {ratios[-1]:.2f}x) | {size(posts_5000)} | {ms(whole['yaml_floor'])} "
    f"| {ms(whole['assure'])} | {r:.2f}x | within 2x: {verdict(r)}, in every pair: "
    f"{verdict(ratios[-1])} |")
set_name = f"Typical{len(typical)}"  # Typical153 for England
r = statistics.median(cpu_ratios)
out(f"| whole process, 5,000 posts, CPU time (user + system) "
    f"| {size(posts_5000)} | {ms(whole_cpu['yaml_floor'])} "
    f"| {ms(whole_cpu['assure'])} | {r:.2f}x | (the same, without waits) |")
out(f"| whole process, 5,000 posts: page faults, peak resident memory "
    f"| {size(posts_5000)} | {floor_faults}, {floor_rss:.1f} MB "
    f"| {assure_faults}, {assure_rss:.1f} MB | | (no target) |")
out(f"| starting: `assure --version` / `assure --help` (floor: yaml_floor on a one-line file; "
    f"any process, /bin/true: {startup['true']:.2f} ms) "
    f"| | {startup['yaml_floor']:.2f} ms | {startup['version']:.2f} / {startup['help']:.2f} ms "
    f"| {startup['version'] / startup['yaml_floor']:.2f}x "
    f"| under 2 ms: {'met' if max(startup['version'], startup['help']) < 2.0 else 'MISSED'} |")
r = g[f"{set_name}/LoadAndCheck"] / g[f"{set_name}/Floor"]
out(f"| {len(typical)} typical authorities, in one process (load and check each) "
    f"| {typical_bytes / 1e6:.2f} MB ({typical_bytes / len(typical) / 1e3:.0f} kB each) "
    f"| {ms(g[f'{set_name}/Floor'])} | {ms(g[f'{set_name}/LoadAndCheck'])} | {r:.2f}x "
    f"| within 2x: {verdict(r)} |")
r = whole_typical["assure"] / whole_typical["yaml_floor"]
out(f"| {len(typical)} typical authorities, whole process (one command, hyperfine) "
    f"| {typical_bytes / 1e6:.2f} MB | {ms(whole_typical['yaml_floor'])} "
    f"| {ms(whole_typical['assure'])} | {r:.2f}x | (no target) |")
for n in (500, 5000, 50000):
    path = os.path.join(data, f"posts-{n}.yaml")
    for what in ("Tree", "Load", "LoadAndCheck"):
        r = g[f"{what}/{n}"] / g[f"Floor/{n}"]
        out(f"| in process, {n:,} posts, {what} | {size(path)} | {ms(g[f'Floor/{n}'])} "
            f"| {ms(g[f'{what}/{n}'])} | {r:.2f}x | (no target) |")
out("")
out("Check only (RunChecks on arrangements already loaded), in process:")
out("")
out("| posts | file size | check | per post |")
out("| --- | --- | --- | --- |")
per_post = {}
for n in (500, 5000, 50000):
    t = g[f"Check/{n}"]
    per_post[n] = t * 1000.0 / n
    out(f"| {n:,} | {size(os.path.join(data, f'posts-{n}.yaml'))} | {t:.2f} ms "
        f"| {per_post[n]:.2f} µs |")
out("")
out(f"Time per post, 50,000 posts against 500: {per_post[50000] / per_post[500]:.2f}x "
    "(1.00x is exactly linear).")
text = "\n".join(lines) + "\n"
print(text)
with open(os.path.join(results, "summary.md"), "w") as f:
    f.write(text)
print(f"(JSON and this summary: {results})")
PY
