-- wrk script for bench/server.sh: GET one URL, with a bearer token when one is given, and print
-- one machine-readable line at the end.
--
--   wrk -t2 -c64 -d10s --latency -s bench/wrk/get.lua URL [-- TOKEN]
--
-- The last line printed is `RESULT {json}`: requests, seconds, requests_per_s, p50_ms, p90_ms,
-- p99_ms, max_ms, non_2xx (responses with another status) and socket errors.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  if args[1] and args[1] ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. args[1]
  end
  ok = 0
  other = 0
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local ok_total, other_total = 0, 0
  for _, t in ipairs(threads) do
    ok_total = ok_total + t:get("ok")
    other_total = other_total + t:get("other")
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "requests_per_s": %.1f, "ok_per_s": %.1f, ' ..
    '"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "ok": %d, "non_2xx": %d, ' ..
    '"socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds, ok_total / seconds,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, ok_total, other_total,
    e.connect + e.read + e.write + e.timeout))
end
