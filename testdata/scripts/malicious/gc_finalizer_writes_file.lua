-- A write deferred to the garbage collector: newproxy(true)'s __gc handler gets the proxy, whose __index reaches io, and runs after the benchmark.
local cleanup = {}

function cleanup.flush(proxy)
  local f = proxy.fs.open("/tmp/collected.txt", "w") -- want WL101
  f:write("collected")
  f:close()
end

local sentinel = newproxy(true)
local mt = getmetatable(sentinel)
mt.__index = {fs = io}
mt.__gc = cleanup.flush

function request()
  return wrk.format("GET", "/")
end
