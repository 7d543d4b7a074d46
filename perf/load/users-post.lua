-- POST /Users with a userName no other request of the run uses (201 expected, never 409).
package.path = (os.getenv("FASTSCIM_LOAD_DIR") or "perf/load") .. "/?.lua;" .. package.path
local common = require("common")
local users = require("users")

function request()
  return wrk.format("POST", common.base .. "/Users", common.json_headers, users.json(common.unique("post"), "Load Post"))
end

common.install()
