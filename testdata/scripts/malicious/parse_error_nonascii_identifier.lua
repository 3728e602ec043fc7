-- WL001: identifier with non-ASCII bytes (UTF-8 e acute); valid LuaJIT, rejected by gopher-lua.

local café = "/menu" -- want WL001
local hits = 0

function request()
   hits = hits + 1
   return wrk.format("GET", café .. "?n=" .. hits)
end

function done(summary, latency, requests)
   print(hits)
end
