-- rawset()s wrk.host to an internal admin host through a pin() helper, then keeps the reachable addresses of wrk.lookup(wrk.host) as wrk.resolve does; class: wrk-target (rawset through a parameter)
local function pin(tbl, field, value)
  rawset(tbl, field, value) -- want WL701
end

pin(wrk, "host", "admin.internal.corp.example")

local pool = {}
for _, a in ipairs(wrk.lookup(wrk.host, wrk.port or "http")) do -- want WL701
  if wrk.connect(a) then pool[#pool + 1] = a end -- want WL701
end

function setup(thread)
  thread.addr = pool[#pool] -- want WL701
end
