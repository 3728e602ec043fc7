-- wrklint directives that are malformed (WL002) or suppress nothing (WL003); neither hides anything.

local token = os.getenv("BENCH_TOKEN") -- wrklint:ignore WL201
-- want@-1 WL002 WL201
local region = os.getenv("REGION") -- wrklint:ignore WL999 -- no such rule  -- want WL002 WL201
local zone = os.getenv("ZONE") -- wrklint:ignore-line WL201 -- typo in the kind  -- want WL002 WL201

-- wrklint:ignore-next-line WL103 -- nothing on the next line runs a command  -- want WL003
local counter = 0

os.execute("id") -- wrklint:ignore WL001 -- parse errors cannot be hidden  -- want WL002 WL103

function request()
   counter = counter + 1 -- wrklint:ignore WL101 -- stale suppression  -- want WL003
   return wrk.format("GET", "/" .. counter .. "?t=" .. token .. region .. zone)
end
