-- Benign: prints a JSON summary of the run (requests, errors, latency percentiles) to stdout in done()
function done(summary, latency, requests)
  local parts = {
    string.format('"duration_s":%.2f', summary.duration / 1e6),
    string.format('"requests":%d', summary.requests),
    string.format('"bytes":%d', summary.bytes),
    string.format('"rps":%.1f', summary.requests / (summary.duration / 1e6)),
    string.format('"errors":%d', summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout),
  }
  for _, p in ipairs({50, 90, 99, 99.9}) do
    parts[#parts + 1] = string.format('"p%s_ms":%.3f', (tostring(p):gsub("%.", "_")), latency:percentile(p) / 1000)
  end
  parts[#parts + 1] = string.format('"max_ms":%.3f', latency.max / 1000)
  io.write("{", table.concat(parts, ","), "}\n")
end
