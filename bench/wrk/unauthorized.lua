-- wrk script for bench/auth_flood.sh: a flood of refused requests at a steady rate
-- (GET /api/v1/me with a bearer token that is no one's: 401, logged).
--
--   wrk -t 1 -c C -d10s -s bench/wrk/unauthorized.lua URL -- RATE
--
-- Requests are spaced 1/RATE seconds apart by the clock, whichever of the C connections sends
-- them, so that the rate holds however long answers take (as long as C connections are enough
-- to have that many in flight); run it with one wrk thread (-t 1). The last line printed is
-- `RESULT {json}`: requests, per_s (the rate reached), refused (401), other (any other status).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } assure_timespec;
  int clock_gettime(int clock, assure_timespec* out);
]]
local clock = ffi.new("assure_timespec")

local function now_ms()
  ffi.C.clock_gettime(1, clock)  -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local gap_ms, next_ms

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. string.rep("0", 64)
  gap_ms = 1000 / tonumber(args[1])
  refused, other = 0, 0
end

-- The wait before the next request: until its turn, one gap after the last request's turn.
function delay()
  local now = now_ms()
  if not next_ms or next_ms < now - 1000 then next_ms = now end  -- far behind: no burst
  next_ms = next_ms + gap_ms
  return math.max(0, next_ms - gap_ms - now)
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
