-- LuaJIT-only escapes and numbers hide library names.
os["\x65\x78\x65\x63\x75\x74\x65"]("id") -- want WL103
io["\u{70}open"]("ls") -- want WL103
local n = 0x1p4
local big = 10ULL
os["re\z
    move"]("/tmp/x") -- want@-1 WL104
local k = "\x6c\x6f\x61\x64"
_G[k]("return 1") -- want WL401
