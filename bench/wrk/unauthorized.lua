-- wrk script for bench/auth_flood.sh: a flood of refused requests at a steady rate
-- (GET /api/v1/me with a bearer token that is no one's: 401, logged).
--
--   wrk -t T -c C -d10s -s bench/wrk/unauthorized.lua URL -- RATE C
--
-- Each of the C connections waits C / RATE seconds between its requests, so that together they
-- send at most RATE requests a second (fewer when answers are slow). The last line printed is
-- `RESULT {json}`: requests, per_s (the rate reached), refused (401), other (any other status).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local gap_ms

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. string.rep("0", 64)
  gap_ms = 1000 * tonumber(args[2]) / tonumber(args[1])
  refused, other = 0, 0
end

function delay()
  return gap_ms
end

function request()
  return wrk.format("GET", "/api/v1/me")
end

function response(status, headers, body)
  if status == 401 then refused = refused + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local t_refused, t_other = 0, 0
  for _, t in ipairs(threads) do
    t_refused = t_refused + t:get("refused")
    t_other = t_other + t:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "per_s": %.1f, "refused": %d, "other": %d}\n',
    summary.requests, seconds, summary.requests / seconds, t_refused, t_other))
end
