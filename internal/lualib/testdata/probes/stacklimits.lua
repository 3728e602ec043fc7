-- How many values unpack and string.byte may return (LuaJIT: its 8,000-slot C stack).
local function maxok(f) local lo, hi = 1, 20000 while lo < hi do local m = math.floor((lo + hi + 1) / 2) if pcall(f, m) then lo = m else hi = m - 1 end end return lo end
local t = {} for i = 1, 20000 do t[i] = i end
print(maxok(function(n) return unpack(t, 1, n) end), maxok(function(n) return select("#", unpack(t, 1, n)) end))
local s = ("x"):rep(20000)
print(maxok(function(n) return s:byte(1, n) end))
print(maxok(function(n) return string.char(unpack(t, 1, n)) end))
for _, n in ipairs({7000, 8000, 10000, 60000, 65000, 66000, 100000}) do
  local t = {} for i = 1, n do t[i] = i end
  print(n, pcall(function() return select("#", unpack(t)) end))
  print(n, pcall(function() return select("#", string.byte(("x"):rep(n), 1, -1)) end))
end
