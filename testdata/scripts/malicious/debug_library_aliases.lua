-- The debug library through aliases.
local d = debug -- want WL401
d.sethook(function() end, "c") -- want WL401
local gi = require("debug").getinfo -- want WL401
local t = { dbg = debug.getupvalue } -- want WL401
local reg = debug.getregistry() -- want WL401
