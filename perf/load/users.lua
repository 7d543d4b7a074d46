-- The JSON of a created user, the same shape as the seeded ones (run.sh, seed_user in jq).
local users = {}

function users.json(name, display)
  return '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],'
    .. '"userName":"' .. name .. '@example.com","externalId":"' .. name .. '",'
    .. '"name":{"formatted":"Barbara Jensen","familyName":"Jensen","givenName":"Barbara"},'
    .. '"displayName":"' .. display .. " " .. name .. '","title":"Tour Guide","preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles",'
    .. '"emails":[{"value":"' .. name .. '@example.com","type":"work","primary":true},{"value":"' .. name .. '@example.org","type":"home"}],'
    .. '"phoneNumbers":[{"value":"+1 555 555 0100","type":"work"}],'
    .. '"addresses":[{"streetAddress":"100 Universal City Plaza","locality":"Hollywood","region":"CA","postalCode":"91608","country":"US","type":"work","primary":true}],'
    .. '"active":true,'
    .. '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"' .. name .. '","department":"Tour Operations","costCenter":"4130","organization":"Universal Studios"}}'
end

return users
