-- Clean: a local function named init that the script calls itself is a helper, not a hook.
local function init(n)
   local t = {}
   for i = 1, n do t[i] = "/p/" .. i end
   return t
end

local pages = init(20)

function request()
   return wrk.format(nil, pages[math.random(#pages)])
end
