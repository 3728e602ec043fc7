-- newproxy(true) metatables and writes into the string metatable are followed.
local u = newproxy(true)
getmetatable(u).__index = os
u.execute("id") -- want WL103

local smt = getmetatable("")
smt.__index = function(s, k) return io[k] end -- want WL402
local p = ("x").popen -- want WL103

setmetatable(string, { __index = os })
local rc = ("id"):execute() -- want WL103
