-- Clean: every path of request() returns a request; the if/elseif chain has an else.
function request()
   local r = math.random(1, 10)
   if r <= 7 then
      return wrk.format("GET", "/browse")
   elseif r <= 9 then
      return wrk.format("GET", "/search?q=shoes")
   else
      return wrk.format("POST", "/cart", nil, '{"sku":1}')
   end
end
