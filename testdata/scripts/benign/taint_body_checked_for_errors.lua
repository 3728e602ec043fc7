-- Quiet: the body is searched and compared; only constant messages, booleans and counts are printed.

local errors, empty = 0, 0

function response(status, headers, body)
   if body:find("error") then
      print("error seen")
      errors = errors + 1
   end
   if #body == 0 then
      empty = empty + 1
   end
   local healthy = body:match('"status"%s*:%s*"ok"') ~= nil
   if not healthy and status == 200 then
      print("unhealthy 200 response, healthy=" .. tostring(healthy))
   end
end

function done(summary, latency, requests)
   print(string.format("%d error bodies, %d empty bodies", errors, empty)) -- want WL803 WL803
end
