-- Round-robin over wrk.host's addresses: table.remove, a local copy and an upvalue.

local pool
local spare = {}
local n = 0

local function resolve()
   pool = wrk.lookup(wrk.host, wrk.port or "http")
   spare = wrk.lookup(wrk.host, "443")
end

function setup(thread)
   if not pool then
      resolve()
   end
   n = n + 1
   if #spare > 0 and n % 4 == 0 then
      thread.addr = table.remove(spare, 1)
      return
   end
   local pick = pool[(n % #pool) + 1]
   local chosen = pick
   thread.addr = chosen
   thread:set("slot", n)
end
