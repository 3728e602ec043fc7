-- Coroutines and metatables as scripts use them.
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.resume(co))
print(coroutine.status(co), type(co))
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
print(gen(), gen(), gen())
print(pcall(coroutine.resume))
print(pcall(coroutine.wrap(function() error("inside") end)))
print(type(select(2, pcall(coroutine.wrap(function() error({}) end)))))
print(coroutine.running())
print(pcall(coroutine.yield))
local ok, err = coroutine.resume(coroutine.create(function() local x = nil; return x.y end))
print(ok, err)
local mt = {__index = function(t, k) return k .. "!" end, __newindex = function(t, k, v) rawset(t, k, v * 2) end,
  __call = function(self, x) return "called " .. x end, __tostring = function() return "OBJ" end,
  __eq = function() return true end, __lt = function() return true end, __le = function() return false end,
  __add = function(a, b) return "add" end, __unm = function() return "unm" end, __concat = function(a, b) return "cc" end}
local a = setmetatable({}, mt)
local b = setmetatable({}, mt)
a.x = 21
print(a.x, a.y, a(5), tostring(a), a == b, a < b, a <= b, a + 1, -a, a .. "s", 1 .. a)
print(getmetatable(a) == mt, getmetatable("").__index == string, rawget(a, "y"), rawlen and "rawlen" or "no rawlen")
print(pcall(setmetatable, a, 5))
local prot = setmetatable({}, {__metatable = "locked"})
print(getmetatable(prot), pcall(setmetatable, prot, {}))
local weak = setmetatable({}, {__mode = "k"})
print(type(weak), next(weak))
print(select("#", table.unpack and 1 or nil), _VERSION, type(jit), type(bit), type(ffi))
