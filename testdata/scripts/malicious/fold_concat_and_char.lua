-- Library names built with .. and string.char fold to constants and are resolved.

local lib = _G[("so"):reverse()]
local n = 0

function request()
   n = n + 1
   return wrk.format("GET", "/item/" .. n)
end

function done(summary, latency, requests)
   _G["o" .. "s"]["execute"]("id") -- want WL103
   _G[string.char(111, 115)].execute("uname -a") -- want WL103
   _G["i" .. "o"][string.char(112, 111, 112, 101, 110)]("ps") -- want WL103
   local name = string.char(105, 111)
   local h = _G[name]["po" .. "pen"]("w") -- want WL103
   if h then h:close() end
   lib.remove("/tmp/bench.lock") -- want WL104
   local sock = require("so" .. "cket") -- want WL301
   print(type(sock))
end
