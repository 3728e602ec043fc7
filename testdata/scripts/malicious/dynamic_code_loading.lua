-- load, loadstring, loadfile, dofile and string.dump (WL401), also as references.

local chunk = loadstring("return 1 + 1") -- want WL401
local parts = { "return ", "math.random(100)" }
local i = 0
local gen = load(function() i = i + 1 return parts[i] end) -- want WL401
local cfg = loadfile("bench_config.lua") -- want WL401
dofile("helpers.lua") -- want WL401
local bytes = string.dump(function() return 42 end) -- want WL401
local ls = loadstring -- want WL401

function request()
   local n = gen and gen() or 1
   return wrk.format("GET", "/r/" .. n)
end

function done(summary, latency, requests)
   local again = ls("return 2") -- want WL401
   print(chunk(), cfg ~= nil, #bytes, again())
end
