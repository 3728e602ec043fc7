-- Clean: values set at the top of the script exist in the main state too.
target_rps = 500
local label = "checkout"
paths = { "/cart", "/checkout" }

function request()
   return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary)
   local rps = summary.requests / (summary.duration / 1e6)
   print(string.format("%s: %.0f/%d req/s over %d paths", label, rps, target_rps, #paths))
end
