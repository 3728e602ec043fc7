-- Random think time between requests via delay(), plus a weighted choice of endpoints.

local endpoints = {
   { path = "/", weight = 6 },
   { path = "/search?q=shoes", weight = 3 },
   { path = "/cart", weight = 1 },
}

function delay()
   return math.random(10, 50)
end

function request()
   local roll = math.random(10)
   local acc = 0
   for _, e in ipairs(endpoints) do
      acc = acc + e.weight
      if roll <= acc then
         return wrk.format("GET", e.path)
      end
   end
   return wrk.request()
end
