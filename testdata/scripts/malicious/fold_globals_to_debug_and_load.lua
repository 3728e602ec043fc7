-- Dynamic-code functions reached through _G with folded keys, and getfenv aliases (WL401/WL402).

local gf = getfenv -- want WL401
local started = os.clock()

function request()
   return wrk.format("GET", "/?t=" .. math.floor((os.clock() - started) * 1000))
end

function done(summary, latency, requests)
   local tb = _G["de" .. "bug"].traceback() -- want WL401
   local f = _G["load" .. "string"]("return 40 + 2") -- want WL401
   local g = _G[("elifod"):reverse()] -- want WL401
   local fenv = gf(1) -- want WL401
   local x = _ENV[wrk.method] -- want WL402
   print(#tb, f(), type(fenv), type(x))
end
