-- Sensitive response headers printed: session, cookie, authorization, API key, token (WL501).

local shown = false

function response(status, headers, body)
   if shown then
      return
   end
   shown = true
   print("session: " .. (headers["X-Session-Id"] or "-")) -- want WL501
   print("cookie: " .. tostring(headers["set-cookie"])) -- want WL501
   io.write("auth echo ", tostring(headers.Authorization):lower(), "\n") -- want WL501
   print("api key " .. (headers["x-api-key"] or "none")) -- want WL501
   print("served by " .. (headers["Server"] or "?"))
   local name = "X-Refresh-" .. "Token"
   print(headers[name]) -- want WL501
end
