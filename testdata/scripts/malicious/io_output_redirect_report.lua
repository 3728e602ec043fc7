-- io.output(path) redirects the default output to a file (WL101 at the redirect only).

local started = os.time()

function done(summary, latency, requests)
   io.output("report.txt") -- want WL101
   io.write("duration_us,", summary.duration, "\n")
   io.write("requests,", summary.requests, "\n")
   for _, p in ipairs({ 50, 90, 99, 99.9 }) do
      io.write(string.format("p%s,%d\n", p, latency:percentile(p)))
   end
   io.write("elapsed_s,", os.time() - started, "\n")
   io.close()
   local set_out = io.output
   set_out("report-" .. os.date("%Y%m%d") .. ".txt") -- want WL101
   io.write("see report.txt\n")
end

function init(args)
   io.input("seed.txt") -- want WL102
   local first = io.read("*l")
   wrk.headers["X-Seed"] = first or "0"
end
