-- Base functions around the library: assert, error, select, type, raw access, loops.
print(pcall(assert, false, "m"))
print(pcall(assert, false))
print(pcall(assert, nil, 12))
print(pcall(assert, 1, 2, 3))
print(pcall(assert))
print(select("#", assert(true, "a", "b")))
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, "msg"))
print(pcall(error, "msg", 0))
print(pcall(error, "msg", 1))
print(pcall(function() error("lvl1") end))
print(pcall(function() error("lvl0", 0) end))
local function thrower() error("lvl2", 2) end
print(pcall(function() thrower() end))
print(pcall(error, 42))
print(pcall(error, true))
local ok, e = pcall(error, {code = 7}) print(ok, type(e), e.code)
print(select("#"), select("#", nil, nil), select(2, "a", "b", "c"), select(-1, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(pcall(select, -5, "a"))
print(type(nil), type(1), type("s"), type({}), type(print), type(true))
print(pcall(type))
print(rawequal(1, 1), rawequal("a", "a"), rawequal({}, {}))
local t = {}
print(rawset(t, "k", "v") == t, rawget(t, "k"))
print(pcall(rawset, t, nil, 1))
print(#setmetatable({1, 2, 3}, {__len = function() return 99 end}))
local n = 0
for i = 1, 3, 1 do n = n + i end
for i = 3, 1, -1 do n = n + i end
for i = 1, 0 do n = n + 100 end
print(n, pcall(function() for i = "1", "3" do n = n + i end return n end))
print(pcall(function() for i = 1, 10, 0 do return "step0 ran" end return "step0 skipped" end))
print(pcall(function() local c = 0 for i = 1, 0, 0 do c = c + 1 if c > 3 then break end end return c end))
print(pcall(function() for i = 1, "x" do end end))
print(("abc")[1], ("abc").len == string.len, #"abc", ("abc"):byte(), ("x"):byte(-1))
print(next({}), type(next), pcall(next, {}, "nokey"))
for i, v in ipairs({1, 2, nil, 4}) do io.write(i, "=", v, " ") end print()
local keys = {}
for k in pairs({a = 1, b = 2, c = 3}) do keys[#keys + 1] = k end
table.sort(keys) print(table.concat(keys, ","))
print(tostring(nil), tostring(false), tonumber("  12  "), tostring(12):len())
print(string.format("%s|%s", 1, "1"), 1 == "1", "10" + 5, "3" * "4", 10 .. 20)
print(pcall(function() return "a" + 1 end))
print(pcall(function() return {} < {} end))
print(pcall(function() return 1 < "2" end))
print(math.floor(-0.5))
