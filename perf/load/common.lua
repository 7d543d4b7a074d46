-- Shared by the workload scripts of perf/load/run.sh (wrk 4.x, LuaJIT).
--
-- Each workload script sets `request` (and, when it must look into bodies, `check_body`), then
-- calls common.install(). wrk runs the script once in its main Lua state and once per thread:
-- `setup` (main state) numbers the threads, `init` (thread) loads the seeded data, `response`
-- (thread) counts every answer outside 2xx and every body check that failed, and `done` (main
-- state) prints one parsable line that run.sh reads:
--
--   FASTSCIM_RESULT requests=N duration_us=N non2xx=N bad=N socket_errors=N p50_us=N p99_us=N
--
-- Environment (set by run.sh):
--   FASTSCIM_TOKEN      bearer token of the seeded tenant
--   FASTSCIM_BASE_PATH  the tenant's SCIM base path, e.g. /t/default/api/v1/scim/v2
--   FASTSCIM_IDS        file: one seeded user id a line, user 1 first
--   FASTSCIM_USERS      number of seeded users (user i is user{i}@example.com, "Barbara Jensen {i}")
--   FASTSCIM_RUN        a token unique to this run, so that created userNames never collide

local common = {}

common.base = os.getenv("FASTSCIM_BASE_PATH") or "/t/default/api/v1/scim/v2"
common.users = tonumber(os.getenv("FASTSCIM_USERS") or "0")
common.run = os.getenv("FASTSCIM_RUN") or tostring(os.time())

local token = os.getenv("FASTSCIM_TOKEN") or ""
common.headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Accept"] = "application/scim+json",
}
common.json_headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Accept"] = "application/scim+json",
  ["Content-Type"] = "application/scim+json",
}

function common.read_lines(path)
  local lines = {}
  if path == nil or path == "" then
    return lines
  end
  for line in io.lines(path) do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  return lines
end

-- The paths /Users/{id} of the seeded users (the file FASTSCIM_IDS), filled in by each thread's
-- init (it sets common.on_init).
function common.seeded_user_paths()
  local paths = {}
  common.on_init = function()
    for _, id in ipairs(common.read_lines(os.getenv("FASTSCIM_IDS"))) do
      paths[#paths + 1] = common.base .. "/Users/" .. id
    end
  end
  return paths
end

function common.urlencode(text)
  return (string.gsub(text, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

-- user i's seeded userName and displayName (run.sh seeds the same)
function common.user_name(i)
  return "user" .. i .. "@example.com"
end

-- a userName nobody else in this run uses: run token, thread number, per-thread counter
local sequence = 0
function common.unique(prefix)
  sequence = sequence + 1
  return prefix .. "-" .. common.run .. "-" .. (thread_id or 0) .. "-" .. sequence
end

-- Counters live in each thread's Lua state; `done` reads them through thread:get.
non2xx = 0
bad = 0

local threads = {}

function common.install()
  function setup(thread)
    threads[#threads + 1] = thread
    thread:set("thread_id", #threads)
  end

  function init(args)
    math.randomseed(os.time() * 1000 + (thread_id or 0))
    if common.on_init then
      common.on_init(args)
    end
  end

  function response(status, headers, body)
    if status < 200 or status > 299 then
      non2xx = non2xx + 1
    elseif common.check_body and not common.check_body(body) then
      bad = bad + 1
    end
  end

  function done(summary, latency, requests)
    local total_non2xx, total_bad = 0, 0
    for _, thread in ipairs(threads) do
      total_non2xx = total_non2xx + (thread:get("non2xx") or 0)
      total_bad = total_bad + (thread:get("bad") or 0)
    end
    local e = summary.errors
    io.write(string.format(
      "FASTSCIM_RESULT requests=%d duration_us=%d non2xx=%d bad=%d socket_errors=%d p50_us=%d p99_us=%d\n",
      summary.requests, summary.duration, total_non2xx, total_bad,
      e.connect + e.read + e.write + e.timeout,
      latency:percentile(50), latency:percentile(99)))
  end
end

return common
