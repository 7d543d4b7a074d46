-- GET /Users?filter=displayName co "Jensen {i}" (no index: a scan of every user), for a random
-- i > N/10, so that exactly one seeded user matches (any other name containing it would be a
-- user 10*i or more). The count is checked.
package.path = (os.getenv("FASTSCIM_LOAD_DIR") or "perf/load") .. "/?.lua;" .. package.path
local common = require("common")

local low = math.floor(common.users / 10) + 1

function request()
  local i = math.random(low, common.users)
  return wrk.format("GET", common.base .. "/Users?filter=" .. common.urlencode('displayName co "Jensen ' .. i .. '"'), common.headers)
end

common.check_body = function(body)
  return string.find(body, '"totalResults":1,', 1, true) ~= nil
end

common.install()
