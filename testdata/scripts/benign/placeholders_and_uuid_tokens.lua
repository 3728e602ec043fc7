-- Placeholders and run-time mock tokens are not secrets.
local template = '{"user":"${USER}","password":"${PASSWORD}"}'
wrk.headers["Authorization"] = "Bearer <token>"
wrk.headers["X-Api-Key"] = "changeme"
local function uuid()
   return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
      return string.format("%x", math.random(0, 15))
   end))
end
function request()
   wrk.headers["X-Request-Id"] = uuid()
   wrk.headers["Authorization"] = "Bearer " .. uuid()
   return wrk.format("POST", "/", nil, template)
end
