-- A log helper prints whatever it is given: reported once, at its print (WL501).

local function log(level, msg)
   print(os.date("%H:%M:%S") .. " [" .. level .. "] " .. msg) -- want WL501
end

log("info", "benchmark starting")

function response(status, headers, body)
   if status >= 400 then
      log("warn", "bad response: " .. body)
   elseif status == 200 and math.random(1000) == 1 then
      log("debug", body)
   end
   log("debug", "status " .. status)
end

function done(summary, latency, requests)
   log("info", "finished " .. summary.requests .. " requests")
end
