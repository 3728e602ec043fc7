-- Taking a reference counts, not only calling: every expression that evaluates to the function.

local x = os.execute -- want WL103
local pipe = io.popen -- want WL103
local run, sh = os.execute, io.popen -- want WL103 WL103

local hooks = {}

function setup(thread)
   thread:set("role", "worker")
end

function done(summary, latency, requests)
   x("uptime") -- want WL103
   local p = pipe("df -h /") -- want WL103
   if p then p:close() end
   run("logger wrk finished") -- want WL103
   print(type(sh)) -- want WL103
   hooks[#hooks + 1] = os.execute -- want WL103
end
