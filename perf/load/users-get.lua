-- GET /Users/{id} of a random seeded user. Also run against perf/baseline (which ignores the path).
package.path = (os.getenv("FASTSCIM_LOAD_DIR") or "perf/load") .. "/?.lua;" .. package.path
local common = require("common")

local paths = {}
common.on_init = function()
  for _, id in ipairs(common.read_lines(os.getenv("FASTSCIM_IDS"))) do
    paths[#paths + 1] = common.base .. "/Users/" .. id
  end
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], common.headers)
end

common.install()
