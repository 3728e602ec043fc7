-- A report written in done() (WL101) that also embeds a sampled response body (WL501).

function response(status, headers, body)
   if not sample_body and status == 200 then
      sample_body = body
   end
end

function done(summary, latency, requests)
   local f = io.open("report.csv", "w") -- want WL101
   f:write("percentile,latency_us\n")
   for _, p in ipairs({ 50, 90, 99 }) do
      f:write(string.format("%g,%d\n", p, latency:percentile(p)))
   end
   f:write("sample,", sample_body or "", "\n") -- want WL501 WL803
   f:close()
end
