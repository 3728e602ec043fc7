-- WL802: a local request() is invisible to wrk, which then sends GET / with no body.
local ids = { 17, 42, 99 }
local i = 0

local function request() -- want WL802
   i = i % #ids + 1
   return wrk.format("GET", "/items/" .. ids[i])
end
