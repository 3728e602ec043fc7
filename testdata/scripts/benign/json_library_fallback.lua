-- Prefers cjson, falls back to a pure-Lua json module; both are allowed modules.

local ok, json = pcall(require, "cjson")
if not ok then
   json = require "json"
end

local users = {}
for i = 1, 100 do
   users[i] = json.encode({ name = "user" .. i, email = "user" .. i .. "@example.test" })
end

local i = 0
function request()
   i = i % #users + 1
   return wrk.format("POST", "/users", { ["Content-Type"] = "application/json" }, users[i])
end

function response(status, headers, body)
   if status >= 500 then
      io.stderr:write("server error ", status, " body bytes ", #body, "\n")
   end
end
