-- string.byte, char, sub, len, lower, upper, rep, reverse.
local s = "hello"
local ranges = {{1}, {2}, {0}, {-1}, {-3, -2}, {2, 1}, {10}, {-10}, {2, 1e10}, {-1e10, 2},
  {3, -1}, {0, 0}, {1, 0}, {5, 5}, {6}, {-5, -5}, {2.7, 3.9}, {"2", "3"}}
for i, r in ipairs(ranges) do
  print(i, string.sub(s, r[1], r[2]), s:sub(r[1], r[2]), string.byte(s, r[1], r[2]))
end
print(string.char(), string.char(72, 105), string.char(0, 255):byte(1, -1))
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, "x"))
print(string.len(""), string.len("abc"), ("\0\0"):len(), #"x\0y")
print(string.lower("HeLLo 123 \200ÄÖ"), string.upper("hello world \233"))
print(string.reverse("abc"), string.reverse(""), string.reverse("a\0b"))
print(string.rep("ab", 3), string.rep("ab", 0), string.rep("ab", -1), string.rep("", 5))
print(string.rep("x", 3, ","), string.rep("x", 1, ","), string.rep("x", 0, ","), string.rep("", 3, "-"))
print(string.rep("ab", 2.9), string.rep(5, 2), string.rep(1.5, 2, 0))
print(pcall(string.rep))
print(pcall(string.rep, "x"))
print(pcall(string.rep, "x", "y"))
print(pcall(string.rep, {}, 1))
print(#string.rep("x", 2^31), #string.rep("x", -2^31))
print(pcall(string.rep, "x", 1e10))
print(pcall(function() return ("x"):rep(1e5):rep(1e5) end))
print(string.len(123), string.upper(1e15), string.sub(12345, 2, 3))
print(pcall(string.len))
print(pcall(string.sub))
print(pcall(string.sub, "x"))
print(pcall(string.byte, "abc", {}))
print(("x"):rep(3), ("%d"):format(3), ("abc"):upper())
local n = 0
for i = 1, 255 do
  local c = string.char(i)
  if c:upper() ~= c then n = n + 1 end
end
print("upper changes", n)
