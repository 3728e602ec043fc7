-- LuaJIT-only syntax at run time (issue 14): every line's value must be
-- what luajit prints, and error positions after the rewritten tokens must
-- keep their line numbers.
print(0x1p4, 0x1P-2, 0xA.8p0, 0x.1p4, 0x1p60, 0xffp0)
print(0b101, 0B11, 0b0)
print(tonumber(10ULL), tonumber(12LL), tonumber(0x10ULL), tonumber(0b11ULL))
print(type(tonumber(7ULL)))
print("\x41\x62\x7a", #"\x00\xff", ("\xe2\x82\xac"):byte(1, -1))
print("\u{41}\u{20AC}", #"\u{10FFFF}", ("\u{7FF}"):byte(1, -1))
print("a\z
      b\z   c", 'x\z
      \z
      y')
print(debug.traceback and "line " .. select(2, pcall(error, "here")))
local function f() error("at", 2) end
print(select(2, pcall(function() f() end)))
print("tab\tq\"\\\0end" == "tab\x09q\x22\x5c\x00end")
for i = 1, 3 do
  if i == 2 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()
do
  local n = 0
  ::top::
  n = n + 1
  if n < 4 then goto top end
  print("looped", n)
end
local t = {x=0x1p1}
print(t.x, 2^0x1p2, -0x1p3, 1+0b1)
print(#[[
\x41]], "\65\066\0671")
print("wrap: " .. "\z
   ok")
print(pcall(error, "line?"))
