-- Status code histogram and body sizes printed in done().
local codes = {}
local bytes = 0
function response(status, headers, body)
   codes[status] = (codes[status] or 0) + 1
   bytes = bytes + #body
   local ct = headers["Content-Type"]
   if ct and not ct:find("json") then
      print("unexpected content type", ct)
   end
end
function done(summary, latency, requests)
   for code, count in pairs(codes) do -- want WL803
      print(code, count)
   end
   print("body bytes", bytes, string.len(tostring(bytes))) -- want WL803
end
