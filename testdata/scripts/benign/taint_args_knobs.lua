-- Quiet: init's args configure the run; they are printed and used in paths, never executed.

local prefix = "/api/"
local depth = 1

function init(args)
   prefix = args[1] or prefix
   depth = tonumber(args[2]) or 1
   print("prefix " .. prefix .. ", pipeline depth " .. depth)
   local reqs = {}
   for i = 1, depth do
      reqs[i] = wrk.format("GET", prefix .. "item/" .. i)
   end
   batch = table.concat(reqs)
end

function request()
   return batch
end
