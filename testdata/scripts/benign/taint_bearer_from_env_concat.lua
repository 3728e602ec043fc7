-- Quiet apart from WL201: an environment token only goes into the Authorization header.

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN") -- want WL201
wrk.headers["Accept"] = "application/json"

local denied = 0

function response(status, headers, body)
   if status == 401 then
      denied = denied + 1
   end
end

function done(summary, latency, requests)
   print(string.format("%d requests, p99 %.2fms", summary.requests, latency:percentile(99) / 1000))
end
