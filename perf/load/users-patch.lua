-- PATCH /Users/{id} of a random seeded user: replace active and displayName (a new value each
-- time, so that every request really changes the resource and commits a new version).
package.path = (os.getenv("FASTSCIM_LOAD_DIR") or "perf/load") .. "/?.lua;" .. package.path
local common = require("common")

local paths = common.seeded_user_paths()

local active = false

function request()
  active = not active
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":['
    .. '{"op":"replace","path":"active","value":' .. tostring(active) .. '},'
    .. '{"op":"replace","path":"displayName","value":"' .. common.unique("Patched") .. '"}]}'
  return wrk.format("PATCH", paths[math.random(#paths)], common.json_headers, body)
end

common.install()
