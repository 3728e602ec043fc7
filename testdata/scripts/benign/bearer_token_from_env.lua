-- Token injected by CI through the environment; concatenated, never hard-coded.

local token = os.getenv("BENCH_TOKEN") -- want WL201
if not token or token == "" then
   io.stderr:write("BENCH_TOKEN not set, running unauthenticated\n")
else
   wrk.headers["Authorization"] = "Bearer " .. token
end

wrk.headers["Accept"] = "application/json"

local unauthorized = 0
function response(status, headers, body)
   if status == 401 or status == 403 then
      unauthorized = unauthorized + 1
   end
end

function done(summary, latency, requests)
   print(string.format("p50=%dus p99=%dus", latency:percentile(50), latency:percentile(99)))
end
