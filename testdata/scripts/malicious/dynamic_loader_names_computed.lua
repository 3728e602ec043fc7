-- Dynamic code with computed loader names.
local l = _G["load" .. "string"] -- want WL401
l("return 1")() -- want WL401
local name = "do" .. "file"
_G[name]("/tmp/x.lua") -- want WL401
local req = require
local m = "soc" .. "ket"
req(m) -- want WL301
local mods = { "socket.http" }
require(mods[1]) -- want WL301
local loader = load -- want WL401
