-- Numbers inside "..", which gopher-lua's VM formats itself.
local zero = 0
local vals = {1, -1, 0.5, 1e15, 1e16, 10/3, 2^53, 2^63, 1/0, -1/0, 0/0, -zero, 123456789012345, 0.1, 1e-5, math.pi}
for i, v in ipairs(vals) do
  print(i, v .. "", "" .. v, "<" .. v .. ">", v .. v, #(v .. ""))
end
print(1e15 .. "", 10/3 .. "|", "x" .. 2^63, 1 .. 2, 1.5 .. "")
local t = {n = 1e15}
print("n=" .. t.n, "f=" .. (function() return 10/3 end)(), "a=" .. 1e15 + 1, "m=" .. math.huge)
print("s=" .. tostring(1e15), "f=" .. string.format("%d", 3), "r=" .. ("ab"):rep(2))
local mt = {__concat = function(a, b) return "cat(" .. type(a) .. "," .. type(b) .. ")" end}
local obj = setmetatable({}, mt)
print(obj .. "x", "x" .. obj)
print(pcall(function() return "x" .. nil end))
print(pcall(function() return "x" .. {} end))
local function f(...) return ... end
print("multi " .. f(1e15, 2), select("#", f(1)))
local s = ""
for i = 1, 5 do s = s .. i / 2 .. "," end
print(s)
local parts = {}
for i = 1, 3 do parts[#parts + 1] = "k" .. i .. "=" .. i * 1.5 end
print(table.concat(parts, "&"))
