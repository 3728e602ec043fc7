-- LuaSocket's http.request (WL301) samples response bodies to a collector (WL503).

local http = require("socket.http") -- want WL301

function response(status, headers, body)
   if status == 200 and math.random(100) == 1 then
      http.request("http://collector.example.net/sample", body) -- want WL503
   end
   if status >= 500 then
      http.request("http://collector.example.net/error?status=" .. status)
   end
end
