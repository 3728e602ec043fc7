-- require "wrk", global unpack and table.getn as LuaJIT scripts use them.
local w = require("wrk")
local list = { "GET", "/", nil, nil }
w.method = "GET"
function request()
   local n = table.getn(list)
   return wrk.format(unpack(list, 1, n))
end
