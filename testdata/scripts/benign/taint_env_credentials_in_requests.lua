-- Quiet apart from WL201: env credentials are sent to the target in a login body and headers.

local cjson = require "cjson"

local user = os.getenv("BENCH_USER") or "loadtest" -- want WL201
local secret = os.getenv("BENCH_PASSWORD") -- want WL201
local api_key = os.getenv("BENCH_API_KEY") -- want WL201

local login = cjson.encode({ username = user, password = secret })
local n = 0

function request()
   n = n + 1
   if n == 1 then
      return wrk.format("POST", "/login", { ["Content-Type"] = "application/json" }, login)
   end
   return wrk.format("GET", "/reports/" .. n, { ["X-API-Key"] = api_key })
end
