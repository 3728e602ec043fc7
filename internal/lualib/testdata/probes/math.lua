-- math library values and edge cases.
local zero = 0
local xs = {0, -zero, 1, -1, 0.5, -0.5, 2.5, -2.5, 3.7, -3.7, 1e15, 1e300, 1/0, -1/0, 0/0, math.pi, 2^53 + 2}
for i, x in ipairs(xs) do
  print(i, tostring(x), math.floor(x), math.ceil(x), math.abs(x), math.modf(x))
  print(i, math.sqrt(x), math.exp(x), math.log(x), math.log10(x), math.sin(x), math.cos(x), math.tan(x))
  print(i, math.fmod(x, 3), math.fmod(x, -3), math.fmod(x, 0), x % 3, math.frexp(x))
  print(i, math.deg(x), math.rad(x), math.atan(x), math.sinh(x), math.tanh(x))
end
print(math.huge, -math.huge, math.pi, math.huge == 1/0)
print(math.log(8, 2), math.log(100, 10), math.log(1000, 10), math.log(27, 3), math.log(2, 8), math.log(0, 2), math.log(-1, 2), math.log(1, 1))
print(math.pow(2, 10), math.pow(2, 0.5), math.pow(-8, 1/3), math.pow(0, 0), 2^-1)
print(math.ldexp(1, 10), math.ldexp(0.5, -1), math.ldexp(1, 1024), math.ldexp(3, 2.9))
print(math.atan2(1, 1), math.atan2(-1, -1), math.atan2(0, -1), math.atan2(0, 0))
print(math.asin(1), math.acos(0), math.asin(2), math.cosh(1))
print(math.min(3, 1, 2), math.max(3, 1, 2), math.min(1), math.max(-1, "5"), math.min(0/0, 1), math.min(1, 0/0), math.max(0/0, 1))
print(math.min(-zero, 0), math.max(0, -zero), math.min(1e15, 1e16))
print(pcall(math.min))
print(pcall(math.max, 1, "x"))
print(pcall(math.floor, "x"))
print(math.floor("3.5"), math.floor(" 0x10 "), math.ceil("1e1"))
print(math.random(0) == 1 or math.random(0))
print(math.mod, math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3))
print(7 % 3, -7 % 3, 7 % -3, 7.5 % 2, -7.5 % 2, 5 % 0, 5 % 1/0)
local r = math.random()
print(r >= 0 and r < 1)
local ok = true
for i = 1, 1000 do
  local a = math.random(10) if a < 1 or a > 10 or a ~= math.floor(a) then ok = false end
  local b = math.random(-5, 5) if b < -5 or b > 5 then ok = false end
end
print("random ranges", ok)
local okr, rr = pcall(math.random, 1, 2, 3)
print(okr, rr == 1 or rr == 2)
print(pcall(math.random, "x"))
