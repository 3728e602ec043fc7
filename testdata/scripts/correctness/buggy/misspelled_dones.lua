-- WL801: "dones" (one letter too many) never runs, so the report is never printed.
function dones(summary, latency, requests) -- want WL801
   for _, p in ipairs({ 50, 90, 99 }) do
      io.write(string.format("p%d=%d\n", p, latency:percentile(p)))
   end
end
