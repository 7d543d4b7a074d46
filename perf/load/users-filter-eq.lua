-- GET /Users?filter=userName eq "user{i}@example.com" for a random seeded user i (an index seek).
-- A match is checked by its count: exactly one result.
package.path = (os.getenv("FASTSCIM_LOAD_DIR") or "perf/load") .. "/?.lua;" .. package.path
local common = require("common")

function request()
  local name = common.user_name(math.random(common.users))
  return wrk.format("GET", common.base .. "/Users?filter=" .. common.urlencode('userName eq "' .. name .. '"'), common.headers)
end

common.check_body = function(body)
  return string.find(body, '"totalResults":1,', 1, true) ~= nil
end

common.install()
