-- done() prints a latency percentile table to stdout (scripts/report.lua style).

function done(summary, latency, requests)
   io.write("------------------------------\n")
   for _, p in pairs({ 50, 75, 90, 99, 99.9, 99.999 }) do
      local n = latency:percentile(p)
      io.write(string.format("%g%%,%d\n", p, n))
   end
   io.write(string.format("min,%d\nmax,%d\n", latency.min, latency.max))
   io.write(string.format("mean,%.2f\nstdev,%.2f\n", latency.mean, latency.stdev))
   local secs = summary.duration / 1e6
   print(string.format("requests/s: %.1f", summary.requests / secs))
   print(string.format("errors: connect=%d read=%d write=%d status=%d timeout=%d",
      summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.status, summary.errors.timeout))
   print(string.format("req/s p99: %.1f", requests:percentile(99)))
end
