-- Each thread stops itself after a fixed number of responses (scripts/stop.lua).

local counter = 0
local limit = 100

function init(args)
   if args[1] then
      limit = tonumber(args[1]) or limit
   end
end

function response()
   if counter == limit then
      wrk.thread:stop()
   end
   counter = counter + 1
end

function done(summary, latency, requests)
   print(string.format("%d requests in %.2fs", summary.requests, summary.duration / 1e6))
end
