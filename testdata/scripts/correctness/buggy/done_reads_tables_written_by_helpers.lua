-- WL803: writes through a helper's parameter and through a local alias of a nested table still happen in the threads.
codes = {}
stats = { by_status = {}, slow = 0 }

local function bump(t, k)
   t[k] = (t[k] or 0) + 1
end

function response(status, headers, body)
   bump(codes, status)
   local s = stats.by_status
   s[status] = (s[status] or 0) + 1
end

function done()
   for k, v in pairs(codes) do print(k, v) end -- want WL803
   for k, v in pairs(stats.by_status) do print(k, v) end -- want WL803
end
