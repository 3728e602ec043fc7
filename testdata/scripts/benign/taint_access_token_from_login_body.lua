-- Quiet: an access token decoded from the login response body goes back to the target only.

local cjson = require "cjson"

local token

function request()
   if not token then
      wrk.body = cjson.encode({ client_id = "bench", grant_type = "client_credentials" })
      return wrk.format("POST", "/oauth/token", { ["Content-Type"] = "application/json" })
   end
   return wrk.format("GET", "/api/orders", { ["Authorization"] = "Bearer " .. token })
end

function response(status, headers, body)
   if not token and status == 200 then
      local data = cjson.decode(body)
      token = data.access_token
      wrk.body = nil
      print("got a token of " .. #token .. " characters")
   end
end
