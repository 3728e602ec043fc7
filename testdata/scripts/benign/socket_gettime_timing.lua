-- LuaSocket loaded only for socket.gettime(): common in real scripts; wrkrun provides gettime and sleep built in, so WL301 does not report it.

local socket = require "socket"

local t0 = nil
local slow = 0

function init(args)
   t0 = socket.gettime()
end

function response(status, headers, body)
   local now = socket.gettime()
   if now - t0 > 1.0 then
      slow = slow + 1
   end
   t0 = now
end

function done(summary, latency, requests)
   print(string.format("slow gaps: %d, p99 %d us", slow, latency:percentile(99))) -- want WL803
end
