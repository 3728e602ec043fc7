-- Generated JSON bodies with cjson and random ids.
local cjson = require("cjson")
local ok, json = pcall(require, "cjson.safe")
math.randomseed(os.time())
function request()
   local body = cjson.encode({ id = math.random(1, 100000), name = "user" .. math.random(1000), password = "password123" })
   return wrk.format("POST", "/users", { ["Content-Type"] = "application/json" }, body)
end
function response(status, headers, body)
   if status ~= 200 then
      local decoded = json.decode(body)
      if decoded and decoded.error then
         print("status", status, #body)
      end
   end
end
