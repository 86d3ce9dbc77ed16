-- wrk script for bench/auth_flood.sh: people signing in, one after another on each connection
-- (POST /api/v1/session {name, password} from the server's own origin).
--
--   wrk -t 1 -c C -d10s -s bench/wrk/sign_in.lua URL -- NAME PASSWORD
--
-- The last line printed is `RESULT {json}`: requests, per_s, signed_in (200), other.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.path = "/api/v1/session"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Origin"] = "http://" .. wrk.host .. ":" .. wrk.port
  wrk.body = '{"name": "' .. args[1] .. '", "password": "' .. args[2] .. '"}'
  signed_in, other = 0, 0
end

function response(status, headers, body)
  if status == 200 then signed_in = signed_in + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local t_in, t_other = 0, 0
  for _, t in ipairs(threads) do
    t_in = t_in + t:get("signed_in")
    t_other = t_other + t:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "per_s": %.1f, "signed_in": %d, "other": %d, ' ..
    '"p50_ms": %.3f, "p99_ms": %.3f}\n',
    summary.requests, seconds, summary.requests / seconds, t_in, t_other,
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3))
end
