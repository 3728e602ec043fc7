-- Coroutines move values both ways: yield to resume's results, resume's arguments to yield's results, wrap alike.
local co = coroutine.create(function()
  coroutine.yield(os)
end)
local _, lib = coroutine.resume(co)
lib.remove("/tmp/x") -- want WL104

local gen = coroutine.wrap(function()
  local got = coroutine.yield()
  got.popen("ls") -- want WL103
end)
gen()
gen(io)
