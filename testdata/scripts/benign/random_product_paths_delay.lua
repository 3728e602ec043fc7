-- Random product paths and a think time.
local paths = { "/", "/search?q=shoes", "/cart", "/product/" }
math.randomseed(os.time() + os.clock() * 1000)
function delay()
   return math.random(10, 50)
end
request = function()
   local p = paths[math.random(#paths)]
   if p == "/product/" then p = p .. math.random(1, 5000) end
   return wrk.format(nil, p)
end
