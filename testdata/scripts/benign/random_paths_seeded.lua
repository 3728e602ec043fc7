-- Random product ids with a per-thread seed; math.random paths are the common case.

local thread_id = 0
local paths = { "/api/products/", "/api/reviews/", "/api/stock/" }

function setup(thread)
   thread_id = thread_id + 1
   thread:set("id", thread_id)
end

function init(args)
   math.randomseed(os.time() + (id or 0) * 7919)
end

function request()
   local base = paths[math.random(#paths)]
   local path = base .. math.random(1, 50000) .. "?page=" .. math.random(1, 10)
   return wrk.format("GET", path)
end
