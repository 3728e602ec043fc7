-- Many deterministic doubles through every number formatter.
local seed = 12345
local function lcg() seed = (seed * 1103515245 + 12345) % 2147483648 return seed end
local fmts = {"%.3f", "%e", "%g", "%.10g", "%.17g", "%a", "%.0f", "%.1e", "%5.2f", "%.20f", "%G"}
for i = 1, 150 do
  local m = lcg() / lcg()
  local e = lcg() % 40 - 20
  local x = m * 10 ^ e
  if i % 3 == 0 then x = -x end
  if i % 7 == 0 then x = math.floor(x) + 0.5 end
  if i % 11 == 0 then x = lcg() / 1024 end
  local r = {tostring(x), tonumber(tostring(x)) == x and "rt" or "lossy"}
  for _, f in ipairs(fmts) do r[#r + 1] = string.format(f, x) end
  print(i, table.concat(r, " "))
end
for e = -30, 30 do
  local x = 10 ^ e
  print(e, tostring(x), tostring(x * 1.5), tostring(x / 3), string.format("%g %.14g", x, x * 7))
end
for k = 0, 64 do
  print(k, tostring(2 ^ k), tostring(2 ^ k - 1), tostring(-(2 ^ -k)), string.format("%d %x", 2 ^ k, 2 ^ k - 1))
end
