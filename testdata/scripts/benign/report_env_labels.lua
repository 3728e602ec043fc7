-- Benign: a report in done() that prints the framework name and title taken from the environment (labels, not secrets).
local framework = os.getenv("FRAMEWORK") or "unknown" -- want WL201
local title = os.getenv("TITLE") or "" -- want WL201

function done(summary, latency)
  io.write(string.format("%s,%s,%d,%.2f\n", framework, title, summary.requests, latency:percentile(99) / 1000))
end
