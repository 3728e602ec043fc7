-- Authenticate first, then reuse the token the server returned (scripts/auth.lua).

local token = nil
local path  = "/authenticate"

request = function()
   return wrk.format("GET", path)
end

response = function(status, headers, body)
   if not token and status == 200 then
      token = headers["X-Token"]
      path  = "/resource"
      wrk.headers["X-Token"] = token
   end
end

function done(summary, latency, requests)
   print(string.format("%d requests, %d non-2xx", summary.requests, summary.errors.status))
end
