-- Quiet: status codes, non-sensitive header values and body lengths may be printed.

wrk.method = "GET"
wrk.headers["Accept"] = "application/json"

local seen = 0

function response(status, headers, body)
   seen = seen + 1
   if seen <= 3 then
      print(status)
      print("Content-Type: " .. headers["Content-Type"])
      print(#body)
      print(string.format("server=%s length=%d", tostring(headers["Server"]), string.len(body)))
   end
   if headers["Content-Type"] == "text/plain" then
      print(tonumber(body))
   end
end
