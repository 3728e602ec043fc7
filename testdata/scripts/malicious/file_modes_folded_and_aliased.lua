-- Writes through handles from io.open in odd ways.
local open = io.open
local f = open(("/tmp/%s"):format("x"), ("w"):upper():lower()) -- want WL101
local g = assert(open("/tmp/y", "r+")) -- want WL101
local h = io.open("/tmp/z", "rb")  -- want WL102
local mode = { "a" }
local j = io.open("/tmp/q", mode[1]) -- want WL101
local lines = io.lines
for l in lines("/etc/passwd") do end -- want WL102
io.input("/etc/hosts") -- want WL102
