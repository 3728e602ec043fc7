-- Placeholders, run-time values, UUIDs and content types are not hard-coded secrets.

local i = 0
local session = string.format("%08x", math.random(0, 0x7fffffff))

wrk.headers["Authorization"] = "Bearer ${TOKEN}"
wrk.headers["X-API-Key"] = "changeme"
wrk.headers["Cookie"] = "xxx"
wrk.headers["X-Request-Id"] = "3f2b8c4e-9a1d-4e7f-b6c5-2d8e0f1a3b7c"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local usage = "Authorization: Bearer <token>"
local raw_ct = "Content-Type: application/json"

function request()
   i = i + 1
   local body = string.format("username=user%d&password=password%d", i, i)
   wrk.headers["X-Session"] = "sess-" .. session .. "-" .. i
   wrk.headers["Authorization"] = "Bearer " .. session
   return wrk.format("POST", "/login", nil, body)
end

function done(summary, latency, requests)
   print(#usage + #raw_ct, summary.requests)
end
