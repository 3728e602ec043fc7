-- Call depth: LuaJIT allows about 20,000 nested Lua calls.
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(pcall(depth, 100))
print(pcall(depth, 10000))
print(pcall(depth, 19000))
print(pcall(depth, 21000))
local function rs(n)
  if n == 0 then return "" end
  return string.char(97 + n % 26) .. rs(n - 1)
end
print(#rs(256), rs(30))
local ok, err = pcall(depth, 1e7)
print(ok, (tostring(err):gsub("^.-:%d+: ", "")))
local function inf() return 1 + inf() end
ok, err = pcall(inf)
print(ok, (tostring(err):gsub("^.-:%d+: ", "")))
print(select("#", pcall(string.rep, "x", 3)))
-- Errors deep down, caught at each level, and closures escaping a failed call.
local keep
print(pcall(function() local x = 42; keep = function() x = x + 1 return x end; error("e") end))
local a, b, c, d = 1, 2, 3, 4
print(keep(), keep(), a, b, c, d)
local function g(n) local y = n; local h = function() return y end; if n == 0 then error({h}) end return g(n-1) end
local ok2, e2 = pcall(g, 5)
local p1, p2, p3, p4, p5 = 9, 9, 9, 9, 9
print(ok2, e2[1]())
print(xpcall(function() error("q") end, function(m) return "handled " .. m end))
print(xpcall(function() return 1, 2 end, print))
local n = 0
for i = 1, 50 do if not pcall(depth, 1e6) then n = n + 1 end end
print("overflows", n)
local function nest(k) if k == 0 then error("bottom") end local ok, err = pcall(nest, k - 1) error(err, 0) end
print(pcall(nest, 100))
