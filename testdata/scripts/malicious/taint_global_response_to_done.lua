-- A global set in response() and printed in done() (WL501); the status global is fine.

function response(status, headers, body)
   if status >= 400 then
      last_error_body = body
      last_error_status = status
   end
end

function done(summary, latency, requests)
   if last_error_body then -- want WL803
      print("last error (" .. last_error_status .. "):") -- want WL803
      print(last_error_body) -- want WL501
   end
end
