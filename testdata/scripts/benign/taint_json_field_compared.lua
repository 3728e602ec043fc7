-- Quiet: decoded JSON fields are compared, counted and converted to numbers before printing.

local cjson = require "cjson"

local ok, failed, items = 0, 0, 0

function response(status, headers, body)
   local parsed, data = pcall(cjson.decode, body)
   if not parsed then
      failed = failed + 1
      return
   end
   if data.status == "ok" then
      ok = ok + 1
   end
   items = items + #data.items
   local has_next = data.next ~= nil
   if status ~= 200 then
      print("status " .. status .. ", has_next=" .. tostring(has_next))
      print("count field: " .. (tonumber(data.count) or -1))
   end
end

function done(summary, latency, requests)
   print(string.format("ok=%d failed=%d items=%d", ok, failed, items)) -- want WL803 WL803 WL803
end
