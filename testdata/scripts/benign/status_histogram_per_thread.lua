-- Per-thread status code histograms collected in done() with thread:get.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   s2xx, s3xx, s4xx, s5xx = 0, 0, 0, 0
end

function response(status, headers, body)
   if status < 300 then s2xx = s2xx + 1
   elseif status < 400 then s3xx = s3xx + 1
   elseif status < 500 then s4xx = s4xx + 1
   else s5xx = s5xx + 1 end
end

function done(summary, latency, requests)
   local totals = { 0, 0, 0, 0 }
   for _, t in ipairs(threads) do
      totals[1] = totals[1] + t:get("s2xx")
      totals[2] = totals[2] + t:get("s3xx")
      totals[3] = totals[3] + t:get("s4xx")
      totals[4] = totals[4] + t:get("s5xx")
   end
   print(string.format("2xx=%d 3xx=%d 4xx=%d 5xx=%d", unpack(totals)))
end
