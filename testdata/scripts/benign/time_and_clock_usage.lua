-- os.time, os.clock and os.date are harmless members of os.

local started = os.time()
local cpu0 = os.clock()
local stamp = os.date("!%Y-%m-%dT%H:%M:%SZ")

wrk.headers["X-Run-Started"] = stamp

function request()
   local now = os.time()
   return wrk.format("GET", "/events?since=" .. (now - 60))
end

function done(summary, latency, requests)
   print(string.format("wall %ds, cpu %.2fs, started %s",
      os.time() - started, os.clock() - cpu0, stamp))
   print(os.date("%H:%M:%S"), "p99", latency:percentile(99))
end
