-- WL804: a guard that returns false leaves wrk without a request.
local paths = {}
for i = 1, 10 do paths[i] = "/p/" .. i end

function request()
   local p = paths[math.random(20)]
   if not p then
      return false -- want WL804
   end
   return wrk.format(nil, p)
end
