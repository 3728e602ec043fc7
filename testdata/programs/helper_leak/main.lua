-- The issue's case: the script hands the response body to a helper module,
-- which prints it. The finding is where the harm happens, in helper.lua.
local h = require("helper")

function response(status, headers, body)
  h.leak(body)
  h.count(status)
end
