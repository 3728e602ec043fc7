-- Debug leftover: every response body is dumped to stdout (WL501); the status alone is fine.

wrk.method = "GET"
wrk.headers["Accept"] = "application/json"

local n = 0

function request()
   n = n + 1
   return wrk.format(nil, "/api/users/" .. (n % 500))
end

function response(status, headers, body)
   print(status)
   print(body) -- want WL501
end
