-- LuaJIT syntax in an ordinary script.
local mask = 0xFFULL
local x = 0x1p4
local msg = "tab\tnew\x41\u{48}"
local long = "a\z
             b"
print(msg, long, x)
local bit = require("bit")
print(bit.band(0xff, 0x0f))
