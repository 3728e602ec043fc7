-- Log in once per thread, then use the token on every request.
local token

request = function()
   if token then
      return wrk.format("GET", "/resource")
   end
   return wrk.format("POST", "/login")
end

response = function(status, headers, body)
   if not token and status == 200 then
      token = headers["X-Token"]
      wrk.headers["Authorization"] = "Bearer " .. token
   end
end
