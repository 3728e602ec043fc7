-- Identifier with non-ASCII bytes (UTF-8 e acute): valid LuaJIT; wrklint maps it to an ASCII name and analyses the script.

local café = "/menu"
local hits = 0

function request()
   hits = hits + 1
   return wrk.format("GET", café .. "?n=" .. hits)
end

function done(summary, latency, requests)
   print(hits) -- want WL803
end
