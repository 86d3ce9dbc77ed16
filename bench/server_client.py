#!/usr/bin/env python3
"""The small HTTP and file chores of bench/server.sh, with Python's standard library only.

  server_client.py wait URL [SECONDS]                   until URL answers (any status)
  server_client.py token BASE NAME PASSWORD             sign in, make an API token, print it
  server_client.py get BASE PATH TOKEN OUT              save a response body (exit 1 unless 200)
  server_client.py entries BASE ID KEY TOKEN OUT_A OUT_B
        the post KEY of authority ID as JSON (OUT_B, as it is) and with its title changed (OUT_A)
  server_client.py copies YAML PREFIX COUNT OUT_DIR IDS_FILE
        COUNT copies of an arrangements file, authority ids PREFIX-001..., listed in IDS_FILE
  server_client.py record RESULTS_JSONL ENGINE PROCESSES MEASURE CONNECTIONS WRK_OUTPUT...
        append wrk's RESULT lines (summed over several wrk runs at once) as one JSON line
  server_client.py summary RESULTS_JSONL                print the markdown table
"""
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request


def wait(url, seconds="15"):
    deadline = time.monotonic() + float(seconds)
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return 0
        except urllib.error.HTTPError:
            return 0  # it answered
        except OSError:
            if time.monotonic() > deadline:
                print(f"server_client: {url} did not answer within {seconds} s", file=sys.stderr)
                return 1
            time.sleep(0.05)


def call(opener, method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with opener.open(req, timeout=30) as resp:
        return resp.status, resp.read()


def token(base, name, password):
    opener = urllib.request.build_opener()
    # A sign-in, like any change made with a session cookie, must come from the same origin.
    # The cookie is Secure, which Python's cookie jar keeps for https only: it is sent by hand.
    req = urllib.request.Request(
        base + "/api/v1/session", method="POST",
        data=json.dumps({"name": name, "password": password}).encode(),
        headers={"Content-Type": "application/json", "Origin": base})
    with opener.open(req, timeout=30) as resp:
        cookie = resp.headers["Set-Cookie"].split(";")[0]
    _, body = call(opener, "POST", base + "/api/v1/tokens", {"label": "bench/server.sh"},
                   {"Origin": base, "Cookie": cookie})
    print(json.loads(body)["secret"])
    return 0


def get(base, path, tok, out):
    opener = urllib.request.build_opener()
    status, body = call(opener, "GET", base + path, headers={"Authorization": "Bearer " + tok})
    if status != 200:
        print(f"server_client: GET {path}: {status}", file=sys.stderr)
        return 1
    with open(out, "wb") as f:
        f.write(body)
    return 0


def entries(base, authority, key, tok, out_a, out_b):
    opener = urllib.request.build_opener()
    _, body = call(opener, "GET", f"{base}/api/v1/authorities/{authority}/posts/{key}",
                   headers={"Authorization": "Bearer " + tok})
    entry = json.loads(body)["entry"]
    with open(out_b, "w") as f:
        json.dump(entry, f, separators=(",", ":"))
    changed = dict(entry)
    changed["title"] = entry.get("title", key) + " (benchmark)"
    with open(out_a, "w") as f:
        json.dump(changed, f, separators=(",", ":"))
    return 0


def copies(yaml_path, prefix, count, out_dir, ids_file):
    text = open(yaml_path, encoding="utf-8").read()
    # The first `  id:` line after `authority:` is the authority's id.
    pattern = re.compile(r"(^authority:[ \t]*\n(?:(?:[ \t]*#.*|[ \t]*|  \S.*)\n)*?  id:[ \t]*)(\S+)",
                         re.M)
    if not pattern.search(text):
        print(f"server_client: no authority id in {yaml_path}", file=sys.stderr)
        return 1
    os.makedirs(out_dir, exist_ok=True)
    with open(ids_file, "w") as ids:
        for i in range(1, int(count) + 1):
            new_id = f"{prefix}-{i:03d}"
            with open(os.path.join(out_dir, new_id + ".yaml"), "w", encoding="utf-8") as f:
                f.write(pattern.sub(lambda m: m.group(1) + new_id, text, count=1))
            ids.write(new_id + "\n")
    return 0


def record(results, engine, processes, measure, connections, *outputs):
    runs = []
    cpu_ms = 0
    for path in outputs:
        if os.path.exists(path + ".cpu"):
            cpu_ms = int(open(path + ".cpu").read().split()[0])  # the same servers: not summed
        lines = [l for l in open(path) if l.startswith("RESULT ")]
        if not lines:
            print(f"server_client: no RESULT line in {path}", file=sys.stderr)
            return 1
        runs.append(json.loads(lines[-1][len("RESULT "):]))
    row = {"engine": engine, "processes": int(processes), "measure": measure,
           "connections": int(connections)}
    for k in runs[0]:
        values = [r[k] for r in runs]
        if k.startswith("p") and k.endswith("_ms") or k in ("max_ms", "seconds"):
            row[k] = max(values)  # several runs at once: the worst percentile (an upper bound)
        else:
            row[k] = round(sum(values), 1)
    done = row.get("edits", row.get("ok", 0)) or 1
    row["server_cpu_s"] = cpu_ms / 1000
    row["server_cpu_ms_per_answer"] = round(cpu_ms / done, 3)
    with open(results, "a") as f:
        f.write(json.dumps(row) + "\n")
    return 0


def summary(results):
    rows = [json.loads(l) for l in open(results) if l.strip()]
    nginx = {}
    for r in rows:
        if r["measure"] == "nginx":
            nginx[r["engine"]] = r["requests_per_s"]
    out = ["| engine | processes | measure | connections | per second | p50 | p99 | "
           "ratio to nginx | not 2xx | server CPU per answer |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        if r["measure"] == "edits":
            rate = f"{r['edits_per_s']:,.0f} edits"
            bad = r["conflicts"] + r["other"] + r["filler"] + r["socket_errors"]
            ratio = ""
        else:
            rate = f"{r['requests_per_s']:,.0f} requests"
            bad = r["non_2xx"] + r["socket_errors"]
            ratio = ("" if r["measure"] == "nginx" or r["engine"] not in nginx
                     else f"{r['ok_per_s'] / nginx[r['engine']]:.1%}")
        measure = {"nginx": "nginx: the same findings, a static file",
                   "findings": "GET an authority's findings",
                   "edits": "PUT one post (an edit)"}[r["measure"]]
        engine = f"({r['engine']} run)" if r["measure"] == "nginx" else r["engine"]
        out.append(f"| {engine} | {'' if r['measure'] == 'nginx' else r['processes']} | {measure} | "
                   f"{r['connections']} | {rate} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms | "
                   f"{ratio} | {bad} | {r.get('server_cpu_ms_per_answer', 0):.3f} ms |")
    # The targets, for SQLite with one process.
    def pick(measure, processes=1, engine="sqlite"):
        return [r for r in rows if r["engine"] == engine and r["processes"] == processes
                and r["measure"] == measure]
    findings, edits = pick("findings"), pick("edits")
    if findings and "sqlite" in nginx:
        f = findings[0]
        share = f["ok_per_s"] / nginx["sqlite"]
        out.append("")
        out.append(f"Targets (SQLite, one process): findings at {f['connections']} connections "
                   f"{share:.0%} of nginx's requests/s (target at least 50%: "
                   f"{'met' if share >= 0.5 else 'missed'}), p99 {f['p99_ms']:.1f} ms "
                   f"(target under 20 ms: {'met' if f['p99_ms'] < 20 else 'missed'})")
    if edits:
        best = max(edits, key=lambda r: r["edits_per_s"])
        out.append(f"edits {best['edits_per_s']:,.0f}/s at best, with {best['connections']} "
                   f"connections (target at least 1,000/s: "
                   f"{'met' if best['edits_per_s'] >= 1000 else 'missed'}).")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    commands = {"wait": wait, "token": token, "get": get, "entries": entries, "copies": copies,
                "record": record, "summary": summary}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(commands[sys.argv[1]](*sys.argv[2:]))
