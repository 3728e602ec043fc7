-- Number to string conversion: tostring, print, string.format("%s").
local zero = 0
local values = {
  0, -zero, 1, -1, 0.5, -0.5, 1/3, 2/3, 10/3, 1e14, 1e15, 1e16, 123456789012345,
  12345678901234, 2^53, 2^53 + 1, 2^63, 2^64, -2^63, 1e100, 1e-100, 1e308, 1e-308,
  5e-324, 1.7976931348623157e308, 0.1, 0.2, 0.1 + 0.2, 100, 1000000, 1e6 + 0.5,
  math.pi, -math.pi, math.huge, -math.huge, 0/0, -(0/0), 1/0, -1/0,
  3.14159265358979, 2.5, 1e-5, 0.0001, 0.00001234, 123.456, -123.456, 65536.125,
  4294967296, 4294967295, -4294967296, 2147483647, -2147483648, 1e21, 1e22,
  9007199254740993, 0.1 * 3, 1 - 0.9, 100 / 7, 7.0, -7.25, 1e-7, 12e-3,
}
for i, v in ipairs(values) do
  print(i, v, tostring(v), string.format("%s", v), -v)
end
print(math.huge == 1/0, -math.huge == -1/0, math.huge > 1.7976931348623157e308)
print(1e15, 3.3333333333333, 10/3, 1e300 * 1e10)
print(tostring(nil), tostring(true), tostring(false), tostring("x"))
print(type(tostring(1)), #tostring(10/3))
print(pcall(tostring))
print(select("#", tostring(1, 2)))
-- Constant folding in gopher-lua's compiler loses the sign of a literal -0.
print(-0, 0 * -1, -0.0, -zero, zero * -1)
