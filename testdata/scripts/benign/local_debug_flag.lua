-- A local boolean named debug shadows the debug library (common in real scripts).

local debug = os.getenv("WRK_DEBUG") == "1" -- want WL201
local sent = 0

function request()
   sent = sent + 1
   if debug and sent % 1000 == 0 then
      io.stderr:write("sent ", sent, " requests\n")
   end
   return wrk.format("GET", "/health?n=" .. sent)
end

function response(status, headers, body)
   if debug and status ~= 200 then
      print("status", status, "length", #body)
   end
end
