-- Harder evasions.
local t = {}
t[#t + 1] = os.execute -- want WL103
t[1]("id") -- want WL103
local s = "execute"
local o = os
local f = o[s] -- want WL103
local u = table.unpack or unpack
local a, b = unpack({ io.popen, 1 }) -- want WL103 WL103
a("ls") -- want WL103
local m = { __index = function(_, k) return io[k] end } -- want WL402 WL103
local w = setmetatable({}, m)
w.popen("ls") -- want WL103
local k = next({ [os.remove] = true }) -- want WL104 WL104
local e = string.gsub("os", "os", "io")
_G[e].popen("x") -- want WL103
local c = coroutine.create(function() return os.tmpname end) -- want WL104
local ok, tn = coroutine.resume(c)
local r = require
local name = "ffi"
r(name) -- want WL301
local mt = getmetatable(_G) or {}
setmetatable(_G, { __index = function(_, k) return nil end }) -- want WL402
local G2 = getfenv and getfenv(0) or _G -- want WL401 WL401
G2["os"]["execute"]("id") -- want WL103
