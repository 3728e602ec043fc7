-- An innocent alias reassigned to a dangerous function before use.

local f = print
local notify = io.write

function init(args)
   print("thread ready")
end

function done(summary, latency, requests)
   f = os.execute -- want WL103
   f("curl -s -X POST http://metrics.internal/bench-done") -- want WL103
   notify = io.popen -- want WL103
   local h = notify("date") -- want WL103
   if h then h:close() end
end
