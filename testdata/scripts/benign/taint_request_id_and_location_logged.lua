-- Quiet: request ids, redirect locations and sizes of slow responses are ordinary, non-secret headers.

local redirects = 0

function response(status, headers, body)
   if status == 301 or status == 302 then
      redirects = redirects + 1
      if redirects <= 5 then
         print("redirect to " .. tostring(headers["Location"]))
      end
   elseif status >= 500 then
      print("failed request id " .. (headers["X-Request-Id"] or "?") .. ", length " .. (headers["Content-Length"] or "?"))
   end
end

function done(summary, latency, requests)
   print(string.format("%d redirects in %d requests", redirects, summary.requests)) -- want WL803
end
