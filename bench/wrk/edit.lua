-- wrk script for bench/server.sh: edits, one post replaced per request
-- (PUT /api/v1/authorities/{id}/posts/{key} {version, reason, entry}).
--
--   wrk -t T -c C -d10s --latency -s bench/wrk/edit.lua URL -- TOKEN IDS_FILE KEY ENTRY_A ENTRY_B T
--
-- IDS_FILE lists the authorities to edit, one id a line, at least C of them; thread t of T takes
-- the ids t, t+T, t+2T, ... No two requests in flight edit the same authority (a request takes
-- an authority from its thread's free list and its response gives it back), so versions never
-- collide: this measures edits, not conflicts. Each edit alternates the post between the
-- entries in the files ENTRY_A and ENTRY_B (JSON objects), so every edit changes something.
--
-- Versions: an authority starts at version 1 (just imported); the version for its next edit is
-- read from each answer: 200/201 {"id", "version"}, or 409 {"error": {"message": "ID was
-- changed by someone else: ...", "current_version": N}}. Should an answer name no authority
-- (any other error), its authority is lost to the run; when a thread has none left it sends
-- GET /api/v1/me instead, counted as `filler` (0 in a sound run).
--
-- The last line printed is `RESULT {json}`: edits (acknowledged: 2xx), edits_per_s, p50_ms,
-- p99_ms (of every request), conflicts (409), other (other statuses), filler.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local function slurp(path)
  local f = assert(io.open(path, "r"))
  local text = f:read("*a")
  f:close()
  return (text:gsub("%s+$", ""))
end

local free, version, flip, mine = {}, {}, {}, {}
local key, entry_a, entry_b

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
  key = args[3]
  entry_a = slurp(args[4])
  entry_b = slurp(args[5])
  local thread_count = tonumber(args[6])
  local i = 0
  for id in io.lines(args[2]) do
    if id ~= "" then
      if i % thread_count == thread_number - 1 then
        table.insert(free, id)
        version[id] = 1
        flip[id] = false
        mine[id] = true
      end
      i = i + 1
    end
  end
  edits, conflicts, other, filler = 0, 0, 0, 0
  -- wrk calls the first thread's request() once before any connection, to see whether the
  -- script pipelines requests; that call must not take an authority.
  verifying = thread_number == 1
end

function request()
  if verifying then
    verifying = false
    return wrk.format("GET", "/api/v1/me")
  end
  local id = table.remove(free)
  if not id then
    filler = filler + 1
    return wrk.format("GET", "/api/v1/me")
  end
  flip[id] = not flip[id]
  local body = '{"version": ' .. version[id] .. ', "reason": "bench: one post updated", "entry": ' ..
               (flip[id] and entry_a or entry_b) .. '}'
  return wrk.format("PUT", "/api/v1/authorities/" .. id .. "/posts/" .. key, nil, body)
end

function response(status, headers, body)
  local id, v
  if status == 200 or status == 201 then
    id = body:match('"id"%s*:%s*"([^"]+)"')
    v = tonumber(body:match('"version"%s*:%s*(%d+)'))
    if id and mine[id] then edits = edits + 1 end
  elseif status == 409 then
    id = body:match('"message"%s*:%s*"([^" ]+) was changed by someone else')
    v = tonumber(body:match('"current_version"%s*:%s*(%d+)'))
    conflicts = conflicts + 1
  else
    other = other + 1
  end
  if id and mine[id] and v then
    version[id] = v
    table.insert(free, id)
  end
end

function done(summary, latency, requests)
  local t_edits, t_conflicts, t_other, t_filler = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    t_edits = t_edits + t:get("edits")
    t_conflicts = t_conflicts + t:get("conflicts")
    t_other = t_other + t:get("other")
    t_filler = t_filler + t:get("filler")
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "edits": %d, "edits_per_s": %.1f, ' ..
    '"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "conflicts": %d, ' ..
    '"other": %d, "filler": %d, "socket_errors": %d}\n',
    summary.requests, seconds, t_edits, t_edits / seconds,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, t_conflicts, t_other, t_filler,
    e.connect + e.read + e.write + e.timeout))
end
