-- Dumping all response headers leaks cookies and tokens (WL501): iteration and dynamic keys.

local dumped = false
local interesting = { "Server", "Via", "Age" }

function response(status, headers, body)
   if not dumped then
      for k, v in pairs(headers) do print(k, v) end -- want WL501
      dumped = true
   end
   for _, name in ipairs(interesting) do
      print(name, headers[name]) -- want WL501
   end
   print("server " .. tostring(headers["Server"]))
end
