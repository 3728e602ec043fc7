-- _G with constant keys naming harmless globals, and dynamic keys on non-library tables.

local ops = { "floor", "ceil" }
local headers = { "X-Trace", "X-Span" }

_G["counter"] = 0
local say = _G["print"]
local fmt = _G.string.format

function request()
   counter = counter + 1
   local op = ops[counter % #ops + 1]
   local v = math[op](counter / 3)
   local name = headers[counter % #headers + 1]
   wrk.headers[name] = tostring(v)
   return wrk.format(nil, fmt("/calc/%d", v))
end

function done(summary, latency, requests)
   say(fmt("mean %.1f us", latency.mean))
end
