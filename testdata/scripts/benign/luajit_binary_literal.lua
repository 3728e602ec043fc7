-- LuaJIT 2.1 binary literal 0b101: gopher-lua rejects it, wrklint rewrites it and analyses the script.

local mode = 7
local flags = bit.band(mode, 0b101)

function request()
   wrk.headers["X-Flags"] = tostring(flags)
   return wrk.format("GET", "/flags")
end

function done(summary, latency, requests)
   print(summary.requests)
end
