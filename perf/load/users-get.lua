-- GET /Users/{id} of a random seeded user. Also run against perf/baseline (which ignores the path).
package.path = (os.getenv("FASTSCIM_LOAD_DIR") or "perf/load") .. "/?.lua;" .. package.path
local common = require("common")

local paths = common.seeded_user_paths()

function request()
  return wrk.format("GET", paths[math.random(#paths)], common.headers)
end

common.install()
