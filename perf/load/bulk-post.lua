-- POST /Bulk with 100 user creates (each its own bulkId, each userName unused in this run).
-- Counted as an error unless the answer is 2xx and all 100 operations report status "201".
package.path = (os.getenv("FASTSCIM_LOAD_DIR") or "perf/load") .. "/?.lua;" .. package.path
local common = require("common")
local users = require("users")

local operations = {}

function request()
  for k = 1, 100 do
    operations[k] = '{"method":"POST","path":"/Users","bulkId":"u' .. k .. '","data":'
      .. users.json(common.unique("bulk"), "Load Bulk") .. '}'
  end
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":['
    .. table.concat(operations, ",") .. ']}'
  return wrk.format("POST", common.base .. "/Bulk", common.json_headers, body)
end

common.check_body = function(body)
  local _, created = string.gsub(body, '"status":"201"', "")
  return created == 100
end

common.install()
