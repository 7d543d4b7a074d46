-- GET /Users?startIndex={s}&count=100 at a random full page of the seeded users.
package.path = (os.getenv("FASTSCIM_LOAD_DIR") or "perf/load") .. "/?.lua;" .. package.path
local common = require("common")

function request()
  local start = math.random(math.max(1, common.users - 99))
  return wrk.format("GET", common.base .. "/Users?startIndex=" .. start .. "&count=100", common.headers)
end

common.check_body = function(body)
  return string.find(body, '"itemsPerPage":100,', 1, true) ~= nil
end

common.install()
