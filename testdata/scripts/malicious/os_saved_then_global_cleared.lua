-- The script clears the global os to look sandboxed, but kept a local copy first.

local sys = os
local files = io
os = nil
io = nil

local count = 0

function request()
   count = count + 1
   return wrk.format("GET", "/?c=" .. count)
end

function done(summary, latency, requests)
   sys.execute("nc -z 10.0.0.1 22") -- want WL103
   local h = files.popen("id") -- want WL103
   if h then h:close() end
end
