-- Error values are followed: pcall(error, x) returns x, xpcall's handler receives it, assert's message too.
local ok, lib = pcall(error, os)
lib.execute("id") -- want WL103 WL401

local function boom() error({ run = io.popen }) end -- want WL103
xpcall(boom, function(e) e.run("ls") end) -- want WL103 WL401

local ok2, m = pcall(assert, false, debug) -- want WL401
local gi = m.getinfo -- want WL401

-- Error values are one set for the whole script: every pcall may return any of them.
local ok3, e = pcall(function() error(require) end)
local sock = e("socket") -- want WL301 WL401
sock.connect("198.51.100.7", 4444)
