-- WL802: a local declared first and assigned a function later is still a local.
local done

done = function(summary, latency, requests) -- want WL802
   print(string.format("p99 %.2f ms", latency:percentile(99) / 1000))
end
