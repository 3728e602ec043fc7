-- table library and unpack.
local function dump(t, n) local r = {} for i = 1, n or #t do r[#r + 1] = tostring(t[i]) end return table.concat(r, ",") end
local t = {1, 2, 3}
table.insert(t, 4) print(dump(t))
table.insert(t, 1, 0) print(dump(t))
table.insert(t, 3, "x") print(dump(t))
table.insert(t, #t + 1, "end") print(dump(t))
print(pcall(table.insert, t, 1, 2, 3))
print(pcall(table.insert, t))
print(pcall(table.insert))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, t, "a", 1))
print(pcall(table.insert, t, "2", "two"), dump(t))
print(table.remove(t), dump(t))
print(table.remove(t, 1), dump(t))
print(table.remove(t, 10), table.remove(t, 0), table.remove(t, -1), dump(t))
print(select("#", table.remove({})), table.remove({}), select("#", table.remove({}, 1)))
local e = {} table.insert(e, "a") table.insert(e, 1, "b") print(dump(e))
print(table.concat({1, 2, 3}), table.concat({1, 2, 3}, ", "), table.concat({1, 2, 3}, ", ", 2), table.concat({1, 2, 3}, ", ", 2, 3))
print(table.concat({}), table.concat({}, "x"), table.concat({1, 2}, "-", 3), table.concat({"a"}, "-", 1, 1))
local zero = 0
print(table.concat({1.5, 1e15, 10/3, -zero}, " "))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2}, ",", 1, 3))
print(pcall(table.concat, {1, true}))
print(pcall(table.concat, {}, {}))
print(pcall(table.concat))
print(table.getn({1, 2, 3}), table.getn({}), table.maxn({1, 2, [10] = 3, [2.5] = 1}), table.maxn({}), table.maxn({[-1] = 1}))
print(pcall(table.getn))
print(pcall(table.maxn, "x"))
table.foreach({10, 20}, function(k, v) print("each", k, v) end)
print(table.foreach({a = 1}, function(k, v) return k .. v end))
table.foreachi({"a", "b", "c"}, function(i, v) print("eachi", i, v) end)
print(table.foreachi({"a", "b"}, function(i, v) if i == 2 then return v .. "!" end end))
print(pcall(table.foreach, {}, 1))
print(unpack({1, 2, 3}))
print(unpack({1, 2, 3}, 2))
print(unpack({1, 2, 3}, 2, 3))
print(unpack({1, 2, 3}, -1, 1))
print(unpack({}, 1, 0), select("#", unpack({}, 1, 0)))
print(select("#", unpack({}, 1, 3)), unpack({}, 1, 3))
print(pcall(unpack, {}, 1, 1e8))
print(pcall(unpack, {}, -2^31, 2^31 - 1))
print(pcall(unpack))
print(pcall(unpack, "abc"))
print(type(table.move), table.pack, table.unpack, type(unpack))
local m = {1, 2, 3, 4, 5}
print(dump(table.move(m, 2, 4, 1)))
m = {1, 2, 3, 4, 5}
print(dump(table.move(m, 1, 3, 3), 5))
print(dump(table.move({1, 2, 3}, 1, 3, 1, {}), 3))
print(dump(table.move({1, 2, 3}, 1, 0, 1, {9}), 1))
local names = {}
for k in pairs(table) do names[#names + 1] = k end
table.sort(names)
print(table.concat(names, " "))
names = {}
for k in pairs(string) do names[#names + 1] = k end
table.sort(names)
print(table.concat(names, " "))
names = {}
for k in pairs(math) do names[#names + 1] = k end
table.sort(names)
print(table.concat(names, " "))
names = {}
for k in pairs(bit) do names[#names + 1] = k end
table.sort(names)
print(table.concat(names, " "))
print(math.mod, string.gfind, table.setn, math.pow ~= nil, math.ldexp ~= nil, string.dump ~= nil)
