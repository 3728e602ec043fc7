-- Script args as knobs: numbers and paths sent to the target only.
local depth, prefix
function init(args)
   depth = tonumber(args[1]) or 1
   prefix = args[2] or "/api"
   print("depth", depth, "prefix", #prefix)
end
function request()
   return wrk.format("GET", prefix .. "/items?depth=" .. depth)
end
