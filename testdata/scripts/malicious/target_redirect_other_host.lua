-- Load sent to a host other than the one on the command line (WL701).

local evil = wrk.lookup("evil.example.com", "80") -- want WL701
local mine = nil
local n = 0

function setup(thread)
   n = n + 1
   if not mine then
      mine = wrk.lookup(wrk.host, wrk.port or "http")
   end
   if n % 2 == 0 then
      thread.addr = evil[1] -- want WL701
   else
      thread.addr = mine[1]
   end
end

function request()
   return wrk.format("GET", "/")
end
