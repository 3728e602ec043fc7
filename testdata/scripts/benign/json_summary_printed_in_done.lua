-- A JSON summary printed in done(), built with string.format and table.concat.
function done(summary, latency, requests)
   local parts = {}
   for _, p in ipairs({ 50, 75, 90, 99 }) do
      parts[#parts + 1] = string.format('"p%d":%d', p, latency:percentile(p))
   end
   local out = "{" .. table.concat(parts, ",") .. string.format(',"rps":%.2f}', summary.requests / (summary.duration / 1e6))
   print(out)
end
