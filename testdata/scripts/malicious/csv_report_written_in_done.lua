-- A realistic done() that writes a CSV report file: legitimate, but a file write (WL101).

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   hits = 0
end

function response(status, headers, body)
   hits = hits + 1
end

function done(summary, latency, requests)
   local file = io.open("results.csv", "w") -- want WL101
   file:write("percentile,latency_us\n")
   for _, p in ipairs({ 50, 75, 90, 99, 99.9 }) do
      file:write(string.format("%g,%d\n", p, latency:percentile(p)))
   end
   for i, t in ipairs(threads) do
      file:write(string.format("thread_%d_hits,%d\n", i, t:get("hits")))
   end
   file:write(string.format("rps,%.2f\n", summary.requests / (summary.duration / 1e6)))
   file:close()
end
