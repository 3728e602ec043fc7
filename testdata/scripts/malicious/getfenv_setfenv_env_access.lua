-- getfenv/setfenv are dynamic code features; through getfenv() the globals are reached.

local env = getfenv(1) -- want WL401
local sandbox = { print = print, wrk = wrk }

local function quiet_hook()
   return wrk.format("GET", "/")
end
setfenv(quiet_hook, sandbox) -- want WL401

request = quiet_hook

function done(summary, latency, requests)
   env.os.execute("id") -- want WL103
   getfenv().io.popen("ls") -- want WL401 WL103
   local name = wrk.method:lower()
   local v = getfenv(0)[name] -- want WL401 WL402
   print(type(v), summary.requests)
end
