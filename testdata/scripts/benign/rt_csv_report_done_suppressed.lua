-- Benign: writes a latency CSV report to reports/ in done(), with a reviewed suppression
function done(summary, latency, requests)
  -- wrklint:ignore-next-line WL101 -- CI collects reports/latency.csv as a build artifact
  local f = assert(io.open("reports/latency.csv", "w"))
  f:write("percentile,latency_us\n")
  for _, p in ipairs({50, 75, 90, 95, 99, 99.9}) do
    f:write(string.format("%g,%d\n", p, latency:percentile(p)))
  end
  f:write(string.format("requests,%d\n", summary.requests))
  f:write(string.format("errors,%d\n", summary.errors.status + summary.errors.timeout))
  f:close()
end
