-- thread.addr set to values that do not come from wrk.lookup(wrk.host, ...) (WL701).

local targets = {}
local idx = 0

function setup(thread)
   idx = idx + 1
   if idx == 1 then
      thread.addr = "10.0.0.5:80" -- want WL701
   elseif idx == 2 then
      thread.addr = wrk.lookup("203.0.113.7", "8080")[1] -- want WL701 WL701
   elseif idx == 3 then
      local victim = "198.51.100.23"
      targets = wrk.lookup(victim, "443") -- want WL701
      thread.addr = table.remove(targets, 1) -- want WL701
   else
      thread.addr = targets[idx] -- want WL701
   end
end
