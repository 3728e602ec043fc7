-- WL803: a counter incremented in response() and printed in done() is always 0 there.
failures = 0

function response(status, headers, body)
   if status ~= 200 then
      failures = failures + 1
   end
end

function done(summary, latency, requests)
   print("failed responses: " .. failures) -- want WL803
end
