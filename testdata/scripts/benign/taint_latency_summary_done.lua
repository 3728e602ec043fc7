-- Quiet: a latency, throughput and error summary in done(), nothing taken from responses.

function init(args)
   server_errors = 0
end

function response(status, headers, body)
   if status >= 500 then
      server_errors = server_errors + 1
   end
end

function done(summary, latency, requests)
   io.write("------------------------------\n")
   for _, p in ipairs({ 50, 90, 99, 99.999 }) do
      local n = latency:percentile(p)
      io.write(string.format("%g%%,%d\n", p, n))
   end
   local secs = summary.duration / 1e6
   io.stdout:write(string.format("rps %.2f, mean %.2fus, max %dus\n", summary.requests / secs, latency.mean, latency.max))
   local e = summary.errors
   io.stderr:write(string.format("errors: connect %d read %d write %d status %d timeout %d\n", e.connect, e.read, e.write, e.status, e.timeout))
end
