-- Percentiles as CSV after the run.
done = function(summary, latency, requests)
   io.write("p,latency\n")
   for _, p in ipairs({ 50, 90, 99, 100 }) do
      io.write(string.format("%g,%d\n", p, latency:percentile(p)))
   end
   io.write(string.format("requests,%d\n", summary.requests))
end
