-- table.sort: order, unstable ties (same algorithm as LuaJIT), bad comparators.
local function dump(t) local r = {} for i = 1, #t do r[i] = tostring(t[i]) end return table.concat(r, " ") end
local seed = 42
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
for size = 0, 40, 3 do
  local t = {}
  for i = 1, size do t[i] = rnd(20) end
  table.sort(t)
  print(size, dump(t))
end
local recs = {}
for i = 1, 30 do recs[i] = {k = rnd(5), id = i} end
table.sort(recs, function(a, b) return a.k < b.k end)
local ids = {}
for i, r in ipairs(recs) do ids[i] = r.k .. ":" .. r.id end
print(table.concat(ids, " "))
local words = {"pear", "apple", "fig", "banana", "kiwi", "cherry", "date", "elderberry"}
table.sort(words) print(dump(words))
table.sort(words, function(a, b) return #a < #b end) print(dump(words))
table.sort(words, function(a, b) return a > b end) print(dump(words))
print(pcall(table.sort, {3, 2, 1, 5, 4, 7, 6, 9, 8, 10, 11, 12}, function(a, b) return true end))
print(pcall(function() table.sort({3, 2, 1, 5, 4, 7, 6, 9, 8, 10, 11, 12}, function(a, b) return true end) end))
local calls = 0
local ok = pcall(table.sort, {5, 1, 4, 2, 3, 9, 8, 7, 6}, function(a, b) calls = calls + 1 return true end)
print(ok, calls)
calls = 0
local t = {5, 1, 4, 2, 3, 9, 8, 7, 6, 0}
table.sort(t, function(a, b) calls = calls + 1 return a < b end)
print(dump(t), calls)
print(pcall(table.sort, {1, "x", 2}))
print(pcall(table.sort, {1, 2}, 3))
print(pcall(table.sort))
local one = {1} table.sort(one) print(dump(one))
local two = {2, 1} table.sort(two) print(dump(two))
local zero = 0
local fl = {0.5, -1, 1e15, -zero, 3, 2.5} table.sort(fl) print(dump(fl))
local st = {"b", "B", "a", "A", "", "ab", "\0"} table.sort(st) print(#st, st[1] == "", st[2], st[3], st[4], st[5], st[6], st[7])
