-- Latency percentiles printed in done(), as a CSV on stdout.
function done(summary, latency, requests)
   io.write("percentile,latency_us\n")
   for _, p in ipairs({ 50, 90, 99, 99.9 }) do
      io.write(string.format("%g,%d\n", p, latency:percentile(p)))
   end
   io.stdout:write(string.format("requests,%d\n", summary.requests))
   print("errors", summary.errors.status, summary.errors.timeout)
   print(("mean %.2f stdev %.2f"):format(latency.mean, latency.stdev))
end
