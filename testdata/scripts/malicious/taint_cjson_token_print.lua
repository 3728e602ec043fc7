-- The login token decoded from the body is reused (fine) and printed once (WL501).

local cjson = require "cjson"

local announced = false

function response(status, headers, body)
   if status == 200 and not announced then
      print("token: " .. cjson.decode(body).token) -- want WL501
      wrk.headers["Authorization"] = "Bearer " .. cjson.decode(body).token
      announced = true
   end
end
